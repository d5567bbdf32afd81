import { offAbort, onAbort } from './abort-listeners.js';
import { planNextPoll, type NextPoll } from './backoff.js';
import { closingSignalOf, setClosingSignal } from './client-closing.js';
import { InvalidArgumentError } from './errors/invalid-argument-error.js';
import { JobNotFoundError } from './errors/job-not-found-error.js';
import type { GetJobOptions, JobSource } from './job-client.js';
import { isTerminal, type Job } from './model.js';
import { resolveWaitOptions, type ResolvedWaitOptions, type WaitOptions } from './options.js';
import { RequestLimiter } from './transport/limiter.js';
import { countOutcome, interruptedError, recordFailure, recordSnapshot, terminalError, timeoutError, type PollState } from './poll-state.js';
import { waitForJob } from './wait-for-job.js';
import { WaitScope } from './wait-scope.js';

/**
 * A client that can read many jobs in one request (the ONTAP client can). `waitForJobs` then polls
 * every pending job of a round with one call; a job missing from the answer counts as a 404 for
 * that job alone.
 */
export interface BatchJobSource<TRaw = unknown> extends JobSource<TRaw> {
  /** Fetches many jobs in one request; a job that does not exist is absent from the map. */
  getJobs(ids: readonly string[], options?: GetJobOptions): Promise<Map<string, Job<TRaw>>>;
}

/** Options of {@link waitForJobs}: a wait's options, for every job, plus the fleet's own. */
export interface WaitForJobsOptions<TRaw = unknown> extends Omit<WaitOptions<TRaw>, 'resumeFrom' | 'onCheckpoint' | 'cancelOnAbort'> {
  /** Not for fleets: a checkpoint belongs to one wait (`InvalidArgumentError`). */
  resumeFrom?: undefined;
  /** Not for fleets: a checkpoint belongs to one wait (`InvalidArgumentError`). */
  onCheckpoint?: undefined;
  /** Not for fleets yet (`InvalidArgumentError`): cancel each job with the client's `cancelJob`. */
  cancelOnAbort?: false;
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
  | {
      /** The job id, as passed in. */
      id: string;
      /** The wait resolved. */
      status: 'fulfilled';
      /** The job's final snapshot. */
      job: Job<TRaw>;
      /** Never set on a fulfilled outcome. */
      error?: undefined;
    }
  | {
      /** The job id, as passed in. */
      id: string;
      /** The wait rejected. */
      status: 'rejected';
      /** Why the wait rejected (a {@link JobwaitError} or the signal's reason). */
      error: unknown;
      /** Never set on a rejected outcome. */
      job?: undefined;
    };

/** The fleet defaults, in one place. */
export const WAIT_FOR_JOBS_DEFAULTS = Object.freeze({
  /** How many jobs are waited on at once. */
  concurrency: 16,
  /** Whether the first error rejects the whole fleet wait. */
  failFast: false,
});

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
  // One job's checkpoint, or cancelling every job of a fleet on abort, has no fleet meaning yet.
  for (const option of ['resumeFrom', 'onCheckpoint', 'cancelOnAbort'] as const) {
    if (wait[option] !== undefined && wait[option] !== false) {
      throw new InvalidArgumentError(option, 'belongs to one wait: use waitForJob for each job that needs it');
    }
  }
  const resolved = resolveWaitOptions(wait, client.waitPolicy); // validates before any request
  if (ids.length === 0) return [];
  if (typeof (client as Partial<BatchJobSource<TRaw>>).getJobs === 'function') {
    return waitBatched(client as BatchJobSource<TRaw>, ids, resolved, failFast);
  }

  // Every wait of the fleet listens to this one signal, through its one listener (abort-listeners).
  const stop = new AbortController();
  const abortFleet = (): void => stop.abort(resolved.signal?.reason);
  if (resolved.signal?.aborted) abortFleet();
  else if (resolved.signal) onAbort(resolved.signal, abortFleet);
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
  // Closing the client ends the fleet's waits as it ends a single one.
  const closing = closingSignalOf(client);
  if (closing) setClosingSignal(gated, closing);

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
    if (resolved.signal) offAbort(resolved.signal, abortFleet);
  }
}

/** One job of a batched fleet. */
interface Tracked<TRaw> extends PollState<TRaw> {
  id: string;
  outcome: JobOutcome<TRaw> | undefined;
}

/**
 * The batched fleet: one schedule for all, one `getJobs` call per round for the jobs still pending.
 * The rules per job are a single wait's (see `pollJob`): change detection, `until`, failure,
 * not-found grace, seen-then-vanished, and the deadline.
 */
