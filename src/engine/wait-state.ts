import { CHECKPOINT_VERSION, jobFromCheckpoint, type CheckpointSchedule, type WaitCheckpoint } from './checkpoint.js';
import type { Job } from '../model/job.js';
import type { ResolvedWaitOptions } from './options.js';

/**
 * The whole state of one wait: a plain, JSON-safe object, and the checkpoint that `onCheckpoint`
 * hands out is exactly this. {@link advanceWait} turns a state and one poll's result into the next
 * state; drivers (the in-process scheduler, a durable queue) only keep it and act on its times.
 *
 * Times are epoch milliseconds. `nextPollAt` is when the next poll is due and `earliestPollAt` the
 * earliest it may go (a driver that polls several waits in one request may take it along from
 * then); both are `null` when no poll is planned: the wait then times out at its `deadline`.
 */
export type WaitState = WaitCheckpoint & {
  /** The earliest the next poll may go, in epoch milliseconds; `null` when none is planned. */
  earliestPollAt: number | null;
  /**
   * Counts of the polls that did not answer with a snapshot, by outcome (an HTTP status, an error
   * kind, `DEADLINE`); the others (`polls` less these) answered, and a timeout reports them as `ok`.
   */
  outcomes: Readonly<Record<string, number>>;
};

/**
 * When a driver acts on `state` next: its next poll is due (with `earliest`, its window opens);
 * with no poll planned, its deadline (it then expires); `null` for a state with neither.
 * @internal
 */
export function nextActionAt(state: WaitState, earliest = false): number | null {
  return (earliest ? state.earliestPollAt : state.nextPollAt) ?? state.deadline;
}

/** The outcomes of a wait whose polls all answered (most waits: one shared object). @internal */
export const NO_OUTCOMES: Readonly<Record<string, number>> = Object.freeze({});

/** What a new wait starts from: its job, its resolved schedule and deadline. @internal */
export function initialState(vendor: string, jobId: string, o: ResolvedWaitOptions<unknown>, now: number): WaitState {
  if (o.resumeFrom) return stateFromCheckpoint(o.resumeFrom, scheduleOf(o), now);
  return {
    version: CHECKPOINT_VERSION,
    vendor,
    jobId,
    startedAt: now,
    deadline: o.timeoutMs === Infinity ? null : now + o.timeoutMs,
    schedule: scheduleOf(o),
    polls: 0,
    step: 0,
    nextPollAt: now,
    earliestPollAt: now,
    outcomes: NO_OUTCOMES,
  };
}

/**
 * A checkpoint as a state: its missing optional fields filled in, and `schedule` the one the
 * resuming call resolved (the checkpoint's, within this client's limits). A `nextPollAt` already
 * past is now.
 * @internal
 */
export function stateFromCheckpoint(checkpoint: WaitCheckpoint, schedule: CheckpointSchedule, now: number): WaitState {
  const nextPollAt = checkpoint.nextPollAt === null ? now : Math.max(now, checkpoint.nextPollAt);
  const earliest = checkpoint.earliestPollAt ?? checkpoint.nextPollAt;
  const state: WaitState = {
    ...checkpoint,
    schedule,
    nextPollAt,
    earliestPollAt: earliest === null ? nextPollAt : Math.min(nextPollAt, Math.max(now, earliest)),
    outcomes: checkpoint.outcomes === undefined ? NO_OUTCOMES : { ...checkpoint.outcomes },
  };
  return state;
}

/**
 * Schedules in use, by their values: waits on the same schedule (a fleet, or thousands of separate
 * waits with the same options) share one frozen object. Bounded: emptied when it grows past 256.
 */
const schedules = new Map<string, CheckpointSchedule>();

/** The schedule of resolved wait options, as a state carries it (one shared object per set of values). @internal */
export function scheduleOf(o: ResolvedWaitOptions<unknown>): CheckpointSchedule {
  const key = `${o.minDelayMs}|${o.maxDelayMs}|${o.retryAfterCapMs}|${o.notFoundGraceMs}`;
  let schedule = schedules.get(key);
  if (schedule === undefined) {
    if (schedules.size >= 256) schedules.clear();
    schedule = Object.freeze({ minDelayMs: o.minDelayMs, maxDelayMs: o.maxDelayMs, retryAfterCapMs: o.retryAfterCapMs, notFoundGraceMs: o.notFoundGraceMs });
    schedules.set(key, schedule);
  }
  return schedule;
}

/** The state's last snapshot as a `Job` (its `raw` is `undefined`: a state keeps no vendor payload). @internal */
export function lastJobOf<TRaw>(state: WaitState): Job<TRaw> | undefined {
  return jobFromCheckpoint(state) as Job<TRaw> | undefined;
}
