import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/errors/api-error.js';
import { AuthenticationError } from '../../../src/errors/authentication-error.js';
import { JobFailedError } from '../../../src/errors/job-failed-error.js';
import { JobNotFoundError } from '../../../src/errors/job-not-found-error.js';
import { JobTimeoutError } from '../../../src/errors/job-timeout-error.js';
import { RateLimitError } from '../../../src/errors/rate-limit-error.js';
import { advanceWait, expireWait } from '../../../src/engine/advance.js';
import { startWait } from '../../../src/engine/driver.js';
import type { WaitState } from '../../../src/engine/wait-state.js';
import { fakeJob } from '../../helpers/fake-source.js';

// The transition is pure: every test gives the time and the jitter, and no clock is faked.

const T0 = 1_700_000_000_000;
const SOURCE = { vendor: 'fake' };
const half = (): number => 0.5;
const URL_ = 'https://api.example.com/jobs/job-1';

function fresh(options: Parameters<typeof startWait>[2] = {}): WaitState {
  return startWait(SOURCE, 'job-1', { minDelayMs: 1000, maxDelayMs: 10_000, timeoutMs: 60_000, ...options }, T0);
}

/** Freezes a state and everything in it, so a transition that changed its input would throw. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('advanceWait', () => {
  it('starts a wait as plain JSON-safe data, due at once, with its deadline and schedule', () => {
    const state = fresh();
    expect(state).toEqual({
      version: 2,
      vendor: 'fake',
      jobId: 'job-1',
      startedAt: T0,
      deadline: T0 + 60_000,
      schedule: { minDelayMs: 1000, maxDelayMs: 10_000, retryAfterCapMs: 600_000, notFoundGraceMs: 0 },
      polls: 0,
      step: 0,
      nextPollAt: T0,
      earliestPollAt: T0,
      outcomes: {},
    });
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('reports the first snapshot as changed and plans the next poll within its jitter window, without touching its input', () => {
    const state = deepFreeze(fresh());
    const running = fakeJob('running');
    const step = advanceWait(state, { job: running }, { now: T0 + 20, random: half });
    expect(step.changed).toBe(true);
    expect(step.job).toBe(running);
    expect(step.end).toBeUndefined();
    expect(step.state).toMatchObject({ polls: 1, step: 1, nextPollAt: T0 + 20 + 1000, earliestPollAt: T0 + 20 + 1000, outcomes: {} });
    expect(step.state.lastJob).toEqual({ id: 'job-1', state: 'running', vendorState: 'RUNNING', tasks: [] });
    expect(JSON.parse(JSON.stringify(step.state))).toEqual(step.state);
  });

  it('takes the jitter from the random source it is given: ±20 % around the grown delay, the window from its lower bound', () => {
    const after = advanceWait(fresh(), { job: fakeJob('running') }, { now: T0, random: half }).state;
    const low = advanceWait(after, { job: fakeJob('running') }, { now: T0 + 1000, random: () => 0 }).state;
    const high = advanceWait(after, { job: fakeJob('running') }, { now: T0 + 1000, random: () => 0.999_999 }).state;
    // step 1: 1000 × 1.3 = 1300, jittered to 1040 … 1560
    expect(low.nextPollAt).toBeCloseTo(T0 + 1000 + 1040, 3);
    expect(high.nextPollAt).toBeCloseTo(T0 + 1000 + 1560, 2);
    expect(low.earliestPollAt).toBeCloseTo(T0 + 1000 + 1040, 3);
    expect(high.earliestPollAt).toBeCloseTo(T0 + 1000 + 1040, 3);
  });

  it('does not report an unchanged snapshot, and keeps the state the same apart from its counts and times', () => {
    const first = advanceWait(fresh(), { job: fakeJob('running') }, { now: T0, random: half });
    const second = advanceWait(first.state, { job: fakeJob('running') }, { now: T0 + 1000, random: half });
    expect(second.changed).toBe(false);
    expect(second.state.lastJob).toBe(first.state.lastJob);
    expect(second.state.outcomes).toEqual({}); // answered polls are counted in `polls` alone
  });

  it('ends with the terminal snapshot, and with JobFailedError for a failed one under throwOnFailure', () => {
    const failed = fakeJob('failed', { error: { message: 'disk full' } });
    const thrown = advanceWait(fresh(), { job: failed }, { now: T0 });
    expect(thrown.end).toMatchObject({ reason: 'terminal', job: failed });
    expect(thrown.end?.error).toBeInstanceOf(JobFailedError);
    expect(thrown.state.nextPollAt).toBeNull();
    const kept = advanceWait(fresh(), { job: failed }, { now: T0, throwOnFailure: false });
    expect(kept.end).toEqual({ reason: 'terminal', job: failed });
  });

  it('ends with the first snapshot until accepts, asked before the failure check', () => {
    const failed = fakeJob('failed');
    const step = advanceWait(fresh(), { job: failed }, { now: T0, until: (job) => job.state === 'failed' });
    expect(step.end).toEqual({ reason: 'until', job: failed });
  });

  it('goes on from transient trouble no earlier than its Retry-After, and hands the error back as a later cause', () => {
    const limited = new RateLimitError({ status: 429, method: 'GET', url: URL_, retryAfterMs: 7000 });
    const step = advanceWait(fresh(), { error: limited }, { now: T0, random: half });
    expect(step.end).toBeUndefined();
    expect(step.error).toBe(limited);
    expect(step.state.outcomes).toEqual({ 429: 1 });
    expect(step.state.nextPollAt).toBe(T0 + 7000);
    expect(step.state.earliestPollAt).toBe(T0 + 7000);
  });

  it('ends at once on a permanent error', () => {
    const denied = new AuthenticationError({ status: 401, method: 'GET', url: URL_ });
    const step = advanceWait(fresh(), { error: denied }, { now: T0 });
    expect(step.end).toEqual({ reason: 'error', error: denied });
    expect(advanceWait(fresh(), { error: new ApiError({ status: 400, method: 'GET', url: URL_ }) }, { now: T0 }).end?.reason).toBe('error');
  });

  it('keeps polling a job not visible yet within notFoundGraceMs, and ends once the grace has passed', () => {
    const missing = new JobNotFoundError({ vendor: 'fake', jobId: 'job-1' });
    const state = fresh({ notFoundGraceMs: 5000 });
    expect(advanceWait(state, { error: missing }, { now: T0 + 4999 }).end).toBeUndefined();
    expect(advanceWait(state, { error: missing }, { now: T0 + 5000 }).end).toEqual({ reason: 'error', error: missing });
  });

  it('ends a job that vanished after it was seen with JobNotFoundError carrying the last snapshot, even within the grace', () => {
    const running = fakeJob('running');
    const seen = advanceWait(fresh({ notFoundGraceMs: 60_000 }), { job: running }, { now: T0 }).state;
    const withRaw = advanceWait(seen, { error: new JobNotFoundError({ vendor: 'fake', jobId: 'job-1' }) }, { now: T0 + 1000, lastJob: running });
    expect((withRaw.end?.error as JobNotFoundError).lastJob).toBe(running);
    // From the state alone (another process): the snapshot rebuilt, without its payload.
    const fromState = advanceWait(seen, { error: new JobNotFoundError({ vendor: 'fake', jobId: 'job-1' }) }, { now: T0 + 1000 });
    expect((fromState.end?.error as JobNotFoundError).lastJob).toMatchObject({ id: 'job-1', state: 'running', raw: undefined });
  });

  it('plans no poll when none fits before the deadline, and expireWait then times out with what the wait learned', () => {
    const state = fresh({ timeoutMs: 1500 });
    const first = advanceWait(state, { error: new ApiError({ status: 503, method: 'GET', url: URL_ }) }, { now: T0, random: half });
    // 1000 ms would land within the final lead of the deadline: one last poll at 1500 - 1000
    expect(first.state.nextPollAt).toBe(T0 + 500);
    const last = advanceWait(first.state, { job: fakeJob('running') }, { now: T0 + 500, random: half });
    expect(last.state.nextPollAt).toBeNull();
    expect(last.end).toBeUndefined();
    const expired = expireWait(last.state, { now: T0 + 1500, lastError: first.error });
    const error = expired.end?.error as JobTimeoutError;
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect(error).toMatchObject({ elapsedMs: 1500, polls: 2, outcomes: { 503: 1, ok: 1 } });
    expect(error.cause).toBe(first.error);
    expect(error.lastJob).toMatchObject({ state: 'running' });
  });

  it('counts a poll still out at the deadline as DEADLINE', () => {
    const error = expireWait(fresh(), { now: T0 + 60_000, inFlight: true }).end?.error as JobTimeoutError;
    expect(error.polls).toBe(1);
    expect(error.outcomes).toEqual({ DEADLINE: 1 });
  });

  it("takes a successful poll's hint as a Retry-After within the wait's bounds: it stretches the next delay up to maxDelayMs and never shortens it", () => {
    const running = fakeJob('running');
    // the schedule alone: 1000 ms (step 0, no jitter at random 0.5)
    const hinted = advanceWait(fresh(), { job: running, retryAfterMs: 4_000 }, { now: T0, random: half });
    expect(hinted.state).toMatchObject({ nextPollAt: T0 + 4_000, earliestPollAt: T0 + 4_000 });
    const capped = advanceWait(fresh(), { job: running, retryAfterMs: 600_000 }, { now: T0, random: half });
    expect(capped.state).toMatchObject({ nextPollAt: T0 + 10_000, earliestPollAt: T0 + 10_000 });
    const shorter = advanceWait(fresh(), { job: running, retryAfterMs: 10 }, { now: T0, random: half });
    expect(shorter.state).toMatchObject({ nextPollAt: T0 + 1_000 });
    for (const bad of [Number.NaN, -5]) {
      expect(advanceWait(fresh(), { job: running, retryAfterMs: bad }, { now: T0, random: half }).state).toMatchObject({ nextPollAt: T0 + 1_000 });
    }
    // the deadline still comes first: one last poll before it
    const late = advanceWait(fresh({ timeoutMs: 3_000 }), { job: running, retryAfterMs: 5_000 }, { now: T0, random: half });
    expect(late.state.nextPollAt).toBe(T0 + 2_000);
  });

  it('reports as ok the polls its state does not count otherwise, whatever an ok count in the state says', () => {
    const state = { ...fresh(), polls: 5, outcomes: { ok: 1, 503: 2 } };
    const error = expireWait(state, { now: T0 + 60_000 }).end?.error as JobTimeoutError;
    expect(error.outcomes).toEqual({ ok: 3, 503: 2 });
  });

  it('gives the same step for the same state, result and context: a state read back from JSON goes on the same', () => {
    const first = advanceWait(fresh(), { job: fakeJob('running', { message: 'copying' }) }, { now: T0, random: half });
    const copy = JSON.parse(JSON.stringify(first.state)) as WaitState;
    const next = fakeJob('running', { message: 'copying' });
    const a = advanceWait(first.state, { job: next }, { now: T0 + 1000, random: half });
    const b = advanceWait(copy, { job: next }, { now: T0 + 1000, random: half });
    expect(b).toEqual(a);
    expect(b.changed).toBe(false);
  });
});
