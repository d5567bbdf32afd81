import { ClientClosedError } from './errors/client-closed-error.js';
import { JobCancelledError } from './errors/job-cancelled-error.js';
import { JobFailedError } from './errors/job-failed-error.js';
import { JobNotFoundError } from './errors/job-not-found-error.js';
import { JobTimeoutError } from './errors/job-timeout-error.js';
import { WaitAbortedError } from './errors/wait-aborted-error.js';
import { jobChanged } from './job-changes.js';
import type { Job } from './model.js';
import { isTransient, outcomeKey, retryAfterOf } from './transient.js';

/**
 * What one wait has learned of its job so far, and the rules every poll of it follows: the single
 * wait (`pollJob`) and each job of a batched fleet (`waitForJobs`) go through these functions.
 * @internal
 */
export interface PollState<TRaw> {
  /** Polls made so far. */
  polls: number;
  /** How many delays were planned so far: the next one grows from here. */
  step: number;
  /** The last snapshot seen. */
  last: Job<TRaw> | undefined;
  /** The last transient error, cleared by a successful poll. */
  lastError: unknown;
  /** Counts per outcome (`ok`, a status, an error kind). */
  outcomes: Record<string, number>;
}

/** @internal */
export function countOutcome(state: PollState<unknown>, key: string): void {
  state.outcomes[key] = (state.outcomes[key] ?? 0) + 1;
}

/** A poll answered with `job`: counts it and returns whether it differs from the last snapshot. @internal */
export function recordSnapshot<TRaw>(state: PollState<TRaw>, job: Job<TRaw>): boolean {
  countOutcome(state, 'ok');
  state.lastError = undefined;
  const changed = state.last === undefined || jobChanged(state.last, job);
  state.last = job;
  return changed;
}

/** What a failed poll means for the wait. @internal */
export type FailedPoll = { ends: true; error: unknown } | { ends: false; retryAfterMs: number | undefined };

/**
 * A poll failed with `error`: counts it, and tells whether it ends the wait. A not-found job ends
 * it when it was seen before (it vanished: `lastJob` set) or once `notFoundGraceMs` has passed;
 * transient trouble goes on (and is kept as the cause of a later timeout); anything else ends it.
 * @internal
 */
export function recordFailure<TRaw>(state: PollState<TRaw>, error: unknown, context: { vendor: string; jobId: string; elapsedMs: number; notFoundGraceMs: number }): FailedPoll {
  countOutcome(state, outcomeKey(error));
  if (error instanceof JobNotFoundError) {
    if (state.last) return { ends: true, error: new JobNotFoundError({ vendor: context.vendor, jobId: context.jobId, lastJob: state.last, cause: error.cause ?? error }) };
    if (context.elapsedMs >= context.notFoundGraceMs) return { ends: true, error };
  } else if (!isTransient(error)) {
    return { ends: true, error };
  }
  state.lastError = error;
  return { ends: false, retryAfterMs: retryAfterOf(error) };
}

/** The error a terminal job ends a wait with (failed, cancelled), or `undefined` to resolve with it. @internal */
export function terminalError<TRaw>(job: Job<TRaw>, throwOnFailure: boolean): Error | undefined {
  if (!throwOnFailure) return undefined;
  if (job.state === 'failed') return new JobFailedError(job);
  if (job.state === 'cancelled') return new JobCancelledError(job);
  return undefined;
}

/**
 * The error of a wait stopped before its deadline: `ClientClosedError` when its client was closed,
 * `WaitAbortedError` (with the signal's reason) when the caller aborted.
 * @internal
 */
export function interruptedError<TRaw>(reason: 'aborted' | 'closed', state: PollState<TRaw>, context: { vendor: string; jobId: string; abortReason: unknown }): ClientClosedError<TRaw> | WaitAbortedError<TRaw> {
  if (reason === 'closed') return new ClientClosedError({ vendor: context.vendor, jobId: context.jobId, lastJob: state.last });
  return new WaitAbortedError({ vendor: context.vendor, jobId: context.jobId, lastJob: state.last, cause: context.abortReason });
}

/** The `JobTimeoutError` a wait ends with at its deadline: what it learned, and its last transient error as the cause. @internal */
export function timeoutError<TRaw>(state: PollState<TRaw>, context: { vendor: string; jobId: string; elapsedMs: number }): JobTimeoutError<TRaw> {
  return new JobTimeoutError({ vendor: context.vendor, jobId: context.jobId, lastJob: state.last, elapsedMs: context.elapsedMs, polls: state.polls, outcomes: state.outcomes, cause: state.lastError });
}
