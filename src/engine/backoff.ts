import { SCHEDULE_CONSTANTS } from './options.js';

/** The shape of a schedule: where delays start and where they stop growing. */
export interface Schedule {
  /** The first delay between polls, in milliseconds. */
  minDelayMs: number;
  /** The longest delay between polls, in milliseconds; delays stop growing there. */
  maxDelayMs: number;
  /** Cap on an honoured `Retry-After`. */
  retryAfterCapMs?: number;
}

/**
 * The delay before poll `step + 1`, before jitter: `minDelayMs × factor^step` (factor 1.3), capped at `maxDelayMs`.
 * Non-decreasing in `step`.
 */
export function baseDelay(step: number, schedule: Schedule): number {
  // No cap on the exponent: factor^step becomes Infinity for a huge step, which the cap turns into
  // maxDelayMs (a fixed exponent cap would stop the growth short of maxDelayMs for a small factor).
  const grown = schedule.minDelayMs * SCHEDULE_CONSTANTS.factor ** step;
  return grown < schedule.maxDelayMs ? grown : schedule.maxDelayMs;
}

/**
 * {@link baseDelay} with ±20 % jitter, kept within `[minDelayMs, maxDelayMs]`.
 * @param random - a number in [0, 1), `Math.random` by default.
 */
export function jitteredDelay(step: number, schedule: Schedule, random: () => number = Math.random): number {
  const base = baseDelay(step, schedule);
  const jittered = base * (1 + SCHEDULE_CONSTANTS.jitter * (2 * random() - 1));
  return Math.min(schedule.maxDelayMs, Math.max(schedule.minDelayMs, jittered));
}

/** What the poller does next. */
export type NextPoll =
  /** Poll again after `delayMs`. `final` when this poll is the last before the deadline. */
  | {
      /** Poll again. */
      kind: 'poll';
      /** How long to wait before the next poll, in milliseconds. */
      delayMs: number;
      /**
       * The earliest the poll may go instead, in milliseconds (at most `delayMs`): the lower bound
       * of this step's jitter, or the honoured `Retry-After`; `delayMs` itself for the final poll.
       * A scheduler that polls several waits in one request takes a wait along from then on.
       */
      earliestDelayMs: number;
      /** Whether this poll is the last that fits before the deadline. */
      final: boolean;
    }
  /** No poll fits before the deadline: wait out `delayMs` and time out. */
  | {
      /** No poll fits before the deadline. */
      kind: 'expire';
      /** How long to wait before timing out, in milliseconds. */
      delayMs: number;
    };

/** Input of {@link planNextPoll}. */
export interface PlanInput {
  /** How many delays came before this one (0 after the first poll). */
  step: number;
  /** Milliseconds left until the deadline (`Infinity` for none). */
  remainingMs: number;
  /** From the last answer's `Retry-After`, if any. */
  retryAfterMs?: number | undefined;
  /** The delays' bounds. */
  schedule: Schedule;
  /** A number in [0, 1) for the jitter; `Math.random` by default. */
  random?: () => number;
}

/**
 * Places the next poll: the jittered delay, stretched by `Retry-After`; if that would land after
 * (or too close to) the deadline, one last poll just before the deadline; if not even that fits,
 * the deadline itself.
 */
export function planNextPoll(input: PlanInput): NextPoll {
  const { schedule, remainingMs } = input;
  let delayMs = jitteredDelay(input.step, schedule, input.random);
  // The lower bound of the jitter: no poll of this step goes before it.
  let earliestDelayMs = Math.min(delayMs, Math.max(schedule.minDelayMs, baseDelay(input.step, schedule) * (1 - SCHEDULE_CONSTANTS.jitter)));
  if (input.retryAfterMs !== undefined) {
    const honoured = Math.min(input.retryAfterMs, schedule.retryAfterCapMs ?? SCHEDULE_CONSTANTS.maxRetryAfterMs);
    if (honoured > delayMs) delayMs = honoured;
    if (honoured > earliestDelayMs) earliestDelayMs = honoured;
  }
  if (remainingMs === Infinity) return { kind: 'poll', delayMs, earliestDelayMs, final: false };
  const leadMs = Math.min(SCHEDULE_CONSTANTS.finalPollLeadMs, schedule.minDelayMs);
  if (delayMs + leadMs <= remainingMs) return { kind: 'poll', delayMs, earliestDelayMs, final: false };
  if (remainingMs > leadMs) return { kind: 'poll', delayMs: remainingMs - leadMs, earliestDelayMs: remainingMs - leadMs, final: true };
  return { kind: 'expire', delayMs: Math.max(0, remainingMs) };
}
