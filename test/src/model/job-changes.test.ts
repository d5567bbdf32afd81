import { describe, expect, it } from 'vitest';
import { jobChanged } from '../../../src/model/job-changes.js';
import type { Job, Task } from '../../../src/model/job.js';

function task(id: string, over: Partial<Task> = {}): Task {
  return { id, state: 'running', vendorState: 'RUNNING', tasks: [], ...over };
}

/** A rich snapshot; each call builds fresh objects with the same content. */
function snapshot(): Job {
  return {
    vendor: 'fake',
    id: 'job-1',
    type: 'volume.create',
    description: 'Create vol1',
    state: 'running',
    vendorState: 'RUNNING',
    message: 'Copying',
    error: { code: 'W1', message: 'slow disk', target: 'aggr1' },
    createdAt: new Date('2024-01-01T00:00:00Z'),
    startedAt: new Date('2024-01-01T00:00:01Z'),
    updatedAt: new Date('2024-01-01T00:00:02Z'),
    tasks: [
      task('t1', { state: 'succeeded', vendorState: 'SUCCEEDED', message: 'done' }),
      task('t2', { error: { message: 'warn' }, tasks: [task('t2.1', { tasks: [task('t2.1.1', { state: 'queued', vendorState: 'QUEUED' })] })] }),
    ],
    progress: { completed: 1, total: 2 },
    raw: { payload: 1 },
  };
}

/** Returns a copy of `job` whose tasks[1] (and below) can be changed. */
function withTask2(change: (t2: Task) => Task): Job {
  const next = snapshot();
  const t2 = next.tasks[1] as Task;
  next.tasks = [next.tasks[0] as Task, change(t2)];
  return next;
}

function withLeaf(change: (leaf: Task) => Task): Job {
  return withTask2((t2) => {
    const mid = t2.tasks[0] as Task;
    const leaf = mid.tasks[0] as Task;
    return { ...t2, tasks: [{ ...mid, tasks: [change(leaf)] }] };
  });
}

describe('jobChanged', () => {
  it('is false for two snapshots with the same content in different objects', () => {
    expect(jobChanged(snapshot(), snapshot())).toBe(false);
  });

  it('is false for the very same snapshot', () => {
    const job = snapshot();
    expect(jobChanged(job, job)).toBe(false);
  });

  it.each<[string, (job: Job) => Job]>([
    ['state', (j) => ({ ...j, state: 'paused' })],
    ['vendorState', (j) => ({ ...j, vendorState: 'RUNNING_2' })],
    ['message', (j) => ({ ...j, message: 'Verifying' })],
    ['message removed', ({ message: _m, ...j }) => j],
    ['error removed', ({ error: _e, ...j }) => j],
    ['error code', (j) => ({ ...j, error: { code: 'W2', message: 'slow disk', target: 'aggr1' } })],
    ['error message', (j) => ({ ...j, error: { code: 'W1', message: 'slower disk', target: 'aggr1' } })],
    ['error target', (j) => ({ ...j, error: { code: 'W1', message: 'slow disk', target: 'aggr2' } })],
    ['progress completed', (j) => ({ ...j, progress: { completed: 2, total: 2 } })],
    ['progress total', (j) => ({ ...j, progress: { completed: 1, total: 3 } })],
    ['progress removed', ({ progress: _p, ...j }) => j],
    ['a task added', (j) => ({ ...j, tasks: [...j.tasks, task('t3')] })],
    ['a task removed', (j) => ({ ...j, tasks: j.tasks.slice(0, 1) })],
    ['the task order', (j) => ({ ...j, tasks: [...j.tasks].reverse() })],
    ['a task id', () => withTask2((t) => ({ ...t, id: 't2-bis' }))],
    ['a task state', () => withTask2((t) => ({ ...t, state: 'failed' }))],
    ['a task vendorState', () => withTask2((t) => ({ ...t, vendorState: 'RUNNING_AGAIN' }))],
    ['a task message', () => withTask2((t) => ({ ...t, message: 'half way' }))],
    ['a task error', () => withTask2((t) => ({ ...t, error: { message: 'worse' } }))],
    ['a child task state', () => withTask2((t) => ({ ...t, tasks: [{ ...(t.tasks[0] as Task), state: 'skipped' }] }))],
    ['a grandchild task state', () => withLeaf((l) => ({ ...l, state: 'running' }))],
    ['a grandchild task message', () => withLeaf((l) => ({ ...l, message: 'started' }))],
    ['a child task added', () => withLeaf((l) => ({ ...l, tasks: [task('t2.1.1.1')] }))],
  ])('is true when %s changes', (_label, change) => {
    const previous = snapshot();
    const next = change(snapshot());
    expect(jobChanged(previous, next)).toBe(true);
  });

  it('is true when an error appears where there was none', () => {
    const { error: _e, ...previous } = snapshot();
    expect(jobChanged(previous, snapshot())).toBe(true);
  });

  it('is true when progress appears where there was none', () => {
    const { progress: _p, ...previous } = snapshot();
    expect(jobChanged(previous, snapshot())).toBe(true);
  });

  it.each<[string, (job: Job) => Job]>([
    ['updatedAt', (j) => ({ ...j, updatedAt: new Date('2030-01-01T00:00:00Z') })],
    ['startedAt', (j) => ({ ...j, startedAt: new Date('2030-01-01T00:00:00Z') })],
    ['endedAt', (j) => ({ ...j, endedAt: new Date('2030-01-01T00:00:00Z') })],
    ['raw', (j) => ({ ...j, raw: { payload: 2, extra: true } })],
    ['description', (j) => ({ ...j, description: 'Other' })],
    ['type', (j) => ({ ...j, type: 'other' })],
    ['a task updatedAt', () => withTask2((t) => ({ ...t, updatedAt: new Date('2030-01-01T00:00:00Z') }))],
    ['a task name', () => withTask2((t) => ({ ...t, name: 'renamed' }))],
  ])('is false when only %s changes', (_label, change) => {
    expect(jobChanged(snapshot(), change(snapshot()))).toBe(false);
  });
});
