import { InvalidArgumentError } from './errors/invalid-argument-error.js';
import { truncate } from './errors/describe.js';
import { JOB_STATES, MAX_TASK_DEPTH, type Job, type JobError, type JobProgress, type JobState, type Task, type TaskState } from './model.js';

/** The checkpoint format this version of jobwait writes, and the only one it reads. */
export const CHECKPOINT_VERSION = 1;

/** A task in a checkpoint's snapshot: what change detection and a display need. */
export interface CheckpointTask {
  /** The task's id (see {@link Task.id}). */
  id: string;
  /** The task's name, where the vendor gives one. */
  name?: string;
  /** The normalized state of the task. */
  state: TaskState;
  /** The vendor's own word for the state, untouched. */
  vendorState: string;
  /** The vendor's latest status message for the task, if any. */
  message?: string;
  /** What went wrong, when the task failed and the vendor says why. */
  error?: JobError;
  /** Child tasks (CCE sub-jobs nest). */
  tasks: CheckpointTask[];
}

/**
 * A checkpoint's last snapshot: the JSON-safe part of a {@link Job} that change detection and a
 * display need. It has no `raw` (the vendor payload), and its dates are ISO 8601 strings.
 */
export interface CheckpointJob {
  /** The vendor's job id. */
  id: string;
  /** The vendor's job type, where it has one. */
  type?: string;
  /** The vendor's description of the job, where it has one. */
  description?: string;
  /** The normalized state of the job. */
  state: JobState;
  /** The vendor's own word for the state, untouched. */
  vendorState: string;
  /** The vendor's latest status message for the job, if any. */
  message?: string;
  /** What went wrong, when the job failed and the vendor says why. */
  error?: JobError;
  /** Completed tasks out of all tasks, where the vendor has tasks. */
  progress?: JobProgress;
  /** When the job was created, as an ISO 8601 string. */
  createdAt?: string;
  /** When the job started running, as an ISO 8601 string. */
  startedAt?: string;
  /** When the job last changed, as an ISO 8601 string. */
  updatedAt?: string;
  /** When the job reached a terminal state, as an ISO 8601 string. */
  endedAt?: string;
  /** The job's tasks, in checkpoint form. */
  tasks: CheckpointTask[];
}

/**
 * Where a wait stood after a poll: give it to `waitForJob` / `watchJob` as `resumeFrom` (in this
 * process or another) to continue the wait within the same deadline, on the same schedule, and
 * with the same baseline for change detection. A plain JSON-safe object: store it with
 * `JSON.stringify`, read it back with `JSON.parse`. Times are epoch milliseconds (`Date.now()`).
 */
export interface WaitCheckpoint {
  /** The format's version. A checkpoint of any other version is refused. */
  version: typeof CHECKPOINT_VERSION;
  /** The client's `vendor`: a checkpoint resumes only on a client of the same vendor. */
  vendor: string;
  /** The job waited on: a checkpoint resumes only the same job. */
  jobId: string;
  /** When the wait began, in epoch milliseconds. */
  startedAt: number;
  /** When the wait times out, in epoch milliseconds; `null` when it has no deadline. */
  deadline: number | null;
  /** Polls sent so far. */
  polls: number;
  /** The schedule's position: how many delays were planned so far (the next delay grows from it). */
  step: number;
  /** When the next poll is due, in epoch milliseconds; `null` when no further poll is planned. */
  nextPollAt: number | null;
  /** The last snapshot seen; absent when the job was not seen yet. */
  lastJob?: CheckpointJob;
}

/** Input of {@link createCheckpoint}: a checkpoint's fields but `version`, with the last snapshot as a {@link Job}. */
export type CheckpointInput = Omit<WaitCheckpoint, 'version' | 'lastJob'> & {
  /** The last snapshot of the job, if one was seen. */
  lastJob?: Job<unknown> | undefined;
};

const TASK_STATES: ReadonlySet<string> = new Set<string>([...JOB_STATES, 'skipped']);

/**
 * Builds a checkpoint. Epoch times are rounded to whole milliseconds; the snapshot keeps what
 * change detection and a display need (not `raw`).
 */
export function createCheckpoint(input: CheckpointInput): WaitCheckpoint {
  const checkpoint: WaitCheckpoint = {
    version: CHECKPOINT_VERSION,
    vendor: input.vendor,
    jobId: input.jobId,
    startedAt: Math.round(input.startedAt),
    deadline: input.deadline === null || input.deadline === Infinity ? null : Math.round(input.deadline),
    polls: input.polls,
    step: input.step,
    nextPollAt: input.nextPollAt === null ? null : Math.round(input.nextPollAt),
  };
  if (input.lastJob) checkpoint.lastJob = toCheckpointJob(input.lastJob);
  return checkpoint;
}

/**
 * Checks that `value` is a checkpoint this jobwait can resume for `vendor`'s job `jobId`: throws
 * `InvalidArgumentError` for a checkpoint of another vendor or job, of an unknown version, or with
 * a malformed field.
 */
