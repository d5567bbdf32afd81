import { planNextPoll, type NextPoll } from './backoff.js';
import { createCheckpoint, jobFromCheckpoint } from './checkpoint.js';
import { closingSignalOf } from './client-closing.js';
import { now, wallClockOffset } from './clock.js';
import { InvalidArgumentError } from './errors/invalid-argument-error.js';
import { JobTimeoutError } from './errors/job-timeout-error.js';
import { UnsupportedOperationError } from './errors/unsupported-operation-error.js';
import { WaitAbortedError, type CancelOutcome } from './errors/wait-aborted-error.js';
import type { JobSource } from './job-client.js';
import { countOutcome, interruptedError, recordFailure, recordSnapshot, timeoutError, type PollState } from './poll-state.js';
import { isTerminal, type Job } from './model.js';
import { resolveWaitOptions, type ResolvedWaitOptions, type WaitOptions } from './options.js';
import { ScopeStopped, WaitScope } from './wait-scope.js';

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
 *
 * It is one generator with no closures of its own: a process may hold thousands of waits, and
 * while a wait sleeps it holds only this generator's frame, its {@link Loop}, the scope's one timer
 * and its last snapshot.
 * @internal
 */
export async function* pollJob<TRaw>(client: JobSource<TRaw>, id: string, o: ResolvedWaitOptions<TRaw>): AsyncGenerator<Job<TRaw>, WatchEnd<TRaw>, undefined> {
  const start = startOf(o);
  const loop: Loop<TRaw> = {
    client,
    id,
    o,
    scope: new WaitScope(o.signal, start.timeoutMs, start.startedAt, closingSignalOf(client)),
    state: { polls: start.polls, step: start.step, last: start.last, lastError: undefined, outcomes: {} },
    final: false,
    expired: false,
    watching: true,
  };
  try {
    if (start.firstDelayMs > 0) await loop.scope.sleep(start.firstDelayMs);
    for (;;) {
      const { job, changed, retryAfterMs } = await poll(loop);
      if (job) {
        if (changed) {
          o.onProgress?.(job);
          yield job;
        }
        if (o.until?.(job)) {
          checkpoint(loop, null);
          return { job, reason: 'until' };
        }
        if (isTerminal(job.state)) {
          checkpoint(loop, null);
          return { job, reason: 'terminal' };
        }
      }
      await loop.scope.sleep(planNext(loop, retryAfterMs));
      if (loop.expired) throw timeout(loop);
    }
  } catch (error) {
    const end = error instanceof ScopeStopped ? stopped(loop) : error;
    if (o.cancelOnAbort && loop.scope.stopReason === 'aborted' && end instanceof WaitAbortedError) {
      loop.scope.dispose();
      throw await cancelAfterAbort(loop);
    }
    throw end;
  } finally {
    loop.scope.dispose();
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

/** One wait's poll loop: what it polls, with what options, in which scope, and what it learned. */
interface Loop<TRaw> {
  readonly client: JobSource<TRaw>;
  readonly id: string;
  readonly o: ResolvedWaitOptions<TRaw>;
  readonly scope: WaitScope;
  readonly state: PollState<TRaw>;
  /** The next poll is the last before the deadline. */
  final: boolean;
  /** The planned sleep runs out the deadline: time out after it. */
  expired: boolean;
  /** `false` while following a job after a cancel: no callbacks, no checkpoints. */
  watching: boolean;
}

/**
 * One poll: the snapshot (and whether it differs from the one before, or is the first), or a
 * failure the wait goes on from (with its `Retry-After`). Throws
 * what ends the wait: a stop (the request was cut), a vanished job, a permanent error.
 */
async function poll<TRaw>(loop: Loop<TRaw>): Promise<{ job?: Job<TRaw>; changed?: boolean; retryAfterMs?: number | undefined }> {
  const { client, id, scope, state } = loop;
  if (scope.stopReason) throw stopped(loop);
  state.polls++;
  let job: Job<TRaw>;
  try {
    job = await scope.race(client.getJob(id, { signal: scope.signal }));
  } catch (error) {
    if (scope.stopReason) throw stopped(loop, true);
    const failed = recordFailure(state, error, { vendor: client.vendor, jobId: id, elapsedMs: scope.elapsed(), notFoundGraceMs: loop.o.notFoundGraceMs });
    if (failed.ends) throw failed.error;
    return { retryAfterMs: failed.retryAfterMs };
  }
  return { job, changed: recordSnapshot(state, job) };
}

/** Plans the sleep before the next poll (or until the deadline, then `expired`), and checkpoints. */
function planNext<TRaw>(loop: Loop<TRaw>, retryAfterMs: number | undefined): number {
  const { o, scope, state } = loop;
  const remainingMs = scope.remaining();
  const plan: NextPoll = loop.final ? { kind: 'expire', delayMs: Math.max(0, remainingMs) } : planNextPoll({ step: state.step, remainingMs, retryAfterMs, schedule: o });
  state.step++;
  if (plan.kind === 'expire') {
    loop.expired = true;
    checkpoint(loop, null);
    return plan.delayMs;
  }
  loop.final = plan.final;
  checkpoint(loop, plan.delayMs);
  return plan.delayMs;
}

function timeout<TRaw>({ client, id, scope, state }: Loop<TRaw>): JobTimeoutError<TRaw> {
  return timeoutError(state, { vendor: client.vendor, jobId: id, elapsedMs: scope.elapsed() });
}

/** The error of a stopped scope: `WaitAbortedError`, `ClientClosedError`, or `JobTimeoutError` at the deadline. */
function stopped<TRaw>(loop: Loop<TRaw>, inFlight = false): Error {
  const { client, id, scope, state } = loop;
  const reason = scope.stopReason;
  if (reason === 'aborted' || reason === 'closed') return interruptedError(reason, state, { vendor: client.vendor, jobId: id, abortReason: scope.abortReason });
  if (inFlight) countOutcome(state, 'DEADLINE');
  return timeout(loop);
}

/** Tells `onCheckpoint` where the wait stands; `delayMs`: until the next poll, `null` for none. */
function checkpoint<TRaw>(loop: Loop<TRaw>, delayMs: number | null): void {
  const { client, id, o, scope, state } = loop;
  if (!loop.watching || !o.onCheckpoint || scope.stopReason) return;
  const offset = wallClockOffset();
  o.onCheckpoint(
    createCheckpoint({
      vendor: client.vendor,
      jobId: id,
      startedAt: scope.startedAt + offset,
      deadline: scope.deadline + offset,
      schedule: { minDelayMs: o.minDelayMs, maxDelayMs: o.maxDelayMs, retryAfterCapMs: o.retryAfterCapMs, notFoundGraceMs: o.notFoundGraceMs },
      polls: state.polls,
      step: state.step,
      nextPollAt: delayMs === null ? null : now() + delayMs + offset,
      lastJob: state.last,
    }),
  );
}

/**
 * After an abort with `cancelOnAbort`: sends the cancel once, then follows the job until it ends or
 * the deadline passes, in a scope of its own (the caller's signal is aborted) with the same
 * deadline. Returns the `WaitAbortedError` to reject with.
 */
async function cancelAfterAbort<TRaw>(aborted: Loop<TRaw>): Promise<WaitAbortedError<TRaw>> {
  const { client, id, state } = aborted;
  const abortReason = aborted.scope.abortReason;
  const report = (cancel: CancelOutcome | undefined, cause: unknown): WaitAbortedError<TRaw> =>
    new WaitAbortedError({ vendor: client.vendor, jobId: id, lastJob: state.last, cause, cancel });
  const scope = new WaitScope(undefined, aborted.scope.deadline - aborted.scope.startedAt, aborted.scope.startedAt, closingSignalOf(client));
  // A cancel makes a change likely soon: the schedule starts over, from a poll at once.
  const loop: Loop<TRaw> = { client, id, o: aborted.o, scope, state, final: false, expired: false, watching: false };
  try {
    if (scope.stopReason) return report(undefined, abortReason); // the deadline passed as well: no time to cancel
    try {
      // prepare() made sure the client has cancelJob.
      await scope.race((client.cancelJob as NonNullable<JobSource<TRaw>['cancelJob']>).call(client, id, { signal: scope.signal }));
    } catch (error) {
      // Cut short by the deadline, the cancel went out but its answer is unknown.
      return scope.stopReason ? report('sent', abortReason) : report('refused', error);
    }
    state.step = 0;
    try {
      for (;;) {
        const { job, retryAfterMs } = await poll(loop);
        if (job && isTerminal(job.state)) return report('sent', abortReason);
        await scope.sleep(planNext(loop, retryAfterMs));
        if (loop.expired) throw timeout(loop);
      }
    } catch (error) {
      // At the deadline the job had not ended; any other error (a vanished job, a 401) ends the following.
      const end = error instanceof ScopeStopped ? stopped(loop) : error;
      return report('sent', end instanceof JobTimeoutError ? abortReason : end);
    }
  } finally {
    scope.dispose();
  }
}
