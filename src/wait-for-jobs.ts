import { InvalidArgumentError } from './errors/invalid-argument-error.js';
import type { GetJobOptions, JobSource } from './job-client.js';
import type { Job } from './model.js';
import { resolveWaitOptions, type WaitOptions } from './options.js';
import { RequestLimiter } from './transport/limiter.js';
import { waitForJob } from './wait-for-job.js';

/** Options of {@link waitForJobs}: a wait's options, for every job, plus the fleet's own. */
export interface WaitForJobsOptions<TRaw = unknown> extends WaitOptions<TRaw> {
  /**
   * Requests in flight at once, for a client that fetches one job per request. Every wait runs
   * from the start; only their polls queue.
   * @default 16
   */
  concurrency?: number;
  /**
   * Reject with the first job's error (a failed or cancelled job, a timeout, …) and stop every
   * other wait, instead of settling all of them.
   * @default false
   */
  failFast?: boolean;
}

/** How one job of a fleet ended, in the manner of `Promise.allSettled`. */
export type JobOutcome<TRaw = unknown> =
  | { id: string; status: 'fulfilled'; job: Job<TRaw>; error?: undefined }
  | { id: string; status: 'rejected'; error: unknown; job?: undefined };

/** The fleet defaults, in one place. */
export const WAIT_FOR_JOBS_DEFAULTS = Object.freeze({ concurrency: 16, failFast: false });

/**
 * Waits on many jobs at once and resolves with one outcome per id, in input order: `{ id, job }`
 * or `{ id, error }`. `timeoutMs` is one deadline for the whole fleet; `onProgress` fires for each
 * job's changes. With `failFast: true` it rejects with the first error instead.
 *
 * @example
 * ```ts
 * const outcomes = await waitForJobs(ontap, uuids, { timeoutMs: 600_000 });
 * const failed = outcomes.filter((o) => o.status === 'rejected');
 * ```
 */
export async function waitForJobs<TRaw>(client: JobSource<TRaw>, ids: readonly string[], options: WaitForJobsOptions<TRaw> = {}): Promise<JobOutcome<TRaw>[]> {
  const { concurrency = WAIT_FOR_JOBS_DEFAULTS.concurrency, failFast = WAIT_FOR_JOBS_DEFAULTS.failFast, ...wait } = options;
  if (!Array.isArray(ids)) throw new InvalidArgumentError('ids', 'must be an array of job ids');
  for (const [index, id] of ids.entries()) {
    if (typeof id !== 'string' || id.length === 0) throw new InvalidArgumentError(`ids[${index}]`, 'must be a non-empty string');
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidArgumentError('concurrency', `must be a whole number of 1 or more, got ${String(concurrency)}`);
  if (typeof failFast !== 'boolean') throw new InvalidArgumentError('failFast', 'must be a boolean');
  const resolved = resolveWaitOptions(wait, client.waitPolicy); // validates before any request
  if (ids.length === 0) return [];

  const stop = new AbortController();
  const onAbort = (): void => stop.abort(resolved.signal?.reason);
  if (resolved.signal?.aborted) onAbort();
  else resolved.signal?.addEventListener('abort', onAbort, { once: true });
  const deadline = performance.now() + resolved.timeoutMs;
  const gate = new RequestLimiter({ maxConcurrent: concurrency });
  const gated: JobSource<TRaw> = {
    vendor: client.vendor,
    ...(client.waitPolicy ? { waitPolicy: client.waitPolicy } : {}),
    getJob: async (id: string, getOptions?: GetJobOptions) => {
      const release = await gate.acquire(getOptions?.signal);
      try {
        return await client.getJob(id, getOptions);
      } finally {
        release();
      }
    },
  };

  let firstFailure: { error: unknown } | undefined;
  try {
    const outcomes = await Promise.all(
      ids.map(async (id): Promise<JobOutcome<TRaw>> => {
        try {
          const remaining = Math.max(1, deadline - performance.now());
          const job = await waitForJob(gated, id, { ...wait, timeoutMs: remaining, signal: stop.signal });
          return { id, status: 'fulfilled', job };
        } catch (error) {
          if (failFast && !firstFailure) {
            firstFailure = { error };
            stop.abort(error);
          }
          return { id, status: 'rejected', error };
        }
      }),
    );
    if (firstFailure) throw firstFailure.error;
    return outcomes;
  } finally {
    resolved.signal?.removeEventListener('abort', onAbort);
  }
}