export function assertCheckpoint(value: unknown, vendor: string, jobId: string): asserts value is WaitCheckpoint {
  readCheckpoint(value, 'checkpoint', { vendor, jobId });
}

/**
 * The checkpoint's last snapshot as a {@link Job}, or `undefined` when the job was not seen yet.
 * A checkpoint keeps no vendor payload, so `raw` is `undefined`; dates become `Date`s again.
 */
export function jobFromCheckpoint(checkpoint: WaitCheckpoint): Job<undefined> | undefined {
  const snapshot = checkpoint.lastJob;
  if (!snapshot) return undefined;
  const job: Job<undefined> = { vendor: checkpoint.vendor, id: snapshot.id, state: snapshot.state, vendorState: snapshot.vendorState, tasks: snapshot.tasks.map(toTask), raw: undefined };
  if (snapshot.type !== undefined) job.type = snapshot.type;
  if (snapshot.description !== undefined) job.description = snapshot.description;
  if (snapshot.message !== undefined) job.message = snapshot.message;
  if (snapshot.error !== undefined) job.error = { ...snapshot.error };
  for (const key of ['createdAt', 'startedAt', 'updatedAt', 'endedAt'] as const) {
    const iso = snapshot[key];
    if (iso !== undefined) job[key] = new Date(iso);
  }
  if (snapshot.progress !== undefined) job.progress = { ...snapshot.progress };
  return job;
}

/**
 * Validates a checkpoint and returns a clean copy of it (unknown fields dropped), so a caller
 * changing theirs later changes nothing. With `expected`, it must belong to that vendor and job.
 * Errors name the field as `${name}.field`.
 * @internal
 */
export function readCheckpoint(value: unknown, name: string, expected?: { vendor: string; jobId: string }): WaitCheckpoint {
  if (!isRecord(value)) throw new InvalidArgumentError(name, 'must be a checkpoint object (from onCheckpoint)');
  if (value['version'] !== CHECKPOINT_VERSION) {
    throw new InvalidArgumentError(`${name}.version`, `is ${show(value['version'])}: this jobwait reads checkpoint version ${CHECKPOINT_VERSION} only`);
  }
  const vendor = value['vendor'];
  if (typeof vendor !== 'string') throw new InvalidArgumentError(`${name}.vendor`, 'must be a string');
  const jobId = value['jobId'];
  if (typeof jobId !== 'string' || jobId.length === 0) throw new InvalidArgumentError(`${name}.jobId`, 'must be a non-empty string');
  if (expected && vendor !== expected.vendor) {
    throw new InvalidArgumentError(`${name}.vendor`, `is ${show(vendor)}: a checkpoint of another vendor cannot resume a wait on this ${show(expected.vendor)} client`);
  }
  if (expected && jobId !== expected.jobId) {
    throw new InvalidArgumentError(`${name}.jobId`, `is ${show(jobId)}: a checkpoint of another job cannot resume the wait on job ${show(expected.jobId)}`);
  }
  const startedAt = value['startedAt'];
  if (!isFiniteNumber(startedAt)) throw new InvalidArgumentError(`${name}.startedAt`, 'must be a finite number (epoch milliseconds)');
  const deadline = value['deadline'];
  if (deadline !== null && (!isFiniteNumber(deadline) || deadline < startedAt)) {
    throw new InvalidArgumentError(`${name}.deadline`, 'must be null or a finite number (epoch milliseconds) not before startedAt');
  }
  const nextPollAt = value['nextPollAt'];
  if (nextPollAt !== null && !isFiniteNumber(nextPollAt)) throw new InvalidArgumentError(`${name}.nextPollAt`, 'must be null or a finite number (epoch milliseconds)');
  const polls = value['polls'];
  const step = value['step'];
  if (!isCount(polls)) throw new InvalidArgumentError(`${name}.polls`, 'must be a whole number of 0 or more');
  if (!isCount(step)) throw new InvalidArgumentError(`${name}.step`, 'must be a whole number of 0 or more');
  const checkpoint: WaitCheckpoint = { version: CHECKPOINT_VERSION, vendor, jobId, startedAt, deadline, polls, step, nextPollAt };
  if (value['lastJob'] !== undefined) checkpoint.lastJob = readSnapshot(value['lastJob'], `${name}.lastJob`, jobId);
  return checkpoint;
}

function toCheckpointJob(job: Job<unknown>): CheckpointJob {
  const snapshot: CheckpointJob = { id: job.id, state: job.state, vendorState: job.vendorState, tasks: job.tasks.map(toCheckpointTask) };
  if (job.type !== undefined) snapshot.type = job.type;
  if (job.description !== undefined) snapshot.description = job.description;
  if (job.message !== undefined) snapshot.message = job.message;
  if (job.error !== undefined) snapshot.error = copyError(job.error);
  if (job.progress !== undefined) snapshot.progress = { completed: job.progress.completed, total: job.progress.total };
  for (const key of ['createdAt', 'startedAt', 'updatedAt', 'endedAt'] as const) {
    const date = job[key];
    if (date instanceof Date && !Number.isNaN(date.getTime())) snapshot[key] = date.toISOString();
  }
  return snapshot;
}

