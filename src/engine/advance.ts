import { planNextPoll } from './backoff.js';
import { toCheckpointJob } from './checkpoint.js';
import { JobCancelledError } from '../errors/job-cancelled-error.js';
import { JobFailedError } from '../errors/job-failed-error.js';
import { JobNotFoundError } from '../errors/job-not-found-error.js';
import { JobTimeoutError } from '../errors/job-timeout-error.js';
import { jobChanged } from '../model/job-changes.js';
import { isTerminal, type Job } from '../model/job.js';
import { isTransient, outcomeKey, retryAfterOf } from '../errors/transient.js';
import { lastJobOf, type WaitState } from './wait-state.js';

/** What one poll of a wait brought: a snapshot of the job, or the error the poll failed with. */
export type PollResult<TRaw = unknown> =
  | {
      /** The snapshot the poll brought. */
      job: Job<TRaw>;
      /** The vendor's hint for the next poll (`PolledJob.retryAfterMs`): the next poll goes no earlier, up to the schedule's `maxDelayMs`. */
      retryAfterMs?: number | undefined;
      /** Never set with a snapshot. */
      error?: undefined;
    }
  | {
      /** What the poll failed with (what `getJob` rejected with). */
      error: unknown;
      /** Never set with an error. */
      job?: undefined;
    };

/** What {@link advanceWait} needs besides the state and the poll's result. */
export interface AdvanceContext<TRaw = unknown> {
  /** When the poll's answer came, in epoch milliseconds: the only clock the transition reads. */
  now: number;
  /** `WaitOptions.until`: ends the wait with the first snapshot it accepts. */
  until?: ((job: Job<TRaw>) => boolean) | undefined;
  /**
   * Whether a failed or cancelled job's end carries `JobFailedError` / `JobCancelledError`.
   * @default true
   */
  throwOnFailure?: boolean | undefined;
  /** A number in [0, 1) for the jitter of the next delay. @default Math.random */
  random?: (() => number) | undefined;
  /**
   * The last snapshot as the driver holds it (with its `raw`): the baseline of change detection
   * and the `lastJob` of the errors; without it, the state's (whose `raw` is `undefined`).
   */
  lastJob?: Job<TRaw> | undefined;
  /**
   * `false` when the driver keeps the last snapshot itself (and passes it as `lastJob`): the
   * returned state then leaves `lastJob` out, which saves a copy of every snapshot; a checkpoint
   * made from such a state needs the snapshot put back (`toCheckpointJob`).
   * @default true
   */
  keepLastJob?: boolean | undefined;
  /** The last transient error the driver kept (a step's `error`), as a timeout's `cause`. */
  lastError?: unknown;
}

/** How a wait ended. */
export type WaitEnd<TRaw = unknown> =
  | {
      /** `terminal`: the job ended; `until`: the snapshot met `until`. */
      reason: 'terminal' | 'until';
      /** The snapshot the wait ended with. */
      job: Job<TRaw>;
      /** For a failed or cancelled job under `throwOnFailure`: what `waitForJob` rejects with. */
      error?: JobFailedError<TRaw> | JobCancelledError<TRaw> | undefined;
    }
  | {
      /** The wait ended in an error: a vanished job, a permanent error, the deadline. */
      reason: 'error';
      /** What the wait rejects with. */
      error: unknown;
      /** Never set on an error end. */
      job?: undefined;
    };

/** One step of a wait: the state after it, and what happened. */
export interface WaitStep<TRaw = unknown> {
  /** The state after this step: store it, and poll again at its `nextPollAt` unless `end` is set. */
  state: WaitState;
  /** The snapshot this poll brought, if it brought one. */
  job: Job<TRaw> | undefined;
  /** `job` is the first snapshot, or differs from the one before (see `jobChanged`): report it. */
  changed: boolean;
  /** The transient error this poll failed with, when the wait goes on from it: keep it for {@link expireWait}. */
  error: unknown;
  /** Set when the wait is over. */
  end: WaitEnd<TRaw> | undefined;
}

/**
 * The transition of a wait: from its state and one poll's result to the next state and what
 * happened. It does no I/O, reads the time only from `context.now`, and jitter only from
 * `context.random`.
 *
 * - A snapshot is counted in `polls` alone (`outcomes` counts the polls that got none; a timeout
 *   reports the rest as `ok`) and compared with the last one (`changed`). One that meets `until`
 *   or is terminal ends the wait; otherwise the next poll is planned.
 * - A not-found error ends the wait when the job was seen before (it vanished: the error carries
 *   the last snapshot) or once `schedule.notFoundGraceMs` has passed since the wait began.
 * - Transient trouble (see `isTransient`) plans the next poll, no earlier than its `Retry-After`;
 *   any other error ends the wait.
 * - When no poll fits before the deadline, `nextPollAt` is `null`: the driver calls
 *   {@link expireWait} at the deadline.
 *
 * `until` is the caller's: if it throws, so does this.
 */
