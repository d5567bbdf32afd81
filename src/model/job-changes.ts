import type { Job, JobError, Task } from './job.js';

/** The part of a task that change detection compares (a `Task`, or a checkpoint's task). */
export type ComparedTask = Pick<Task, 'id' | 'state' | 'vendorState' | 'message' | 'error'> & {
  /** Child tasks. */
  readonly tasks: readonly ComparedTask[];
};

/** The part of a snapshot that change detection compares (a `Job`, or a checkpoint's `lastJob`). */
export type ComparedJob = Pick<Job, 'state' | 'vendorState' | 'message' | 'error' | 'progress'> & {
  /** The job's tasks. */
  readonly tasks: readonly ComparedTask[];
};

/**
 * Whether `next` differs from `previous` in what a watcher cares about: state, vendorState,
 * message, error, progress, or any task's state or message (recursively).
 */
export function jobChanged(previous: ComparedJob, next: ComparedJob): boolean {
  return (
    previous.state !== next.state ||
    previous.vendorState !== next.vendorState ||
    previous.message !== next.message ||
    errorChanged(previous.error, next.error) ||
    previous.progress?.completed !== next.progress?.completed ||
    previous.progress?.total !== next.progress?.total ||
    tasksChanged(previous.tasks, next.tasks)
  );
}

function errorChanged(a: JobError | undefined, b: JobError | undefined): boolean {
  if (a === b) return false;
  if (a === undefined || b === undefined) return true;
  return a.code !== b.code || a.message !== b.message || a.target !== b.target;
}

function tasksChanged(a: readonly ComparedTask[], b: readonly ComparedTask[]): boolean {
  if (a.length !== b.length) return true;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as ComparedTask;
    const y = b[i] as ComparedTask;
    if (x.id !== y.id || x.state !== y.state || x.vendorState !== y.vendorState || x.message !== y.message) return true;
    if (errorChanged(x.error, y.error) || tasksChanged(x.tasks, y.tasks)) return true;
  }
  return false;
}
