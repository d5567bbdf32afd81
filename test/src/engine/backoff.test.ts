import { afterEach, describe, expect, it, vi } from 'vitest';
import { baseDelay, jitteredDelay, planNextPoll, type Schedule } from '../../../src/engine/backoff.js';
import { SCHEDULE_CONSTANTS, WAIT_DEFAULTS } from '../../../src/engine/options.js';

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
  it('grows ×1.3 from minDelayMs at each step until it reaches maxDelayMs', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map((step) => baseDelay(step, DEFAULT));
    // 1_500 × 1.3^step; step 12 would be 1_500 × 1.3¹² ≈ 34_947: capped at 30_000.
    const grown = [1500, 1950, 2535, 3295.5, 4284.15, 5569.395, 7240.2135, 9412.27755, 12_235.960815, 15_906.7490595, 20_678.77377735, 26_882.405910555];
    expect(delays).toEqual([...grown.map((delay) => expect.closeTo(delay, 6)), 30_000, 30_000, 30_000]);
    for (let step = 1; step < 12; step++) expect((delays[step] as number) / (delays[step - 1] as number)).toBeCloseTo(SCHEDULE_CONSTANTS.factor, 12);
  });

  it('grows by the factor of 1.3 from a custom minDelayMs', () => {
    // 250, 250 × 1.3, 250 × 1.3², 250 × 1.3³
    expect([0, 1, 2, 3].map((step) => baseDelay(step, { minDelayMs: 250, maxDelayMs: 100_000 }))).toEqual([250, 325, expect.closeTo(422.5, 9), expect.closeTo(549.25, 9)]);
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
    const steps = [0, 1, 2, 3, 4, 5, 12];
    const delays = steps.map((step) => jitteredDelay(step, DEFAULT, () => 0.5));
    expect(delays).toEqual(steps.map((step) => baseDelay(step, DEFAULT)));
    // 1_500 × 1.3^step, and the cap from step 12 on
    expect(delays).toEqual([1500, 1950, expect.closeTo(2535, 9), 3295.5, expect.closeTo(4284.15, 9), expect.closeTo(5569.395, 9), 30_000]);
  });

  it('takes 20 % off the base delay when random() is 0', () => {
    expect(jitteredDelay(2, DEFAULT, () => 0)).toBeCloseTo(2028, 6); // 1_500 × 1.3² × 0.8
    expect(jitteredDelay(3, DEFAULT, () => 0)).toBeCloseTo(2636.4, 6); // 1_500 × 1.3³ × 0.8
  });

  it('adds up to 20 % to the base delay when random() approaches 1', () => {
    expect(jitteredDelay(2, DEFAULT, () => 0.999_999_999)).toBeCloseTo(3042, 3); // 1_500 × 1.3² × 1.2
    expect(jitteredDelay(2, DEFAULT, () => 0.75)).toBeCloseTo(2788.5, 6); // 1_500 × 1.3² × 1.1
  });

  it('never goes below minDelayMs, even when the jitter takes 20 % off the first delay', () => {
    expect(jitteredDelay(0, DEFAULT, () => 0)).toBe(1500); // 1_500 × 0.8 = 1_200, raised to the minimum
  });

  it('never goes above maxDelayMs, even when the jitter adds 20 % to a capped delay', () => {
    expect(jitteredDelay(12, DEFAULT, () => 0.999)).toBe(30_000);
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
    expect(jitteredDelay(2, DEFAULT)).toBeCloseTo(2028, 6); // 1_500 × 1.3² × 0.8
    expect(random).toHaveBeenCalled();
  });

  it('uses the documented jitter of 20 % and growth factor of 1.3', () => {
    expect(SCHEDULE_CONSTANTS.jitter).toBe(0.2);
    expect(SCHEDULE_CONSTANTS.factor).toBe(1.3);
  });
});

