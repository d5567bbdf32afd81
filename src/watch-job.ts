import { planNextPoll, type NextPoll } from './backoff.js';
import { createCheckpoint, jobFromCheckpoint } from './checkpoint.js';
import { now, wallClockOffset } from './clock.js';
import { InvalidArgumentError } from './errors/invalid-argument-error.js';
import { JobTimeoutError } from './errors/job-timeout-error.js';
import { UnsupportedOperationError } from './errors/unsupported-operation-error.js';
import { WaitAbortedError, type CancelOutcome } from './errors/wait-aborted-error.js';
import type { JobSource } from './job-client.js';
import { countOutcome, recordFailure, recordSnapshot, type PollState } from './poll-state.js';
import { isTerminal, type Job } from './model.js';
import { resolveWaitOptions, type ResolvedWaitOptions, type WaitOptions } from './options.js';
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
 * Options are validated at once: a bad value throws `InvalidArgumentError` from this call, and
 * `cancelOnAbort` on a client without `cancelJob` throws `UnsupportedOperationError`.
 *
 * With `resumeFrom`, it yields only the changes since the checkpoint (see `WaitOptions.resumeFrom`).
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

/**
 * Validates the client, the id and the options (a `resumeFrom` must be this vendor's and this
 * job's; `cancelOnAbort` needs a client with `cancelJob`). Throws before any request.
 * @internal
 */
export function prepare<TRaw>(client: JobSource<TRaw>, id: string, options: WaitOptions<TRaw> | undefined): ResolvedWaitOptions<TRaw> {
  if (typeof client !== 'object' || client === null || typeof client.getJob !== 'function' || typeof client.vendor !== 'string') {
    throw new InvalidArgumentError('client', 'must have a string `vendor` and a `getJob(id, options)` method');
  }
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidArgumentError('id', 'must be a non-empty string');
  }
  const resolved = resolveWaitOptions(options, client.waitPolicy, { vendor: client.vendor, jobId: id });
  if (resolved.cancelOnAbort && typeof client.cancelJob !== 'function') {
    throw new UnsupportedOperationError('cancelOnAbort', `the ${client.vendor} client has no cancelJob(id), so a wait on it cannot cancel the job`);
  }
  return resolved;
}

/**
 * The poll loop. Every other way of waiting drains this generator.
 * @internal
 */
export async function* pollJob<TRaw>(client: JobSource<TRaw>, id: string, o: ResolvedWaitOptions<TRaw>): AsyncGenerator<Job<TRaw>, WatchEnd<TRaw>, undefined> {
  const start = startOf(o);
  const scope = new WaitScope(o.signal, start.timeoutMs, start.startedAt);
  const state: PollState<TRaw> = { polls: start.polls, step: start.step, last: start.last, lastError: undefined, outcomes: {} };
  try {
    return yield* pollLoop(client, id, o, scope, state, { firstDelayMs: start.firstDelayMs, watching: true });
  } catch (error) {
    if (o.cancelOnAbort && scope.stopReason === 'aborted' && error instanceof WaitAbortedError) {
      scope.dispose();
      throw await cancelAfterAbort(client, id, o, scope, state);
    }
    throw error;
  } finally {
    scope.dispose();
  }
}

/** Where a wait starts, in the poller's monotonic time. */
interface WaitStart<TRaw> {
  /** `undefined`: now. */
  startedAt: number | undefined;
  timeoutMs: number;
  /** Until the first poll. */
  firstDelayMs: number;
  polls: number;
  step: number;
  last: Job<TRaw> | undefined;
}

/** Where a wait starts: afresh, or where its checkpoint left it (epoch times turned monotonic). */
function startOf<TRaw>(o: ResolvedWaitOptions<TRaw>): WaitStart<TRaw> {
  const checkpoint = o.resumeFrom;
  if (!checkpoint) return { startedAt: undefined, timeoutMs: o.timeoutMs, firstDelayMs: 0, polls: 0, step: 0, last: undefined };
  return {
    startedAt: checkpoint.startedAt - wallClockOffset(),
    // The checkpoint's deadline, not `timeoutMs`: the resumed wait ends when the first would have.
    timeoutMs: checkpoint.deadline === null ? Infinity : checkpoint.deadline - checkpoint.startedAt,
    firstDelayMs: checkpoint.nextPollAt === null ? 0 : Math.max(0, checkpoint.nextPollAt - Date.now()),
    polls: checkpoint.polls,
    step: checkpoint.step,
    // The baseline of change detection, and `lastJob` of the errors. A checkpoint keeps no vendor
    // payload, so this snapshot's `raw` is undefined until the first poll replaces it.
    last: jobFromCheckpoint(checkpoint) as Job<TRaw> | undefined,
  };
}

/**
 * Polls on the schedule until the job ends (or meets `until`), the scope stops, or a permanent
 * error. `watching`: yield changes and call the callbacks; when `false` (following a cancel) it
 * never yields, ignores `until` and calls nothing.
 */
