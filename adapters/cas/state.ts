import { asciiUpperCase } from '../../src/model/ascii-case.js';
import type { JobState, TaskState } from '../../src/model/job.js';

/** ServiceStage `EXECUTION_STATUS` values and what they map to. */
export const CAS_EXECUTION_STATES: Readonly<Record<string, JobState>> = Object.freeze({
  SUBMITTED: 'queued',
  SCHEDULED: 'queued',
  RUNNING: 'running',
  ROLLBACKING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  PARTIALLY_FAILED: 'failed',
  ROLLBACKED: 'failed',
  CANCELLED: 'cancelled',
  UNKNOWN: 'unknown',
});

/** ServiceStage `TASK_STATUS` values: the execution states without UNKNOWN, plus SKIPPED. */
export const CAS_TASK_STATES: Readonly<Record<string, TaskState>> = Object.freeze({
  ...CAS_EXECUTION_STATES,
  SKIPPED: 'skipped',
});

/** Maps a job's `EXECUTION_STATUS` (either case); anything else is `unknown`. */
export function mapCasJobState(status: string): JobState {
  const key = asciiUpperCase(status);
  return Object.hasOwn(CAS_EXECUTION_STATES, key) ? (CAS_EXECUTION_STATES[key] as JobState) : 'unknown';
}

/** Maps a task's `TASK_STATUS` (either case); anything else is `unknown`. */
export function mapCasTaskState(status: string): TaskState {
  const key = asciiUpperCase(status);
  return Object.hasOwn(CAS_TASK_STATES, key) ? (CAS_TASK_STATES[key] as TaskState) : 'unknown';
}
