import { afterEach, describe, expect, it, vi } from 'vitest';
import { baseDelay, jitteredDelay, planNextPoll, type Schedule } from '../../src/backoff.js';
import { SCHEDULE_CONSTANTS, WAIT_DEFAULTS } from '../../src/options.js';

const DEFAULT: Schedule = { minDelayMs: WAIT_DEFAULTS.minDelayMs, maxDelayMs: WAIT_DEFAULTS.maxDelayMs };

/** A deterministic stream of numbers in [0, 1), spread over the whole range. */
function randoms(count: number): number[] {
  const values = [0, 0.5, 0.999_999_999];
  let x = 0.123_456;
  for (let i = 0; i < count; i++) {
    x = (x * 9301 + 0.492_77) % 1;
    values.push(x);
  }
  return values;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('baseDelay', () => {
  it('doubles from minDelayMs at each step until it reaches maxDelayMs', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 7].map((step) => baseDelay(step, DEFAULT));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('grows by the factor of 2 from a custom minDelayMs', () => {
    expect([0, 1, 2, 3].map((step) => baseDelay(step, { minDelayMs: 250, maxDelayMs: 100_000 }))).toEqual([250, 500, 1000, 2000]);
  });

  it('stays at maxDelayMs (finite, never Infinity or NaN) for a huge step', () => {
    for (const step of [64, 65, 1000, 1e9, Number.MAX_SAFE_INTEGER]) {
      expect(baseDelay(step, DEFAULT)).toBe(30_000);
    }
    expect(baseDelay(10_000, { minDelayMs: 1, maxDelayMs: Number.MAX_SAFE_INTEGER })).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('is non-decreasing in step for several schedules', () => {
    const schedules: Schedule[] = [DEFAULT, { minDelayMs: 1, maxDelayMs: 1 }, { minDelayMs: 3, maxDelayMs: 1e9 }, { minDelayMs: 700, maxDelayMs: 60_000 }];
    for (const schedule of schedules) {
      let previous = -Infinity;
      for (let step = 0; step <= 200; step++) {
        const delay = baseDelay(step, schedule);
        expect(delay).toBeGreaterThanOrEqual(previous);
        expect(delay).toBeGreaterThanOrEqual(schedule.minDelayMs);
        expect(delay).toBeLessThanOrEqual(schedule.maxDelayMs);
        previous = delay;
      }
    }
  });

  it('returns minDelayMs when minDelayMs equals maxDelayMs', () => {
    expect([0, 1, 5].map((step) => baseDelay(step, { minDelayMs: 1500, maxDelayMs: 1500 }))).toEqual([1500, 1500, 1500]);
  });
});

describe('jitteredDelay', () => {
  it('returns the base delay exactly when random() is 0.5', () => {
    expect([0, 1, 2, 3, 4, 5].map((step) => jitteredDelay(step, DEFAULT, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 16000, 30000]);
  });

  it('takes 20 % off the base delay when random() is 0', () => {
    expect(jitteredDelay(2, DEFAULT, () => 0)).toBeCloseTo(3200, 6);
    expect(jitteredDelay(3, DEFAULT, () => 0)).toBeCloseTo(6400, 6);
  });

  it('adds up to 20 % to the base delay when random() approaches 1', () => {
    expect(jitteredDelay(2, DEFAULT, () => 0.999_999_999)).toBeCloseTo(4800, 3);
    expect(jitteredDelay(2, DEFAULT, () => 0.75)).toBeCloseTo(4400, 6);
  });

  it('never goes below minDelayMs, even when the jitter takes 20 % off the first delay', () => {
    expect(jitteredDelay(0, DEFAULT, () => 0)).toBe(1000);
  });

  it('never goes above maxDelayMs, even when the jitter adds 20 % to a capped delay', () => {
    expect(jitteredDelay(5, DEFAULT, () => 0.999)).toBe(30_000);
    expect(jitteredDelay(50, DEFAULT, () => 0.9)).toBe(30_000);
  });

  it('keeps every delay within ±20 % of the base and within [minDelayMs, maxDelayMs]', () => {
    const schedules: Schedule[] = [DEFAULT, { minDelayMs: 10, maxDelayMs: 100_000 }, { minDelayMs: 5000, maxDelayMs: 5000 }];
    const failures: unknown[] = [];
    for (const schedule of schedules) {
      for (const r of randoms(200)) {
        for (let step = 0; step < 12; step++) {
          const base = baseDelay(step, schedule);
          const delay = jitteredDelay(step, schedule, () => r);
          const ok =
            delay >= Math.max(schedule.minDelayMs, base * 0.8) - 1e-9 &&
            delay <= Math.min(schedule.maxDelayMs, base * 1.2) + 1e-9 &&
            delay >= schedule.minDelayMs &&
            delay <= schedule.maxDelayMs;
          if (!ok) failures.push({ schedule, r, step, base, delay });
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('spreads delays over a range (the jitter is applied, not constant)', () => {
    const delays = new Set(randoms(50).map((r) => jitteredDelay(3, DEFAULT, () => r)));
    expect(delays.size).toBeGreaterThan(20);
  });

  it('uses Math.random when no random function is given', () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(jitteredDelay(2, DEFAULT)).toBeCloseTo(3200, 6);
    expect(random).toHaveBeenCalled();
  });

  it('uses the documented jitter of 20 % and growth factor of 2', () => {
    expect(SCHEDULE_CONSTANTS.jitter).toBe(0.2);
    expect(SCHEDULE_CONSTANTS.factor).toBe(2);
  });
});

describe('planNextPoll', () => {
  const half = (): number => 0.5;

  it('polls after the jittered delay, not final, when the deadline is far', () => {
    expect(planNextPoll({ step: 2, remainingMs: 100_000, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 4000, final: false });
  });

  it('polls after the jittered delay, not final, when there is no deadline', () => {
    expect(planNextPoll({ step: 9, remainingMs: Infinity, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 30_000, final: false });
  });

  it('uses Math.random when no random function is given', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(planNextPoll({ step: 3, remainingMs: Infinity, schedule: DEFAULT })).toEqual({ kind: 'poll', delayMs: expect.closeTo(6400, 6), final: false });
  });

  it('keeps a normal poll when the delay plus the final-poll lead exactly fills the time left', () => {
    expect(planNextPoll({ step: 2, remainingMs: 5000, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 4000, final: false });
  });

  it('places a final poll one lead (1000 ms) before the deadline when the delay would land too close to it', () => {
    expect(planNextPoll({ step: 2, remainingMs: 4999, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 3999, final: true });
    expect(planNextPoll({ step: 3, remainingMs: 5000, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 4000, final: true });
  });

  it('shortens the final-poll lead to minDelayMs when delays are short', () => {
    const schedule: Schedule = { minDelayMs: 200, maxDelayMs: 10_000 };
    // step 3: 1600 ms, but only 1000 ms are left: the last poll goes 200 ms before the deadline.
    expect(planNextPoll({ step: 3, remainingMs: 1000, schedule, random: half })).toEqual({ kind: 'poll', delayMs: 800, final: true });
  });

  it('expires at the deadline when not even a final poll fits before it', () => {
    expect(planNextPoll({ step: 0, remainingMs: 1000, schedule: DEFAULT, random: half })).toEqual({ kind: 'expire', delayMs: 1000 });
    expect(planNextPoll({ step: 0, remainingMs: 300, schedule: DEFAULT, random: half })).toEqual({ kind: 'expire', delayMs: 300 });
  });

  it('expires at once when the deadline has already passed', () => {
    expect(planNextPoll({ step: 4, remainingMs: -250, schedule: DEFAULT, random: half })).toEqual({ kind: 'expire', delayMs: 0 });
    expect(planNextPoll({ step: 4, remainingMs: 0, schedule: DEFAULT, random: half })).toEqual({ kind: 'expire', delayMs: 0 });
  });

  it('never places a poll at or after the deadline, whatever the step, jitter, time left or Retry-After', () => {
    const schedules: Schedule[] = [DEFAULT, { minDelayMs: 50, maxDelayMs: 5000 }, { minDelayMs: 3000, maxDelayMs: 3000, retryAfterCapMs: 3000 }];
    const retryAfters = [undefined, 0, 500, 7000, 1e7, Number.MAX_VALUE, Infinity];
    const failures: unknown[] = [];
    let polls = 0;
    let expiries = 0;
    for (const schedule of schedules) {
      for (const r of randoms(10)) {
        for (const remainingMs of [1, 49, 50, 51, 999, 1000, 1001, 2500, 4000, 30_000, 31_000, 1e6]) {
          for (const retryAfterMs of retryAfters) {
            for (const step of [0, 1, 4, 10]) {
              const plan = planNextPoll({ step, remainingMs, retryAfterMs, schedule, random: () => r });
              if (plan.kind === 'poll') polls++;
              else expiries++;
              const ok = plan.kind === 'poll' ? plan.delayMs > 0 && plan.delayMs < remainingMs : plan.delayMs === remainingMs;
              if (!ok) failures.push({ schedule, r, remainingMs, retryAfterMs, step, plan });
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(polls).toBeGreaterThan(0);
    expect(expiries).toBeGreaterThan(0);
  });

  it('stretches the next delay to a Retry-After longer than the scheduled delay', () => {
    expect(planNextPoll({ step: 0, remainingMs: Infinity, retryAfterMs: 5000, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 5000, final: false });
  });

  it('does not shorten the scheduled delay for a Retry-After shorter than it', () => {
    expect(planNextPoll({ step: 2, remainingMs: Infinity, retryAfterMs: 500, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 4000, final: false });
  });

  it('ignores a Retry-After that is not a usable number', () => {
    for (const retryAfterMs of [Number.NaN, -5000]) {
      expect(planNextPoll({ step: 1, remainingMs: Infinity, retryAfterMs, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 2000, final: false });
    }
  });

  it('caps an honoured Retry-After at 10 minutes by default', () => {
    expect(SCHEDULE_CONSTANTS.maxRetryAfterMs).toBe(600_000);
    for (const retryAfterMs of [3_600_000, 1e15, Infinity]) {
      expect(planNextPoll({ step: 0, remainingMs: Infinity, retryAfterMs, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 600_000, final: false });
    }
  });

  it('caps an honoured Retry-After at the schedule retryAfterCapMs', () => {
    const schedule: Schedule = { minDelayMs: 1000, maxDelayMs: 5000, retryAfterCapMs: 5000 };
    expect(planNextPoll({ step: 0, remainingMs: Infinity, retryAfterMs: 20_000, schedule, random: half })).toEqual({ kind: 'poll', delayMs: 5000, final: false });
  });

  it('turns a huge Retry-After into a final poll just before the deadline rather than past it', () => {
    expect(planNextPoll({ step: 0, remainingMs: 60_000, retryAfterMs: 3_600_000, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 59_000, final: true });
  });
});
