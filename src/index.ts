/**
 * jobwait: typed, multi-vendor job polling. The model, the waits and the errors.
 *
 * The vendor clients are in `jobwait/ontap`, `jobwait/cas` and `jobwait/cce`; the simulator in
 * `jobwait/testing`; what adapter authors and drivers of waits need (the transport, the
 * conformance kit, the wait's state and its transition) in `jobwait/adapter`.
 *
 * @packageDocumentation
 */
export { isTerminal } from './model/job.js';
export type { Job, JobError, JobProgress, JobState, Task, TaskState } from './model/job.js';
export type { CancelJobOptions, GetJobOptions, JobClient, JobSource, PolledJob, WaitPolicy } from './client/job-client.js';
export type { WaitOptions } from './engine/options.js';
export type { CheckpointJob, CheckpointSchedule, CheckpointTask, WaitCheckpoint } from './engine/checkpoint.js';
export { waitForJob } from './engine/wait-for-job.js';
export { watchJob } from './engine/watch-job.js';
export { waitForJobs, type BatchJobSource, type JobOutcome, type WaitForJobsOptions } from './engine/wait-for-jobs.js';
export type { ClientOptions, RetryOptions, TlsOptions } from './transport/client-options.js';
export type { Logger } from './transport/logger.js';
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
export type { CancelOutcome, JobwaitErrorCode, PollOutcomes, ResponseIssue, VendorErrorDetails } from './errors/index.js';
