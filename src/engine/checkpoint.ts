import { z } from 'zod';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { truncate } from '../errors/describe.js';
import { JOB_STATES, MAX_TASK_DEPTH, type Job, type JobError, type JobState, type Task, type TaskState } from '../model/job.js';
import { nestsDeeperThan } from '../model/nesting.js';

/** The checkpoint format this version of jobwait writes, and the only one it reads. */
export const CHECKPOINT_VERSION = 2;

/**
 * A task in a checkpoint's snapshot: the part of a {@link Task} that change detection and a
 * display need (id, name, state, vendorState, message, error, children).
 */
export type CheckpointTask = Pick<Task, 'id' | 'name' | 'state' | 'vendorState' | 'message' | 'error'> & {
  /** Child tasks, in checkpoint form (CCE sub-jobs nest). */
  tasks: CheckpointTask[];
};

/**
 * A checkpoint's last snapshot: the JSON-safe part of a {@link Job} that change detection and a
 * display need. It has no `raw` (the vendor payload) and no `vendor` (the checkpoint has it), its
 * dates are ISO 8601 strings, and its tasks are {@link CheckpointTask}s.
 */
export type CheckpointJob = Pick<Job, 'id' | 'type' | 'description' | 'state' | 'vendorState' | 'message' | 'error' | 'progress'> & {
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
};

/**
 * The schedule a wait runs on, as resolved from its options and its client's limits. A checkpoint
 * carries it, so a resumed wait polls on the same schedule without being told again.
 */
export interface CheckpointSchedule {
  /** The first delay between polls, in milliseconds (`WaitOptions.minDelayMs`). */
  minDelayMs: number;
  /** The longest delay between polls, in milliseconds (`WaitOptions.maxDelayMs`, capped by the vendor). */
  maxDelayMs: number;
  /** The longest `Retry-After` honoured, in milliseconds (capped by the vendor). */
  retryAfterCapMs: number;
  /** How long a 404 counts as "not visible yet" before the job is first seen (`WaitOptions.notFoundGraceMs`). */
  notFoundGraceMs: number;
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
  /** The wait's delay bounds and not-found grace. */
  schedule: CheckpointSchedule;
  /** Polls sent so far. */
  polls: number;
  /** The schedule's position: how many delays were planned so far (the next delay grows from it). */
  step: number;
  /** When the next poll is due, in epoch milliseconds; `null` when no further poll is planned. */
  nextPollAt: number | null;
  /**
   * The earliest the next poll may go, in epoch milliseconds (the lower bound of its jitter, or
   * its `Retry-After`): a scheduler that polls several waits together may take this one along from
   * then on. `null` when no further poll is planned. Read as `nextPollAt` when absent.
   */
  earliestPollAt?: number | null;
  /**
   * Counts of the polls so far that did not answer with a snapshot, by outcome (an HTTP status, an
   * error kind), as `JobTimeoutError.outcomes` reports them; the other polls (`polls` less these)
   * answered, and are reported as `ok`. Read as `{}` when absent.
   */
  outcomes?: Record<string, number>;
  /** The last snapshot seen; absent when the job was not seen yet. */
  lastJob?: CheckpointJob;
}

/** Input of {@link createCheckpoint}: a checkpoint's fields but `version`, with the last snapshot as a {@link Job}. */
export type CheckpointInput = Omit<WaitCheckpoint, 'version' | 'lastJob'> & {
  /** The last snapshot of the job, if one was seen. */
  lastJob?: Job<unknown> | undefined;
};

const TASK_STATES = [...JOB_STATES, 'skipped'] as const satisfies readonly TaskState[];

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const epochMs = z.number().finite();
const delayMs = z.number().finite().min(0);
const isoDate = z.string().refine((iso) => !Number.isNaN(new Date(iso).getTime()), 'must be an ISO 8601 date');

const jobErrorSchema = z.object({ code: z.string().optional(), message: z.string(), target: z.string().optional() }) satisfies z.ZodType<JobError>;

