import { planNextPoll, type NextPoll } from './backoff.js';
import { InvalidArgumentError } from './errors/invalid-argument-error.js';
import { JobNotFoundError } from './errors/job-not-found-error.js';
import { JobTimeoutError } from './errors/job-timeout-error.js';
import { WaitAbortedError } from './errors/wait-aborted-error.js';
import type { JobSource } from './job-client.js';
import { jobChanged } from './job-changes.js';
import { isTerminal, type Job } from './model.js';
import { resolveWaitOptions, type ResolvedWaitOptions, type WaitOptions } from './options.js';
import { isTransient, outcomeKey, retryAfterOf } from './transient.js';
import { WaitScope } from './wait-scope.js';

/** How a watch ended. @internal */
export interface WatchEnd<TRaw> {
  job: Job<TRaw>;
  /** `terminal`: the job ended; `until`: the snapshot met `until`. */
  reason: 'terminal' | 'until';
}

/**
 * Watches a job: yields the first snapshot and every changed one, and ends after yielding the
 * terminal one (a failed job is yielded, not thrown) or the one that meets `until`. Breaking out of
 * the loop stops all polling. Throws `JobTimeoutError`, `JobNotFoundError`, `WaitAbortedError`, or a
 * permanent error (`AuthenticationError`, `InvalidResponseError`, an `ApiError` such as 400).
 *
 * Options are validated at once: a bad value throws `InvalidArgumentError` from this call.
 *
 * @example
 * ```ts
 * for await (const job of watchJob(client, id, { timeoutMs: 600_000 })) {
 *   console.log(job.state, job.message);
 * }
 * ```
 */
export function watchJob<TRaw>(client: JobSource<TRaw>, id: string, options?: WaitOptions<TRaw>): AsyncIterableIterator<Job<TRaw>> {
  return pollJob(client, id, prepare(client, id, options));
}

/** Validates the client, the id and the options. @internal */
export function prepare<TRaw>(client: JobSource<TRaw>, id: string, options: WaitOptions<TRaw> | undefined): ResolvedWaitOptions<TRaw> {
  if (typeof client !== 'object' || client === null || typeof client.getJob !== 'function' || typeof client.vendor !== 'string') {
    throw new InvalidArgumentError('client', 'must have a string `vendor` and a `getJob(id, options)` method');
  }
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidArgumentError('id', 'must be a non-empty string');
  }
  return resolveWaitOptions(options, client.waitPolicy);
}

/**
 * The poll loop. Every other way of waiting drains this generator.
 * @internal
 */
export async function* pollJob<TRaw>(client: JobSource<TRaw>, id: string, o: ResolvedWaitOptions<TRaw>): AsyncGenerator<Job<TRaw>, WatchEnd<TRaw>, undefined> {
  const scope = new WaitScope(o.signal, o.timeoutMs);
  const outcomes: Record<string, number> = {};
  let polls = 0;
  let last: Job<TRaw> | undefined;
  let lastError: unknown;
  let step = 0;
  let final = false;

  const stopped = (inFlight = false): Error => {
    if (inFlight && scope.stopReason === 'deadline') outcomes['DEADLINE'] = (outcomes['DEADLINE'] ?? 0) + 1;
    if (scope.stopReason === 'aborted') {
      return new WaitAbortedError({ vendor: client.vendor, jobId: id, lastJob: last, cause: scope.abortReason });
    }
    return new JobTimeoutError({ vendor: client.vendor, jobId: id, lastJob: last, elapsedMs: scope.elapsed(), polls, outcomes, cause: lastError });
  };
  const sleep = async (ms: number): Promise<void> => {
    try {
      await scope.sleep(ms);
    } catch {
      throw stopped();
    }
  };

  try {
    for (;;) {
      if (scope.stopReason) throw stopped();
      let job: Job<TRaw> | undefined;
      let retryAfterMs: number | undefined;
      polls++;
      try {
        job = await scope.race(client.getJob(id, { signal: scope.signal }));
      } catch (error) {
        if (scope.stopReason) throw stopped(true);
        const key = outcomeKey(error);
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        if (error instanceof JobNotFoundError) {
          if (last) throw new JobNotFoundError({ vendor: client.vendor, jobId: id, lastJob: last, cause: error.cause ?? error });
          if (scope.elapsed() >= o.notFoundGraceMs) throw error;
        } else if (!isTransient(error)) {
          throw error;
        }
        lastError = error;
        retryAfterMs = retryAfterOf(error);
      }

      if (job) {
        outcomes['ok'] = (outcomes['ok'] ?? 0) + 1;
        lastError = undefined;
        const changed = last === undefined || jobChanged(last, job);
        last = job;
        if (changed) {
          o.onProgress?.(job);
          yield job;
        }
        if (o.until?.(job)) return { job, reason: 'until' };
        if (isTerminal(job.state)) return { job, reason: 'terminal' };
      }

      const remainingMs = scope.remaining();
      const plan: NextPoll = final ? ({ kind: 'expire', delayMs: Math.max(0, remainingMs) } as const) : planNextPoll({ step, remainingMs, retryAfterMs, schedule: o });
      step++;
      if (plan.kind === 'expire') {
        await sleep(plan.delayMs);
        throw new JobTimeoutError({ vendor: client.vendor, jobId: id, lastJob: last, elapsedMs: scope.elapsed(), polls, outcomes, cause: lastError });
      }
      final = plan.final;
      await sleep(plan.delayMs);
    }
  } finally {
    scope.dispose();
  }
}
