import type { Job } from './model.js';
import type { WaitOptions } from './options.js';

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
  /** Vendor limits on waiting; optional. */
  readonly waitPolicy?: WaitPolicy;
  /**
   * Asks the vendor to cancel the job; optional. A wait's `cancelOnAbort` needs it. It resolves
   * once the vendor accepted the request (the job may end later) and rejects with the vendor's
   * refusal, typically an `ApiError`.
   */
  cancelJob?(id: string, options?: GetJobOptions): Promise<void>;
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