function toCheckpointTask(task: Task): CheckpointTask {
  const snapshot: CheckpointTask = { id: task.id, state: task.state, vendorState: task.vendorState, tasks: task.tasks.map(toCheckpointTask) };
  if (task.name !== undefined) snapshot.name = task.name;
  if (task.message !== undefined) snapshot.message = task.message;
  if (task.error !== undefined) snapshot.error = copyError(task.error);
  return snapshot;
}

function toTask(snapshot: CheckpointTask): Task {
  const task: Task = { id: snapshot.id, state: snapshot.state, vendorState: snapshot.vendorState, tasks: snapshot.tasks.map(toTask) };
  if (snapshot.name !== undefined) task.name = snapshot.name;
  if (snapshot.message !== undefined) task.message = snapshot.message;
  if (snapshot.error !== undefined) task.error = { ...snapshot.error };
  return task;
}

function copyError(error: JobError): JobError {
  const copy: JobError = { message: error.message };
  if (error.code !== undefined) copy.code = error.code;
  if (error.target !== undefined) copy.target = error.target;
  return copy;
}

function readSnapshot(value: unknown, name: string, jobId: string): CheckpointJob {
  if (!isRecord(value)) throw new InvalidArgumentError(name, 'must be an object');
  if (value['id'] !== jobId) throw new InvalidArgumentError(`${name}.id`, `must be the checkpoint's jobId ${show(jobId)}`);
  const state = value['state'];
  if (typeof state !== 'string' || !(JOB_STATES as readonly string[]).includes(state)) throw new InvalidArgumentError(`${name}.state`, `must be one of ${JOB_STATES.join(', ')}`);
  const snapshot: CheckpointJob = {
    id: jobId,
    state: state as JobState,
    vendorState: requiredString(value, 'vendorState', name),
    tasks: readTasks(value['tasks'], `${name}.tasks`, 0),
  };
  for (const key of ['type', 'description', 'message'] as const) {
    const text = optionalString(value, key, name);
    if (text !== undefined) snapshot[key] = text;
  }
  if (value['error'] !== undefined) snapshot.error = readError(value['error'], `${name}.error`);
  if (value['progress'] !== undefined) {
    const progress = value['progress'];
    if (!isRecord(progress) || !isCount(progress['completed']) || !isCount(progress['total'])) {
      throw new InvalidArgumentError(`${name}.progress`, 'must be { completed, total } with whole numbers of 0 or more');
    }
    snapshot.progress = { completed: progress['completed'], total: progress['total'] };
  }
  for (const key of ['createdAt', 'startedAt', 'updatedAt', 'endedAt'] as const) {
    const iso = optionalString(value, key, name);
    if (iso === undefined) continue;
    if (Number.isNaN(new Date(iso).getTime())) throw new InvalidArgumentError(`${name}.${key}`, 'must be an ISO 8601 date');
    snapshot[key] = iso;
  }
  return snapshot;
}

function readTasks(value: unknown, name: string, depth: number): CheckpointTask[] {
  if (!Array.isArray(value)) throw new InvalidArgumentError(name, 'must be an array');
  if (depth >= MAX_TASK_DEPTH) throw new InvalidArgumentError(name, `nest more than ${MAX_TASK_DEPTH} levels deep`);
  return value.map((item: unknown, index): CheckpointTask => {
    const at = `${name}[${index}]`;
    if (!isRecord(item)) throw new InvalidArgumentError(at, 'must be an object');
    const state = item['state'];
    if (typeof state !== 'string' || !TASK_STATES.has(state)) throw new InvalidArgumentError(`${at}.state`, `must be one of ${[...TASK_STATES].join(', ')}`);
    const task: CheckpointTask = {
      id: requiredString(item, 'id', at),
      state: state as TaskState,
      vendorState: requiredString(item, 'vendorState', at),
      tasks: readTasks(item['tasks'], `${at}.tasks`, depth + 1),
    };
    for (const key of ['name', 'message'] as const) {
      const text = optionalString(item, key, at);
      if (text !== undefined) task[key] = text;
    }
    if (item['error'] !== undefined) task.error = readError(item['error'], `${at}.error`);
    return task;
  });
}

function readError(value: unknown, name: string): JobError {
  if (!isRecord(value)) throw new InvalidArgumentError(name, 'must be { message, code?, target? }');
  const error: JobError = { message: requiredString(value, 'message', name) };
  const code = optionalString(value, 'code', name);
  const target = optionalString(value, 'target', name);
  if (code !== undefined) error.code = code;
  if (target !== undefined) error.target = target;
  return error;
}

function requiredString(record: Record<string, unknown>, key: string, name: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new InvalidArgumentError(`${name}.${key}`, 'must be a string');
  return value;
}

function optionalString(record: Record<string, unknown>, key: string, name: string): string | undefined {
  const value = record[key];
  if (value !== undefined && typeof value !== 'string') throw new InvalidArgumentError(`${name}.${key}`, 'must be a string when present');
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(truncate(value, 120));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return `a value of type ${typeof value}`;
}