const taskSchema: z.ZodType<CheckpointTask> = z.lazy(() =>
  z.object({
    id: z.string(),
    name: z.string().optional(),
    state: z.enum(TASK_STATES),
    vendorState: z.string(),
    message: z.string().optional(),
    error: jobErrorSchema.optional(),
    tasks: z.array(taskSchema),
  }),
);

const jobSchema = z.object({
  id: z.string(),
  type: z.string().optional(),
  description: z.string().optional(),
  state: z.enum(JOB_STATES as readonly JobState[] as [JobState, ...JobState[]]),
  vendorState: z.string(),
  message: z.string().optional(),
  error: jobErrorSchema.optional(),
  progress: z.object({ completed: count, total: count }).optional(),
  createdAt: isoDate.optional(),
  startedAt: isoDate.optional(),
  updatedAt: isoDate.optional(),
  endedAt: isoDate.optional(),
  tasks: z.array(taskSchema),
}) satisfies z.ZodType<CheckpointJob>;

/** The checkpoint's form, after its version, vendor and job id were checked. */
const checkpointSchema = z
  .object({
    version: z.literal(CHECKPOINT_VERSION),
    vendor: z.string(),
    jobId: z.string().min(1),
    startedAt: epochMs,
    deadline: epochMs.nullable(),
    schedule: z.object({ minDelayMs: delayMs, maxDelayMs: delayMs, retryAfterCapMs: delayMs, notFoundGraceMs: delayMs }),
    polls: count,
    step: count,
    nextPollAt: epochMs.nullable(),
    earliestPollAt: epochMs.nullable().optional(),
    outcomes: z.record(z.string(), count).optional(),
    lastJob: jobSchema.optional(),
  })
  .superRefine((value, context) => {
    if (value.deadline !== null && value.deadline < value.startedAt) {
      context.addIssue({ code: 'custom', path: ['deadline'], message: 'must be null or a finite number (epoch milliseconds) not before startedAt' });
    }
    if (value.schedule.maxDelayMs < value.schedule.minDelayMs) {
      context.addIssue({ code: 'custom', path: ['schedule', 'maxDelayMs'], message: 'must not be below schedule.minDelayMs' });
    }
    if (value.earliestPollAt != null && (value.nextPollAt === null || value.earliestPollAt > value.nextPollAt)) {
      context.addIssue({ code: 'custom', path: ['earliestPollAt'], message: 'must be null or not after nextPollAt' });
    }
    if (value.lastJob !== undefined && value.lastJob.id !== value.jobId) {
      context.addIssue({ code: 'custom', path: ['lastJob', 'id'], message: `must be the checkpoint's jobId ${show(value.jobId)}` });
    }
  }) satisfies z.ZodType<WaitCheckpoint>;

/**
 * Builds a checkpoint. Epoch times are rounded to whole milliseconds; the snapshot keeps what
 * change detection and a display need (not `raw`).
 */
export function createCheckpoint(input: CheckpointInput): WaitCheckpoint {
  const { minDelayMs, maxDelayMs, retryAfterCapMs, notFoundGraceMs } = input.schedule;
  const checkpoint: WaitCheckpoint = {
    version: CHECKPOINT_VERSION,
    vendor: input.vendor,
    jobId: input.jobId,
    startedAt: Math.round(input.startedAt),
    deadline: input.deadline === null || input.deadline === Infinity ? null : Math.round(input.deadline),
    schedule: { minDelayMs, maxDelayMs, retryAfterCapMs, notFoundGraceMs },
    polls: input.polls,
    step: input.step,
    nextPollAt: input.nextPollAt === null ? null : Math.round(input.nextPollAt),
  };
  if (input.earliestPollAt !== undefined) {
    const next = checkpoint.nextPollAt;
    checkpoint.earliestPollAt = input.earliestPollAt === null || next === null ? null : Math.min(Math.round(input.earliestPollAt), next);
  }
  if (input.outcomes !== undefined) checkpoint.outcomes = { ...input.outcomes };
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
  const { createdAt, startedAt, updatedAt, endedAt, tasks, error, progress, ...rest } = snapshot;
  const job: Job<undefined> = { ...rest, vendor: checkpoint.vendor, tasks: tasks.map(toTask), raw: undefined };
  if (error !== undefined) job.error = { ...error };
  if (progress !== undefined) job.progress = { ...progress };
  if (createdAt !== undefined) job.createdAt = new Date(createdAt);
  if (startedAt !== undefined) job.startedAt = new Date(startedAt);
  if (updatedAt !== undefined) job.updatedAt = new Date(updatedAt);
  if (endedAt !== undefined) job.endedAt = new Date(endedAt);
  return job;
}