async function* pollLoop<TRaw>(
  client: JobSource<TRaw>,
  id: string,
  o: ResolvedWaitOptions<TRaw>,
  scope: WaitScope,
  state: PollState<TRaw>,
  mode: { firstDelayMs: number; watching: boolean },
): AsyncGenerator<Job<TRaw>, WatchEnd<TRaw>, undefined> {
  const { watching } = mode;
  let final = false;

  const timeout = (): JobTimeoutError<TRaw> =>
    new JobTimeoutError({ vendor: client.vendor, jobId: id, lastJob: state.last, elapsedMs: scope.elapsed(), polls: state.polls, outcomes: state.outcomes, cause: state.lastError });
  const stopped = (inFlight = false): Error => {
    if (inFlight && scope.stopReason === 'deadline') countOutcome(state, 'DEADLINE');
    if (scope.stopReason === 'aborted') {
      return new WaitAbortedError({ vendor: client.vendor, jobId: id, lastJob: state.last, cause: scope.abortReason });
    }
    return timeout();
  };
  const sleep = async (ms: number): Promise<void> => {
    try {
      await scope.sleep(ms);
    } catch {
      throw stopped();
    }
  };
  /** Tells `onCheckpoint` where the wait stands; `delayMs`: until the next poll, `null` for none. */
  const checkpoint = (delayMs: number | null): void => {
    if (!watching || !o.onCheckpoint || scope.stopReason) return;
    const offset = wallClockOffset();
    o.onCheckpoint(
      createCheckpoint({
        vendor: client.vendor,
        jobId: id,
        startedAt: scope.startedAt + offset,
        deadline: scope.deadline + offset,
        polls: state.polls,
        step: state.step,
        nextPollAt: delayMs === null ? null : now() + delayMs + offset,
        lastJob: state.last,
      }),
    );
  };

  if (mode.firstDelayMs > 0) await sleep(mode.firstDelayMs);
  for (;;) {
    if (scope.stopReason) throw stopped();
    let job: Job<TRaw> | undefined;
    let retryAfterMs: number | undefined;
    state.polls++;
    try {
      job = await scope.race(client.getJob(id, { signal: scope.signal }));
    } catch (error) {
      if (scope.stopReason) throw stopped(true);
      const failed = recordFailure(state, error, { vendor: client.vendor, jobId: id, elapsedMs: scope.elapsed(), notFoundGraceMs: o.notFoundGraceMs });
      if (failed.ends) throw failed.error;
      retryAfterMs = failed.retryAfterMs;
    }

    if (job) {
      const changed = recordSnapshot(state, job);
      if (watching) {
        if (changed) {
          o.onProgress?.(job);
          yield job;
        }
        if (o.until?.(job)) {
          checkpoint(null);
          return { job, reason: 'until' };
        }
      }
      if (isTerminal(job.state)) {
        checkpoint(null);
        return { job, reason: 'terminal' };
      }
    }

    const remainingMs = scope.remaining();
    const plan: NextPoll = final ? ({ kind: 'expire', delayMs: Math.max(0, remainingMs) } as const) : planNextPoll({ step: state.step, remainingMs, retryAfterMs, schedule: o });
    state.step++;
    if (plan.kind === 'expire') {
      checkpoint(null);
      await sleep(plan.delayMs);
      throw timeout();
    }
    final = plan.final;
    checkpoint(plan.delayMs);
    await sleep(plan.delayMs);
  }
}

/**
 * After an abort with `cancelOnAbort`: sends the cancel once, then follows the job until it ends or
 * the deadline passes, in a scope of its own (the caller's signal is aborted) with the same
 * deadline. Returns the `WaitAbortedError` to reject with.
 */
async function cancelAfterAbort<TRaw>(client: JobSource<TRaw>, id: string, o: ResolvedWaitOptions<TRaw>, aborted: WaitScope, state: PollState<TRaw>): Promise<WaitAbortedError<TRaw>> {
  const abortReason = aborted.abortReason;
  const report = (cancel: CancelOutcome | undefined, cause: unknown): WaitAbortedError<TRaw> =>
    new WaitAbortedError({ vendor: client.vendor, jobId: id, lastJob: state.last, cause, cancel });
  const scope = new WaitScope(undefined, aborted.deadline - aborted.startedAt, aborted.startedAt);
  try {
    if (scope.stopReason) return report(undefined, abortReason); // the deadline passed as well: no time to cancel
    try {
      // prepare() made sure the client has cancelJob.
      await scope.race((client.cancelJob as NonNullable<JobSource<TRaw>['cancelJob']>).call(client, id, { signal: scope.signal }));
    } catch (error) {
      // Cut short by the deadline, the cancel went out but its answer is unknown.
      return scope.stopReason ? report('sent', abortReason) : report('refused', error);
    }
    // A cancel makes a change likely soon: the schedule starts over, from a poll at once.
    state.step = 0;
    try {
      await pollLoop(client, id, o, scope, state, { firstDelayMs: 0, watching: false }).next(); // never yields: runs to the end
      return report('sent', abortReason);
    } catch (error) {
      // At the deadline the job had not ended; any other error (a vanished job, a 401) ends the following.
      return report('sent', error instanceof JobTimeoutError ? abortReason : error);
    }
  } finally {
    scope.dispose();
  }
}