describe('planNextPoll', () => {
  const half = (): number => 0.5;

  it('polls after the jittered delay, not final, when the deadline is far', () => {
    // 1_500 × 1.3²
    expect(planNextPoll({ step: 2, remainingMs: 100_000, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: expect.closeTo(2535, 9), earliestDelayMs: expect.closeTo(2028, 9), final: false });
  });

  it('polls after the jittered delay, not final, when there is no deadline', () => {
    // 1_500 × 1.3⁹
    expect(planNextPoll({ step: 9, remainingMs: Infinity, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: expect.closeTo(15_906.7490595, 6), earliestDelayMs: expect.closeTo(12_725.3992476, 6), final: false });
  });

  it('uses Math.random when no random function is given', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    // 1_500 × 1.3³ × 0.8
    expect(planNextPoll({ step: 3, remainingMs: Infinity, schedule: DEFAULT })).toEqual({ kind: 'poll', delayMs: expect.closeTo(2636.4, 6), earliestDelayMs: expect.closeTo(2636.4, 6), final: false });
  });

  it('keeps a normal poll when the delay plus the final-poll lead exactly fills the time left', () => {
    const delayMs = baseDelay(2, DEFAULT); // 1_500 × 1.3² ≈ 2_535
    expect(delayMs).toBeCloseTo(2535, 9);
    expect(planNextPoll({ step: 2, remainingMs: delayMs + 1000, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs, earliestDelayMs: expect.closeTo(2028, 9), final: false });
  });

  it('places a final poll one lead (1000 ms) before the deadline when the delay would land too close to it', () => {
    // step 2: 1_500 × 1.3² ≈ 2_535 ms, plus the 1_000 ms lead, is 1 ms more than the 3_534 ms left
    expect(planNextPoll({ step: 2, remainingMs: 3534, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 2534, earliestDelayMs: 2534, final: true });
    // step 5: 1_500 × 1.3⁵ ≈ 5_569 ms, past the deadline altogether
    expect(planNextPoll({ step: 5, remainingMs: 5000, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 4000, earliestDelayMs: 4000, final: true });
  });

  it('shortens the final-poll lead to minDelayMs when delays are short', () => {
    const schedule: Schedule = { minDelayMs: 200, maxDelayMs: 10_000 };
    // step 3: 200 × 1.3³ = 439.4 ms, but only 500 ms are left: the last poll goes 200 ms before the
    // deadline (a lead of 1000 ms would leave no room for it).
    expect(planNextPoll({ step: 3, remainingMs: 500, schedule, random: half })).toEqual({ kind: 'poll', delayMs: 300, earliestDelayMs: 300, final: true });
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
    expect(planNextPoll({ step: 0, remainingMs: Infinity, retryAfterMs: 5000, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 5000, earliestDelayMs: 5000, final: false });
  });

  it('does not shorten the scheduled delay for a Retry-After shorter than it', () => {
    // 1_500 × 1.3²
    expect(planNextPoll({ step: 2, remainingMs: Infinity, retryAfterMs: 500, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: expect.closeTo(2535, 9), earliestDelayMs: expect.closeTo(2028, 9), final: false });
  });

  it('ignores a Retry-After that is not a usable number', () => {
    for (const retryAfterMs of [Number.NaN, -5000]) {
      // 1_500 × 1.3
      expect(planNextPoll({ step: 1, remainingMs: Infinity, retryAfterMs, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 1950, earliestDelayMs: 1560, final: false });
    }
  });

  it('caps an honoured Retry-After at 10 minutes by default', () => {
    expect(SCHEDULE_CONSTANTS.maxRetryAfterMs).toBe(600_000);
    for (const retryAfterMs of [3_600_000, 1e15, Infinity]) {
      expect(planNextPoll({ step: 0, remainingMs: Infinity, retryAfterMs, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 600_000, earliestDelayMs: 600_000, final: false });
    }
  });

  it('caps an honoured Retry-After at the schedule retryAfterCapMs', () => {
    const schedule: Schedule = { minDelayMs: 1000, maxDelayMs: 5000, retryAfterCapMs: 5000 };
    expect(planNextPoll({ step: 0, remainingMs: Infinity, retryAfterMs: 20_000, schedule, random: half })).toEqual({ kind: 'poll', delayMs: 5000, earliestDelayMs: 5000, final: false });
  });

  it('turns a huge Retry-After into a final poll just before the deadline rather than past it', () => {
    expect(planNextPoll({ step: 0, remainingMs: 60_000, retryAfterMs: 3_600_000, schedule: DEFAULT, random: half })).toEqual({ kind: 'poll', delayMs: 59_000, earliestDelayMs: 59_000, final: true });
  });
});