/**
 * Validates a checkpoint and returns a clean copy of it (unknown fields dropped), so a caller
 * changing theirs later changes nothing. With `expected`, it must belong to that vendor and job.
 * Errors name the field as `${name}.field`.
 * @internal
 */
export function readCheckpoint(value: unknown, name: string, expected?: { vendor: string; jobId: string }): WaitCheckpoint {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(name, 'must be a checkpoint object (from onCheckpoint)');
  }
  const record = value as Record<string, unknown>;
  // The version first, so a checkpoint of another format is reported as such, whatever else it holds.
  if (record['version'] !== CHECKPOINT_VERSION) {
    throw new InvalidArgumentError(`${name}.version`, `is ${show(record['version'])}: this jobwait reads checkpoint version ${CHECKPOINT_VERSION} only`);
  }
  if (expected && typeof record['vendor'] === 'string' && record['vendor'] !== expected.vendor) {
    throw new InvalidArgumentError(`${name}.vendor`, `is ${show(record['vendor'])}: a checkpoint of another vendor cannot resume a wait on this ${show(expected.vendor)} client`);
  }
  if (expected && typeof record['jobId'] === 'string' && record['jobId'] !== expected.jobId) {
    throw new InvalidArgumentError(`${name}.jobId`, `is ${show(record['jobId'])}: a checkpoint of another job cannot resume the wait on job ${show(expected.jobId)}`);
  }
  // The schema is recursive: measure the nesting first, without recursion, so no input can overflow the stack.
  const lastJob = record['lastJob'];
  if (nestsDeeperThan(lastJob, childTasks, MAX_TASK_DEPTH)) {
    throw new InvalidArgumentError(`${name}.lastJob.tasks`, `nest more than ${MAX_TASK_DEPTH} levels deep`);
  }
  const parsed = checkpointSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  throw new InvalidArgumentError(`${name}${pathText(issue.path)}`, issueText(issue, valueAt(value, issue.path)));
}

/** What `value` holds at a zod issue's path (zod's issues do not carry the input). */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return at;
}

/** A snapshot's or task's `tasks`, whatever the value is. */
function childTasks(node: unknown): unknown {
  return typeof node === 'object' && node !== null ? (node as { tasks?: unknown }).tasks : undefined;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
}

/** A zod issue in the words the rest of jobwait uses. */
function issueText(issue: z.core.$ZodIssue, input: unknown): string {
  if (input === undefined) return 'is missing';
  if (issue.code === 'invalid_type') return `must be ${issue.expected === 'number' ? 'a finite number' : issue.expected === 'int' ? 'a whole number of 0 or more' : `of type ${issue.expected}`}, got ${show(input)}`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'too_small' || issue.code === 'too_big') return issue.origin === 'string' ? 'must be a non-empty string' : 'must be a whole number of 0 or more';
  return issue.message;
}

/** A snapshot in checkpoint form: what change detection and a display need, JSON-safe. @internal */
export function toCheckpointJob(job: Job<unknown>): CheckpointJob {
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

function toTask({ tasks, error, ...rest }: CheckpointTask): Task {
  const task: Task = { ...rest, tasks: tasks.map(toTask) };
  if (error !== undefined) task.error = { ...error };
  return task;
}

function copyError(error: JobError): JobError {
  const copy: JobError = { message: error.message };
  if (error.code !== undefined) copy.code = error.code;
  if (error.target !== undefined) copy.target = error.target;
  return copy;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(truncate(value, 120));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return `a value of type ${typeof value}`;
}