export function advanceWait<TRaw>(state: WaitState, result: PollResult<TRaw>, context: AdvanceContext<TRaw>): WaitStep<TRaw> {
  const { now } = context;
  const polls = state.polls + 1;
  if (result.job === undefined) {
    const error = result.error;
    const outcomes = counted(state.outcomes, outcomeKey(error));
    const ends = failureEnd(state, error, now, context);
    if (ends) return { state: { ...state, polls, outcomes, nextPollAt: null, earliestPollAt: null }, job: undefined, changed: false, error: undefined, end: { reason: 'error', error: ends } };
    return { state: planned({ ...state, polls, outcomes }, now, retryAfterOf(error), context.random), job: undefined, changed: false, error, end: undefined };
  }
  const job = result.job;
  const previous = context.lastJob ?? state.lastJob;
  const changed = previous === undefined || jobChanged(previous, job);
  // A poll that answered is counted in `polls` alone: `outcomes` holds the others.
  const seen: WaitState =
    context.keepLastJob === false ? withoutLastJob({ ...state, polls }) : { ...state, polls, lastJob: changed || state.lastJob === undefined ? toCheckpointJob(job) : refreshed(state, job) };
  const reason = context.until?.(job) ? 'until' : isTerminal(job.state) ? 'terminal' : undefined;
  if (reason) {
    const end: WaitEnd<TRaw> = { reason, job };
    if (reason === 'terminal' && (context.throwOnFailure ?? true)) {
      if (job.state === 'failed') end.error = new JobFailedError(job);
      else if (job.state === 'cancelled') end.error = new JobCancelledError(job);
    }
    return { state: { ...seen, nextPollAt: null, earliestPollAt: null }, job, changed, error: undefined, end };
  }
  return { state: planned(seen, now, hintOf(result.retryAfterMs, state.schedule.maxDelayMs), context.random), job, changed, error: undefined, end: undefined };
}

/**
 * A wait at its deadline: it ends with `JobTimeoutError` (what it learned, and `context.lastError`
 * as the cause). With `inFlight`, a poll was still out: it counts, as `DEADLINE`.
 */
export function expireWait<TRaw>(state: WaitState, context: Pick<AdvanceContext<TRaw>, 'now' | 'lastJob' | 'lastError'> & { inFlight?: boolean }): WaitStep<TRaw> {
  const next: WaitState = context.inFlight ? { ...state, polls: state.polls + 1, outcomes: counted(state.outcomes, 'DEADLINE') } : state;
  const error = new JobTimeoutError<TRaw>({
    vendor: state.vendor,
    jobId: state.jobId,
    lastJob: context.lastJob ?? lastJobOf<TRaw>(state),
    elapsedMs: context.now - state.startedAt,
    polls: next.polls,
    outcomes: reportedOutcomes(next),
    cause: context.lastError,
  });
  return { state: { ...next, nextPollAt: null, earliestPollAt: null }, job: undefined, changed: false, error: undefined, end: { reason: 'error', error } };
}

/** The error a failed poll ends the wait with, or `undefined` when the wait goes on. */
function failureEnd<TRaw>(state: WaitState, error: unknown, now: number, context: AdvanceContext<TRaw>): unknown {
  if (error instanceof JobNotFoundError) {
    const lastJob = context.lastJob ?? lastJobOf<TRaw>(state);
    if (lastJob) return new JobNotFoundError({ vendor: state.vendor, jobId: state.jobId, lastJob, cause: error.cause ?? error });
    return now - state.startedAt >= state.schedule.notFoundGraceMs ? error : undefined;
  }
  return isTransient(error) ? undefined : error;
}

/** A successful poll's hint for the next delay, within the wait's `maxDelayMs`; `undefined` when there is none to honour. */
function hintOf(retryAfterMs: unknown, maxDelayMs: number): number | undefined {
  return typeof retryAfterMs === 'number' && retryAfterMs >= 0 ? Math.min(retryAfterMs, maxDelayMs) : undefined;
}

/** The state with its next poll planned from `now` (or none, when no poll fits before the deadline). */
function planned(state: WaitState, now: number, retryAfterMs: number | undefined, random: (() => number) | undefined): WaitState {
  const remainingMs = state.deadline === null ? Infinity : state.deadline - now;
  const plan = planNextPoll({ step: state.step, remainingMs, retryAfterMs, schedule: state.schedule, ...(random ? { random } : {}) });
  const step = state.step + 1;
  if (plan.kind === 'expire') return { ...state, step, nextPollAt: null, earliestPollAt: null };
  return { ...state, step, nextPollAt: now + plan.delayMs, earliestPollAt: now + plan.earliestDelayMs };
}

/**
 * An unchanged snapshot in checkpoint form: the last one, unless a field change detection leaves
 * out (a date, the type or description) moved, so the state always holds the last snapshot.
 */
function refreshed(state: WaitState, job: Job<unknown>): WaitState['lastJob'] {
  const last = state.lastJob;
  if (last === undefined) return toCheckpointJob(job);
  const same =
    last.type === job.type &&
    last.description === job.description &&
    last.createdAt === iso(job.createdAt) &&
    last.startedAt === iso(job.startedAt) &&
    last.updatedAt === iso(job.updatedAt) &&
    last.endedAt === iso(job.endedAt);
  return same ? last : toCheckpointJob(job);
}

function iso(date: Date | undefined): string | undefined {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

/** The state without its snapshot (a copy: deleting a property would slow every later read). @internal */
export function withoutLastJob(state: WaitState): WaitState {
  if (!('lastJob' in state)) return state;
  const { lastJob: _, ...rest } = state;
  return rest;
}

/** The counts a timeout reports: `ok` (the polls that answered: those not in `outcomes`) and the others. */
function reportedOutcomes(state: WaitState): Record<string, number> {
  const { ok: _, ...others } = state.outcomes;
  let failed = 0;
  for (const key in others) failed += others[key] as number;
  const ok = state.polls - failed;
  return ok > 0 ? { ok, ...others } : others;
}

function counted(outcomes: Readonly<Record<string, number>>, key: string): Record<string, number> {
  return { ...outcomes, [key]: (outcomes[key] ?? 0) + 1 };
}
