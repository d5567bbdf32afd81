/**
 * jobwait: typed, multi-vendor job polling. The model, the poller and the errors.
 *
 * @packageDocumentation
 */
export { isTerminal, parseIsoDate, progressOf, JOB_STATES, MAX_TASK_DEPTH } from './model.js';
export type { Job, JobError, JobProgress, JobState, Task, TaskState } from './model.js';
export type { CancelJobOptions, GetJobOptions, JobClient, JobSource, WaitPolicy } from './job-client.js';
export { WAIT_DEFAULTS, type WaitOptions } from './options.js';
export {
  assertCheckpoint,
  CHECKPOINT_VERSION,
  createCheckpoint,
  jobFromCheckpoint,
  type CheckpointInput,
  type CheckpointSchedule,
  type CheckpointJob,
  type CheckpointTask,
  type WaitCheckpoint,
} from './checkpoint.js';
export { waitForJob } from './wait-for-job.js';
export { watchJob } from './watch-job.js';
export { waitForJobs, WAIT_FOR_JOBS_DEFAULTS, type BatchJobSource, type JobOutcome, type WaitForJobsOptions } from './wait-for-jobs.js';
export { jobChanged, type ComparedJob, type ComparedTask } from './job-changes.js';
export { baseDelay, jitteredDelay, planNextPoll, type NextPoll, type PlanInput, type Schedule } from './backoff.js';
export { isTransient } from './transient.js';
export { JobClientBase } from './client-base.js';
export { CLIENT_DEFAULTS, type ClientOptions, type RetryOptions, type TlsOptions } from './transport/client-options.js';
export type { Logger } from './transport/logger.js';
export { parseRetryAfter } from './transport/retry-after.js';
export {
  ApiError,
  AuthenticationError,
  ClientClosedError,
  InvalidArgumentError,
  InvalidResponseError,
  JobCancelledError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  JobwaitError,
  NetworkError,
  RateLimitError,
  UnsupportedOperationError,
  WaitAbortedError,
} from './errors/index.js';
export type {
  ApiErrorOptions,
  CancelOutcome,
  ClientClosedErrorOptions,
  InvalidResponseErrorOptions,
  JobNotFoundErrorOptions,
  JobTimeoutErrorOptions,
  JobwaitErrorCode,
  NetworkErrorOptions,
  PollOutcomes,
  ResponseIssue,
  VendorErrorDetails,
  WaitAbortedErrorOptions,
} from './errors/index.js';
