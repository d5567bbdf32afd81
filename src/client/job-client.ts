import type { Job } from '../model/job.js';
import type { WaitOptions } from '../engine/options.js';

/**
 * Options of one call that makes requests (`getJob`, `getJobs`, `cancelJob`, ONTAP's `listJobs`
 * and job actions): its abort signal.
 */
export interface GetJobOptions {
  /** Aborts the request; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Options of a `cancelJob` call.
 * @deprecated The same type as {@link GetJobOptions}: use that name.
 */
export type CancelJobOptions = GetJobOptions;

/**
 * Limits a vendor puts on waiting, declared by its client and applied by the core poller.
 */
export interface WaitPolicy {
  /**
   * The longest delay between two polls this vendor tolerates (ONTAP deletes finished jobs after
   * 300 s, so its client sets 60 s). Caps `maxDelayMs` and any `Retry-After`.
   */
  readonly maxDelayMs?: number;
}

/**
 * The least a client needs for the standalone `waitForJob` / `watchJob`: a vendor name and
 * `getJob`. A custom adapter implements this and gets the waiting for free.
 *
 * `getJob` reports a job that does not exist by throwing `JobNotFoundError`; transient trouble as
 * `NetworkError`, `RateLimitError` or an `ApiError` with a 5xx status. Anything else ends a wait.
 */
export interface JobSource<TRaw = unknown> {
  /** The vendor's name, as `Job.vendor` carries it (`'ontap'`, or a custom adapter's name). */
  readonly vendor: string;
  /** Fetches one job; a job that does not exist rejects with `JobNotFoundError`. */
  getJob(id: string, options?: GetJobOptions): Promise<Job<TRaw>>;
  /**
   * Fetches one job as `getJob` does, with the vendor's hint for the next poll; optional. When a
   * source has it, its waits poll through it instead of `getJob` (a fleet's collection queries
   * through `getJobs` aside), so an adapter whose vendor says when to ask again (a `Retry-After` on a
   * successful answer, a `retry_after` field, a polling interval) passes that on.
   */
  pollJob?(id: string, options?: GetJobOptions): Promise<PolledJob<TRaw>>;
  /** Vendor limits on waiting; optional. */
  readonly waitPolicy?: WaitPolicy;
  /**
   * Asks the vendor to cancel the job; optional. A wait's `cancelOnAbort` needs it. It resolves
   * once the vendor accepted the request (the job may end later) and rejects with the vendor's
   * refusal, typically an `ApiError`.
   */
  cancelJob?(id: string, options?: GetJobOptions): Promise<void>;
}

/** What {@link JobSource.pollJob} answers: a snapshot, and when the vendor asks to be polled next. */
export interface PolledJob<TRaw = unknown> {
  /** The snapshot, as `getJob` would answer it. */
  job: Job<TRaw>;
  /**
   * How long the vendor asks the caller to wait before the next poll, in milliseconds. The wait
   * treats it as a `Retry-After`, within its own bounds: its next poll goes no earlier than this,
   * or than `maxDelayMs` if that is shorter; a hint never brings a poll forward, and the deadline
   * still comes first. Absent, or not a number of 0 or more: the wait's own schedule.
   */
  retryAfterMs?: number;
}

/** A vendor client: fetch a job, wait for it, watch it, close the connections. */
export interface JobClient<TRaw = unknown> extends JobSource<TRaw> {
  /** Polls until the job ends (or meets `until`) and resolves with that snapshot. */
  waitForJob(id: string, options?: WaitOptions<TRaw>): Promise<Job<TRaw>>;
  /** Yields the first snapshot and every changed one; ends after the terminal one. */
  watchJob(id: string, options?: WaitOptions<TRaw>): AsyncIterableIterator<Job<TRaw>>;
  /** Closes the client's connections (not a caller's own `dispatcher`). */
  close(): Promise<void>;
  /** `await using client = …` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void>;
}
