/**
 * The normalized job model shared by every adapter.
 *
 * @packageDocumentation
 */
import { cachedInstants } from './instant-cache.js';

/** The state of a job, normalized across vendors. */
export type JobState = 'queued' | 'running' | 'paused' | 'succeeded' | 'failed' | 'cancelled' | 'unknown';

/** The state of a task (a step or sub-job of a job): a job state, or `skipped`. */
export type TaskState = JobState | 'skipped';

/** Every job state, in lifecycle order. */
export const JOB_STATES: readonly JobState[] = Object.freeze([
  'queued',
  'running',
  'paused',
  'succeeded',
  'failed',
  'cancelled',
  'unknown',
]);

const TERMINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled', 'skipped']);

/**
 * Whether a state is final: `succeeded`, `failed`, `cancelled`, and for tasks `skipped`.
 * `unknown` is never terminal, so a state a mapping does not know keeps the wait going.
 */
export function isTerminal(state: JobState | TaskState): boolean {
  return TERMINAL.has(state);
}

/** What went wrong, as the vendor reported it. */
export interface JobError {
  /** The vendor's error code, as a string (`"ECC00011"`, `"460770"`). */
  code?: string;
  /** The vendor's error message. */
  message: string;
  /** The parameter or object the error is about, where the vendor says. */
  target?: string;
}

/** A step of a job (CAS tasks) or a sub-job (CCE). */
export interface Task {
  /** The task's id, unique within its job. */
  id: string;
  /** The task's name, where the vendor gives one. */
  name?: string;
  /** The vendor's task type, where it has one. */
  type?: string;
  /** Position of the task in its job, where the vendor numbers them. */
  index?: number;
  /** The normalized state of the task. */
  state: TaskState;
  /** The vendor's own word for the state, untouched. */
  vendorState: string;
  /** The vendor's latest status message for the task, if any. */
  message?: string;
  /** What went wrong, when the task failed and the vendor says why. */
  error?: JobError;
  /** When the task was created, where the vendor reports it. */
  createdAt?: Date;
  /** When the task last changed, where the vendor reports it. */
  updatedAt?: Date;
  /** Children: CCE sub-jobs nest. */
  tasks: Task[];
}

/**
 * How deep a job's tasks may nest: `job.tasks` is level 1, their `tasks` level 2, and so on. Real
 * CCE sub-jobs nest two or three levels; an adapter refuses an answer that nests deeper with
 * `InvalidResponseError` before any recursive step reads it, and a checkpoint that nests deeper is
 * refused, so no walk over a task tree goes deeper than this.
 */
export const MAX_TASK_DEPTH = 32;

/** Completed (terminal) tasks out of all tasks. */
export interface JobProgress {
  /** How many top-level tasks are in a terminal state. */
  completed: number;
  /** How many top-level tasks the job has. */
  total: number;
}

/**
 * One snapshot of a job, normalized.
 *
 * @typeParam TRaw - the validated vendor payload, typed per adapter.
 */
export interface Job<TRaw = unknown> {
  /** `'ontap' | 'cas' | 'cce'` or a custom adapter's name. */
  vendor: string;
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
  /** When the job was created, where the vendor reports it. */
  createdAt?: Date;
  /** When the job started running, where the vendor reports it. */
  startedAt?: Date;
  /** When the job last changed, where the vendor reports it. */
  updatedAt?: Date;
  /** When the job reached a terminal state, where the vendor reports it. */
  endedAt?: Date;
  /** The job's tasks (CAS steps, CCE sub-jobs); empty when the vendor has none. */
  tasks: Task[];
  /** From the tasks, where the vendor has them. */
  progress?: JobProgress;
  /** The validated vendor payload. */
  raw: TRaw;
}

/** Counts the top-level tasks that are in a terminal state; `undefined` when there are none. */
export function progressOf(tasks: readonly Task[]): JobProgress | undefined {
  if (tasks.length === 0) return undefined;
  let completed = 0;
  for (const task of tasks) if (isTerminal(task.state)) completed++;
  return { completed, total: tasks.length };
}

const ISO_8601 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601 / RFC 3339 timestamp into a `Date`, or `undefined` when it is absent or not a
 * real instant. A timestamp without an offset is read as UTC (never as the machine's local time).
 * Never returns an Invalid Date.
 */
export function parseIsoDate(value: string | null | undefined): Date | undefined {
  return cachedIso(value);
}

const cachedIso = cachedInstants(isoToEpochMs);

/** The instant of an ISO 8601 text, in epoch milliseconds; `NaN` when it is not one. @internal */
export function isoToEpochMs(value: string): number {
  const match = ISO_8601.exec(value.trim());
  if (!match) return Number.NaN;
  const offset = match[3] ?? 'Z';
  const normalizedOffset = offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset;
  const day = match[1] as string;
  const ms = new Date(`${day}T${match[2]}${normalizedOffset.toUpperCase()}`).getTime();
  if (Number.isNaN(ms)) return Number.NaN;
  // `new Date` rolls impossible days over (Feb 30 becomes Mar 1): such a value is no instant.
  const [year, month, dayOfMonth] = day.split('-').map(Number) as [number, number, number];
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, dayOfMonth); // Date.UTC would read years 0-99 as 1900-1999
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== dayOfMonth) return Number.NaN;
  return ms;
}