async function waitBatched<TRaw>(client: BatchJobSource<TRaw>, ids: readonly string[], o: ResolvedWaitOptions<TRaw>, failFast: boolean): Promise<JobOutcome<TRaw>[]> {
  const tracked = new Map<string, Tracked<TRaw>>();
  for (const id of ids) if (!tracked.has(id)) tracked.set(id, { id, polls: 0, step: 0, last: undefined, lastError: undefined, outcomes: {}, outcome: undefined });
  const scope = new WaitScope(o.signal, o.timeoutMs, undefined, closingSignalOf(client));
  const settle = (t: Tracked<TRaw>, outcome: { job: Job<TRaw> } | { error: unknown }): void => {
    t.outcome = 'job' in outcome ? { id: t.id, status: 'fulfilled', job: outcome.job } : { id: t.id, status: 'rejected', error: outcome.error };
  };
  const stopAll = (pending: Tracked<TRaw>[], inFlight: boolean): void => {
    const reason = scope.stopReason;
    for (const t of pending) {
      if (reason === 'aborted' || reason === 'closed') {
        settle(t, { error: interruptedError(reason, t, { vendor: client.vendor, jobId: t.id, abortReason: scope.abortReason }) });
        continue;
      }
      if (inFlight) countOutcome(t, 'DEADLINE');
      settle(t, { error: timeoutError(t, { vendor: client.vendor, jobId: t.id, elapsedMs: scope.elapsed() }) });
    }
  };
  let step = 0;
  let final = false;
  try {
    for (;;) {
      const pending = [...tracked.values()].filter((t) => !t.outcome);
      if (pending.length === 0) break;
      if (scope.stopReason) {
        stopAll(pending, false);
        break;
      }
      for (const t of pending) t.polls++;
      let answer: Map<string, Job<TRaw>> | undefined;
      let retryAfterMs: number | undefined;
      try {
        answer = await scope.race(client.getJobs(pending.map((t) => t.id), { signal: scope.signal }));
      } catch (error) {
        if (scope.stopReason) {
          stopAll(pending, true);
          break;
        }
        for (const t of pending) {
          const failed = recordFailure(t, error, { vendor: client.vendor, jobId: t.id, elapsedMs: scope.elapsed(), notFoundGraceMs: o.notFoundGraceMs });
          if (failed.ends) settle(t, { error: failed.error });
          else retryAfterMs = failed.retryAfterMs;
        }
      }
      for (const t of answer ? pending : []) {
        const job = (answer as Map<string, Job<TRaw>>).get(t.id);
        if (!job) {
          // Missing from the answer: a 404 for this job alone.
          const failed = recordFailure(t, new JobNotFoundError({ vendor: client.vendor, jobId: t.id }), { vendor: client.vendor, jobId: t.id, elapsedMs: scope.elapsed(), notFoundGraceMs: o.notFoundGraceMs });
          if (failed.ends) settle(t, { error: failed.error });
          continue;
        }
        if (recordSnapshot(t, job)) o.onProgress?.(job);
        if (o.until?.(job)) settle(t, { job });
        else if (isTerminal(job.state)) {
          const error = terminalError(job, o.throwOnFailure);
          settle(t, error ? { error } : { job });
        }
      }
      if (failFast && [...tracked.values()].some((t) => t.outcome?.status === 'rejected')) break;
      if ([...tracked.values()].every((t) => t.outcome)) break;
      const remainingMs = scope.remaining();
      const plan: NextPoll = final ? { kind: 'expire', delayMs: Math.max(0, remainingMs) } : planNextPoll({ step, remainingMs, retryAfterMs, schedule: o });
      step++;
      try {
        await scope.sleep(plan.delayMs);
      } catch {
        stopAll([...tracked.values()].filter((t) => !t.outcome), false);
        break;
      }
      if (plan.kind === 'expire') {
        for (const t of tracked.values()) {
          if (!t.outcome) settle(t, { error: timeoutError(t, { vendor: client.vendor, jobId: t.id, elapsedMs: scope.elapsed() }) });
        }
        break;
      }
      final = plan.final;
    }
  } finally {
    scope.dispose();
  }
  const outcomes = ids.map((id) => (tracked.get(id) as Tracked<TRaw>).outcome);
  // Under failFast every way a job can fail (its own error, the deadline, the abort) rejects the
  // fleet; the jobs still pending then have no outcome.
  const failed = failFast ? outcomes.find((outcome) => outcome?.status === 'rejected') : undefined;
  if (failed) throw failed.error;
  return outcomes as JobOutcome<TRaw>[];
}
