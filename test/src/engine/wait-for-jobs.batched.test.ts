import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../src/errors/api-error.js';
import { AuthenticationError } from '../../../src/errors/authentication-error.js';
import { InvalidResponseError } from '../../../src/errors/invalid-response-error.js';
import { JobCancelledError } from '../../../src/errors/job-cancelled-error.js';
import { JobFailedError } from '../../../src/errors/job-failed-error.js';
import { JobNotFoundError } from '../../../src/errors/job-not-found-error.js';
import { JobTimeoutError } from '../../../src/errors/job-timeout-error.js';
import { NetworkError } from '../../../src/errors/network-error.js';
import { RateLimitError } from '../../../src/errors/rate-limit-error.js';
import { WaitAbortedError } from '../../../src/errors/wait-aborted-error.js';
import type { WaitPolicy } from '../../../src/client/job-client.js';
import type { Job } from '../../../src/model/job.js';
import { waitForJob } from '../../../src/engine/wait-for-job.js';
import { waitForJobs, type JobOutcome, type WaitForJobsOptions } from '../../../src/engine/wait-for-jobs.js';
import { batchJob, fakeBatchSource, type Round } from '../../helpers/fake-batch-source.js';
import { fakeJob, fakeSource, flush, STEADY, track, useFakeClock, withRealTimeGuard, type Step, type Tracked } from '../../helpers/fake-source.js';

// The batched fleet: `waitForJobs` on a client with `getJobs` polls every pending job of a round
// with one call. These tests pin its rules on a fake batch source, in fake time.

// ---------------------------------------------------------------------------------------------
// Helpers

const URL_ = 'https://api.example.com/jobs?uuid=a|b|c';

const job = batchJob;

const network = (message = 'ECONNRESET'): NetworkError => new NetworkError({ method: 'GET', url: URL_, message });
const api = (status: number, retryAfterMs?: number): ApiError => new ApiError({ status, method: 'GET', url: URL_, retryAfterMs });
const rateLimit = (retryAfterMs?: number): RateLimitError => new RateLimitError({ status: 429, method: 'GET', url: URL_, retryAfterMs });

type Fleet = Tracked<JobOutcome[]>;

/** The outcomes of a fleet that resolved. */
function outcomesOf(fleet: Fleet): JobOutcome[] {
  expect(fleet.settled).toBe(true);
  expect(fleet.error).toBeUndefined();
  return fleet.value as JobOutcome[];
}

/** The error of one job's outcome, checked to be rejected. */
function errorOf(outcome: JobOutcome | undefined): unknown {
  expect(outcome?.status).toBe('rejected');
  return outcome?.error;
}

useFakeClock();

// ---------------------------------------------------------------------------------------------

describe('waitForJobs, batched: rounds', () => {
  it('polls every pending job with one getJobs call per round, in input order, and never calls getJob', async () => {
    const a = job('a', 'succeeded');
    const b = job('b', 'succeeded');
    const c = job('c', 'succeeded');
    const { client, getJob, calls, times, idsPerRound } = fakeBatchSource([
      { a, b: 'running', c: 'queued' },
      { b, c: 'running' },
      { c },
    ]);
    const fleet = track(waitForJobs(client, ['a', 'b', 'c'], STEADY));
    await vi.advanceTimersByTimeAsync(1999);
    expect(fleet.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcomesOf(fleet)).toEqual([
      { id: 'a', status: 'fulfilled', job: a },
      { id: 'b', status: 'fulfilled', job: b },
      { id: 'c', status: 'fulfilled', job: c },
    ]);
    expect(idsPerRound()).toEqual([['a', 'b', 'c'], ['b', 'c'], ['c']]);
    expect(times()).toEqual([0, 1000, 2000]);
    expect(calls.every((call) => call.signal instanceof AbortSignal)).toBe(true);
    expect(getJob).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends the first round at once, then follows the single wait schedule: delays growing ×1.3 from minDelayMs', async () => {
    const { client, times } = fakeBatchSource([{ a: 'running' }, { a: 'running' }, { a: 'running' }, { a: 'running' }, { a: 'succeeded' }]);
    const fleet = track(waitForJobs(client, ['a']));
    expect(times()).toEqual([0]);
    await vi.advanceTimersByTimeAsync(9279);
    expect(times()).toEqual([0, 1500, 3450, 5985]);
    await vi.advanceTimersByTimeAsync(1);
    // 1500, 1950 (1_500 × 1.3), 2535 (× 1.3²), 3295 (× 1.3³)
    expect(times()).toEqual([0, 1500, 3450, 5985, 9280]);
    expect(outcomesOf(fleet)[0]?.job?.state).toBe('succeeded');
  });

  it('asks once per round for an id repeated in the input and gives every repeat the same outcome', async () => {
    const done = job('a', 'succeeded');
    const { client, idsPerRound } = fakeBatchSource([{ a: 'running', b: 'running' }, { a: done, b: 'failed' }]);
    const seen: string[] = [];
    const fleet = track(waitForJobs(client, ['a', 'b', 'a'], { ...STEADY, onProgress: (j) => seen.push(`${j.id}:${j.state}`) }));
    await vi.advanceTimersByTimeAsync(1000);
    const outcomes = outcomesOf(fleet);
    expect(idsPerRound()).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([
      ['a', 'fulfilled'],
      ['b', 'rejected'],
      ['a', 'fulfilled'],
    ]);
    expect(outcomes[0]?.job).toBe(done);
    expect(outcomes[2]).toEqual(outcomes[0]);
    expect(seen).toEqual(['a:running', 'b:running', 'a:succeeded', 'b:failed']);
  });

  // A one-job fleet against the single wait on the same answers: the batched path keeps its rules.
  // `'missing'` is a 404 for the single wait and an answer without the job for the fleet.
  type Answer = Job | Error | 'missing';
  it.each<[string, Answer[], WaitForJobsOptions, WaitPolicy | undefined]>([
    ['the default schedule', [job('job-1', 'running'), job('job-1', 'running'), job('job-1', 'running'), job('job-1', 'succeeded')], {}, undefined],
    ['a Retry-After above the wait maxDelayMs', [rateLimit(5000), job('job-1', 'running'), job('job-1', 'succeeded')], STEADY, undefined],
    ['a Retry-After capped by the vendor waitPolicy', [job('job-1', 'running'), api(503, 20_000), job('job-1', 'running'), job('job-1', 'succeeded')], {}, { maxDelayMs: 5000 }],
    ['transient trouble up to the deadline', [job('job-1', 'running'), api(503), network(), rateLimit(2500)], { timeoutMs: 9000 }, undefined],
    ['a job not visible yet, past the grace', ['missing'], { notFoundGraceMs: 2500, ...STEADY }, undefined],
    ['a job that vanishes after it was seen', [job('job-1', 'running'), 'missing'], { notFoundGraceMs: 60_000 }, undefined],
  ])('places its rounds where a single wait on the same answers places its polls, and ends the same way: %s', async (_label, answers, options, policy) => {
    const single = fakeSource(
      answers.map((answer): Step => (answer === 'missing' ? new JobNotFoundError({ vendor: 'fake', jobId: 'job-1' }) : answer)),
      policy,
    );
    const batched = fakeBatchSource(
      answers.map((answer): Round => (answer === 'missing' ? {} : answer instanceof Error ? answer : { 'job-1': answer })),
      policy,
    );
    const one = track(waitForJob(single.client, 'job-1', options));
    const fleet = track(waitForJobs(batched.client, ['job-1'], options));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(one.settled).toBe(true);
    const outcome = outcomesOf(fleet)[0];
    expect(batched.times()).toEqual(single.times);
    if (one.error === undefined) {
      expect(outcome).toEqual({ id: 'job-1', status: 'fulfilled', job: one.value });
      expect(outcome?.job).toBe(one.value);
    } else {
      const error = errorOf(outcome) as Error;
      expect(error.constructor).toBe((one.error as Error).constructor);
      expect(error.message).toBe((one.error as Error).message);
      expect({ ...error }).toEqual({ ...(one.error as Error) });
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('waitForJobs, batched: Retry-After', () => {
  it('stretches the next round to the Retry-After of a 429 RateLimitError, then returns to the schedule', async () => {
    const { client, times } = fakeBatchSource([rateLimit(5000), { a: 'running', b: 'running' }, { a: 'running', b: 'running' }, { a: 'succeeded', b: 'succeeded' }]);
    const fleet = track(waitForJobs(client, ['a', 'b']));
    await vi.advanceTimersByTimeAsync(4999);
    expect(times()).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(times()).toEqual([0, 5000]);
    await vi.advanceTimersByTimeAsync(4485); // t = 9485
    // 5000 (the Retry-After), then the schedule's steps 1 and 2: 1950 (1_500 × 1.3), 2535 (× 1.3²)
    expect(times()).toEqual([0, 5000, 6950, 9485]);
    expect(outcomesOf(fleet).map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
  });

  it('stretches the next round to the Retry-After of a 503 ApiError, then returns to the schedule', async () => {
    const { client, times } = fakeBatchSource([{ a: 'running' }, api(503, 12_000), { a: 'running' }, { a: 'succeeded' }]);
    const fleet = track(waitForJobs(client, ['a']));
    await vi.advanceTimersByTimeAsync(13_499);
    expect(times()).toEqual([0, 1500]);
    await vi.advanceTimersByTimeAsync(1);
    expect(times()).toEqual([0, 1500, 13_500]);
    await vi.advanceTimersByTimeAsync(2535); // 1_500 × 1.3²: the schedule's next step, not another 12 s
    expect(times()).toEqual([0, 1500, 13_500, 16_035]);
    expect(outcomesOf(fleet)[0]?.status).toBe('fulfilled');
  });

  it('does not shorten the schedule for a Retry-After shorter than the next delay', async () => {
    const { client, times } = fakeBatchSource([{ a: 'running' }, { a: 'running' }, rateLimit(100), { a: 'succeeded' }]);
    const fleet = track(waitForJobs(client, ['a']));
    await vi.advanceTimersByTimeAsync(5985);
    expect(fleet.settled).toBe(true);
    expect(times()).toEqual([0, 1500, 3450, 5985]);
  });

  it('honours a Retry-After above the wait maxDelayMs, as a single wait does', async () => {
    const { client, times } = fakeBatchSource([rateLimit(5000), { a: 'running' }, { a: 'succeeded' }]);
    const fleet = track(waitForJobs(client, ['a'], STEADY));
    await vi.advanceTimersByTimeAsync(6000);
    expect(fleet.settled).toBe(true);
    expect(times()).toEqual([0, 5000, 6000]);
  });

  it('caps an honoured Retry-After at the client waitPolicy.maxDelayMs', async () => {
    const { client, times } = fakeBatchSource([rateLimit(20_000), { a: 'running' }, { a: 'succeeded' }], { maxDelayMs: 5000 });
    const fleet = track(waitForJobs(client, ['a'], { maxDelayMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(4999);
    expect(times()).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(times()).toEqual([0, 5000]);
    await vi.advanceTimersByTimeAsync(1950);
    expect(times()).toEqual([0, 5000, 6950]);
    expect(fleet.settled).toBe(true);
  });

  it('never lets a huge Retry-After push a round past the deadline', async () => {
    for (const retryAfterMs of [3_600_000, Number.MAX_SAFE_INTEGER, Infinity]) {
      const { client, times } = fakeBatchSource([rateLimit(retryAfterMs)]);
      const fleet = track(waitForJobs(client, ['a', 'b'], { timeoutMs: 60_000 }));
      await vi.advanceTimersByTimeAsync(59_999);
      expect(times()).toEqual([0, 59_000]);
      expect(fleet.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      for (const outcome of outcomesOf(fleet)) {
        const error = errorOf(outcome) as JobTimeoutError;
        expect(error).toBeInstanceOf(JobTimeoutError);
        expect(error.elapsedMs).toBe(60_000);
        expect(error.outcomes).toEqual({ '429': 2 });
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('waitForJobs, batched: deadline', () => {
  it('sends the last round just before the deadline and then rejects every unfinished job with JobTimeoutError at the deadline, not before', async () => {
    const lastA = job('a', 'running', { message: 'copying' });
    const lastC = job('c', 'queued');
    const b = job('b', 'succeeded');
    const { client, times, idsPerRound } = fakeBatchSource([
      { a: 'queued', b: 'running', c: 'queued' },
      { a: 'running', b, c: 'queued' },
      { a: 'running', c: 'queued' },
      { a: 'running', c: 'queued' },
      { a: lastA, c: lastC },
    ]);
    const fleet = track(waitForJobs(client, ['a', 'b', 'c'], { timeoutMs: 10_000 }));
    await vi.advanceTimersByTimeAsync(9999);
    // 0, 1500, 3450, 5985, then 5_985 + 3_295 + the 1_000 ms lead would pass 10_000: a last round at 9000
    expect(times()).toEqual([0, 1500, 3450, 5985, 9000]);
    expect(idsPerRound().at(-1)).toEqual(['a', 'c']);
    expect(fleet.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const outcomes = outcomesOf(fleet);
    expect(outcomes[1]).toEqual({ id: 'b', status: 'fulfilled', job: b });
    const a = errorOf(outcomes[0]) as JobTimeoutError;
    expect(a).toBeInstanceOf(JobTimeoutError);
    expect(a).toMatchObject({ jobId: 'a', elapsedMs: 10_000, polls: 5, outcomes: { ok: 5 } });
    expect(a.lastJob).toBe(lastA);
    expect(a.cause).toBeUndefined();
    expect(a.message).toContain('copying');
    const c = errorOf(outcomes[2]) as JobTimeoutError;
    expect(c).toBeInstanceOf(JobTimeoutError);
    expect(c).toMatchObject({ jobId: 'c', elapsedMs: 10_000, polls: 5 });
    expect(c.lastJob).toBe(lastC);
    expect(times()).toHaveLength(5);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('still resolves a job that the last round before the deadline sees end', async () => {
    const done = job('a', 'succeeded');
    const { client, times } = fakeBatchSource([{ a: 'running' }, { a: 'running' }, { a: 'running' }, { a: 'running' }, { a: done }]);
    const fleet = track(waitForJobs(client, ['a'], { timeoutMs: 10_000 }));
    await vi.advanceTimersByTimeAsync(9000);
    expect(times().at(-1)).toBe(9000);
    expect(outcomesOf(fleet)).toEqual([{ id: 'a', status: 'fulfilled', job: done }]);
  });

  it('keeps the last transient error of the rounds as the cause of the timeout, with every poll counted per job', async () => {
    const lastNetwork = network('socket hang up');
    const { client, times } = fakeBatchSource([{ a: 'running', b: 'running' }, api(503), api(503), api(503), network(), lastNetwork]);
    const fleet = track(waitForJobs(client, ['a', 'b'], { timeoutMs: 5500, ...STEADY }));
    await vi.advanceTimersByTimeAsync(5499);
    expect(fleet.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(times()).toEqual([0, 1000, 2000, 3000, 4000, 4500]);
    for (const outcome of outcomesOf(fleet)) {
      const error = errorOf(outcome) as JobTimeoutError;
      expect(error).toBeInstanceOf(JobTimeoutError);
      expect(error.polls).toBe(6);
      expect(error.outcomes).toEqual({ ok: 1, '503': 3, NETWORK: 2 });
      expect(error.cause).toBe(lastNetwork);
      expect(error.lastJob?.state).toBe('running');
      expect(error.elapsedMs).toBe(5500);
    }
  });

  it('has no timeout cause when a successful round came after the transient errors', async () => {
    const { client } = fakeBatchSource([api(502), network(), { a: 'running' }]);
    const fleet = track(waitForJobs(client, ['a'], { timeoutMs: 8000 }));
    await vi.advanceTimersByTimeAsync(8000);
    const error = errorOf(outcomesOf(fleet)[0]) as JobTimeoutError;
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect(error.cause).toBeUndefined();
    expect(error.outcomes).toMatchObject({ '502': 1, NETWORK: 1 });
  });

  it('cuts a getJobs still in flight at the deadline, aborts its signal, and counts it as DEADLINE', async () => {
    const running = job('a', 'running');
    const { client, calls } = fakeBatchSource([{ a: running, b: 'running' }, 'hang']);
    const fleet = track(waitForJobs(client, ['a', 'b'], { timeoutMs: 5000 }));
    await vi.advanceTimersByTimeAsync(4999);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.signal?.aborted).toBe(false);
    expect(fleet.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const outcomes = outcomesOf(fleet);
    const a = errorOf(outcomes[0]) as JobTimeoutError;
    expect(a).toBeInstanceOf(JobTimeoutError);
    expect(a).toMatchObject({ elapsedMs: 5000, polls: 2, outcomes: { ok: 1, DEADLINE: 1 } });
    expect(a.lastJob).toBe(running);
    expect(errorOf(outcomes[1])).toBeInstanceOf(JobTimeoutError);
    expect(calls[1]?.signal?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never sends a round at or after the deadline for short timeouts', async () => {
    for (const timeoutMs of [1, 500, 1000, 1001, 1999, 2000, 2500]) {
      const { client, times } = fakeBatchSource([{ a: 'running', b: 'running' }]);
      const fleet = track(waitForJobs(client, ['a', 'b'], { timeoutMs }));
      await vi.advanceTimersByTimeAsync(timeoutMs - 1);
      expect(fleet.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(times().every((t) => t < timeoutMs)).toBe(true);
      for (const outcome of outcomesOf(fleet)) {
        const error = errorOf(outcome) as JobTimeoutError;
        expect(error).toBeInstanceOf(JobTimeoutError);
        expect(error.elapsedMs).toBe(timeoutMs);
        expect(error.polls).toBe(times().length);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('waitForJobs, batched: a job missing from the answer', () => {
  it('rejects a job never seen with JobNotFoundError at once by default, and the other jobs of the round go on', async () => {
    const b = job('b', 'succeeded');
    const { client, idsPerRound } = fakeBatchSource([{ b: 'running' }, { b }]);
    const fleet = track(waitForJobs(client, ['a', 'b'], STEADY));
    await flush();
    expect(idsPerRound()).toEqual([['a', 'b']]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(idsPerRound()).toEqual([['a', 'b'], ['b']]);
    const outcomes = outcomesOf(fleet);
    const error = errorOf(outcomes[0]) as JobNotFoundError;
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect(error.jobId).toBe('a');
    expect(error.lastJob).toBeUndefined();
    expect(outcomes[1]).toEqual({ id: 'b', status: 'fulfilled', job: b });
  });

  it('settles a fleet whose only job is never seen at once by default, with no timer left', async () => {
    const { client, getJobs } = fakeBatchSource([{}, { a: 'succeeded' }]);
    const fleet = track(waitForJobs(client, ['a']));
    await flush();
    expect(errorOf(outcomesOf(fleet)[0])).toBeInstanceOf(JobNotFoundError);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(getJobs).toHaveBeenCalledTimes(1);
  });

  it('keeps polling a job never seen within notFoundGraceMs, then rejects it with JobNotFoundError, the other jobs unaffected', async () => {
    const b = job('b', 'succeeded');
    const { client, times, idsPerRound } = fakeBatchSource([{ b: 'running' }, { b: 'running' }, { b: 'running' }, { b: 'running' }, { b }]);
    const fleet = track(waitForJobs(client, ['a', 'b'], { notFoundGraceMs: 2500, ...STEADY }));
    await vi.advanceTimersByTimeAsync(2999);
    expect(times()).toEqual([0, 1000, 2000]);
    expect(idsPerRound().every((ids) => ids.includes('a'))).toBe(true);
    await vi.advanceTimersByTimeAsync(1); // t = 3000: past the grace
    expect(times()).toEqual([0, 1000, 2000, 3000]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(idsPerRound().at(-1)).toEqual(['b']);
    const outcomes = outcomesOf(fleet);
    const error = errorOf(outcomes[0]) as JobNotFoundError;
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect(error.lastJob).toBeUndefined();
    expect(outcomes[1]).toEqual({ id: 'b', status: 'fulfilled', job: b });
  });

  it('resolves a job that appears within notFoundGraceMs', async () => {
    const done = job('a', 'succeeded');
    const { client, times } = fakeBatchSource([{}, {}, { a: 'running' }, { a: done }]);
    const fleet = track(waitForJobs(client, ['a'], { notFoundGraceMs: 5000, ...STEADY }));
    await vi.advanceTimersByTimeAsync(3000);
    expect(outcomesOf(fleet)).toEqual([{ id: 'a', status: 'fulfilled', job: done }]);
    expect(times()).toEqual([0, 1000, 2000, 3000]);
  });

  it('rejects a job seen and then missing with JobNotFoundError carrying lastJob at once, even within the grace, and the other jobs go on', async () => {
    const running = job('a', 'running', { message: 'almost there' });
    const b = job('b', 'succeeded');
    const { client, idsPerRound } = fakeBatchSource([{ a: running, b: 'running' }, { b: 'running' }, { b }]);
    const fleet = track(waitForJobs(client, ['a', 'b'], { notFoundGraceMs: 60_000, ...STEADY }));
    await vi.advanceTimersByTimeAsync(2000);
    expect(idsPerRound()).toEqual([['a', 'b'], ['a', 'b'], ['b']]);
    const outcomes = outcomesOf(fleet);
    const error = errorOf(outcomes[0]) as JobNotFoundError;
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect(error.jobId).toBe('a');
    expect(error.lastJob).toBe(running);
    expect(error.message).toContain('vanished after it was seen');
    expect(error.message).toContain('almost there');
    expect(outcomes[1]).toEqual({ id: 'b', status: 'fulfilled', job: b });
  });

  it('times out with 404 outcomes when the grace outlasts the deadline', async () => {
    const { client } = fakeBatchSource([{}]);
    const fleet = track(waitForJobs(client, ['a'], { notFoundGraceMs: 60_000, timeoutMs: 5000 }));
    await vi.advanceTimersByTimeAsync(5000);
    const error = errorOf(outcomesOf(fleet)[0]) as JobTimeoutError;
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect(error.outcomes).toEqual({ '404': error.polls });
    expect(error.cause).toBeInstanceOf(JobNotFoundError);
  });
});

// ---------------------------------------------------------------------------------------------

describe('waitForJobs, batched: abort', () => {
  it('rejects every pending job with WaitAbortedError at once when the signal aborts while a round sleeps; settled jobs keep their outcome', async () => {
    const done = job('a', 'succeeded');
    const failed = job('d', 'failed');
    const lastB = job('b', 'running');
    const lastC = job('c', 'queued');
    const controller = new AbortController();
    const { client, getJobs } = fakeBatchSource([{ a: done, b: 'queued', c: 'queued', d: failed }, { b: lastB, c: lastC }]);
    const fleet = track(waitForJobs(client, ['a', 'b', 'c', 'd'], { ...STEADY, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(1500); // second round done at 1000, sleeping until 2000
    expect(getJobs).toHaveBeenCalledTimes(2);
    expect(fleet.settled).toBe(false);
    const reason = new Error('shutting down');
    controller.abort(reason);
    await flush();
    const outcomes = outcomesOf(fleet);
    expect(outcomes[0]).toEqual({ id: 'a', status: 'fulfilled', job: done });
    expect(errorOf(outcomes[3])).toBeInstanceOf(JobFailedError);
    for (const [index, last] of [[1, lastB] as const, [2, lastC] as const]) {
      const error = errorOf(outcomes[index]) as WaitAbortedError;
      expect(error).toBeInstanceOf(WaitAbortedError);
      expect(error.jobId).toBe(last.id);
      expect(error.lastJob).toBe(last);
      expect(error.cause).toBe(reason);
    }
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(getJobs).toHaveBeenCalledTimes(2);
  });

  it('aborts the signal of the getJobs request in flight and rejects every pending job with WaitAbortedError at once', async () => {
    const lastA = job('a', 'running');
    const lastB = job('b', 'queued');
    const controller = new AbortController();
    let requestAborted = false;
    const honouring: Round = (_ids, signal) =>
      new Promise<Map<string, Job>>((_, reject) => {
        signal?.addEventListener('abort', () => {
          requestAborted = true;
          reject(new NetworkError({ method: 'GET', url: URL_, message: 'aborted', cause: signal.reason }));
        });
      });
    const { client, calls } = fakeBatchSource([{ a: lastA, b: lastB }, honouring]);
    const fleet = track(waitForJobs(client, ['a', 'b'], { ...STEADY, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.signal?.aborted).toBe(false);
    controller.abort('user');
    await flush();
    expect(requestAborted).toBe(true);
    expect(calls[1]?.signal?.aborted).toBe(true);
    const outcomes = outcomesOf(fleet);
    for (const [index, last] of [[0, lastA] as const, [1, lastB] as const]) {
      const error = errorOf(outcomes[index]) as WaitAbortedError;
      expect(error).toBeInstanceOf(WaitAbortedError);
      expect(error.lastJob).toBe(last);
      expect(error.cause).toBe('user');
    }
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(calls).toHaveLength(2);
  });

  it('rejects at once on abort even when getJobs ignores its signal and never settles', async () => {
    const controller = new AbortController();
    const { client, calls } = fakeBatchSource(['hang']);
    const fleet = track(waitForJobs(client, ['a', 'b'], { signal: controller.signal }));
    await flush();
    expect(fleet.settled).toBe(false);
    controller.abort();
    await flush();
    for (const outcome of outcomesOf(fleet)) {
      const error = errorOf(outcome) as WaitAbortedError;
      expect(error).toBeInstanceOf(WaitAbortedError);
      expect(error.cause).toBe(controller.signal.reason);
      expect(error.lastJob).toBeUndefined();
    }
    expect(calls[0]?.signal?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(calls).toHaveLength(1);
  });

  it('rejects every job with WaitAbortedError without any request when the signal is already aborted', async () => {
    const reason = new Error('never mind');
    const { client, getJobs } = fakeBatchSource([{ a: 'running' }]);
    const fleet = track(waitForJobs(client, ['a', 'b'], { signal: AbortSignal.abort(reason) }));
    await flush();
    for (const outcome of outcomesOf(fleet)) {
      const error = errorOf(outcome) as WaitAbortedError;
      expect(error).toBeInstanceOf(WaitAbortedError);
      expect(error.cause).toBe(reason);
    }
    expect(getJobs).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

const TRANSIENT: [string, () => Error][] = [
  ['a NetworkError', () => network()],
  ['a NetworkError from the per-request timeout', () => new NetworkError({ method: 'GET', url: URL_, timedOut: true })],
  ['a RateLimitError (429)', () => rateLimit()],
  ['an ApiError 500', () => api(500)],
  ['an ApiError 503', () => api(503)],
];

const PERMANENT: [string, () => Error][] = [
  ['an AuthenticationError 401', () => new AuthenticationError({ status: 401, method: 'GET', url: URL_ })],
  ['an ApiError 400', () => api(400)],
  ['an InvalidResponseError', () => new InvalidResponseError({ status: 200, method: 'GET', url: URL_, reason: 'schema mismatch', issues: [{ path: ['records'], message: 'Required' }] })],
];

describe('waitForJobs, batched: errors of a round', () => {
  it.each(PERMANENT)('ends every pending job of the round with %s itself, and the settled ones keep their outcome', async (_label, make) => {
    const error = make();
    const done = job('a', 'succeeded');
    const { client, getJobs } = fakeBatchSource([{ a: done, b: 'running', c: 'running' }, error]);
    const fleet = track(waitForJobs(client, ['a', 'b', 'c'], STEADY));
    await vi.advanceTimersByTimeAsync(999);
    expect(fleet.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcomesOf(fleet)).toEqual([
      { id: 'a', status: 'fulfilled', job: done },
      { id: 'b', status: 'rejected', error },
      { id: 'c', status: 'rejected', error },
    ]);
    expect(outcomesOf(fleet)[1]?.error).toBe(error);
    expect(outcomesOf(fleet)[2]?.error).toBe(error);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getJobs).toHaveBeenCalledTimes(2);
  });

  it.each(TRANSIENT)('keeps polling every pending job after a round failing with %s', async (_label, make) => {
    const a = job('a', 'succeeded');
    const b = job('b', 'succeeded');
    const { client, idsPerRound } = fakeBatchSource([{ a: 'running', b: 'running' }, make(), make(), { a, b }]);
    const fleet = track(waitForJobs(client, ['a', 'b'], STEADY));
    await vi.advanceTimersByTimeAsync(2999);
    expect(fleet.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcomesOf(fleet)).toEqual([
      { id: 'a', status: 'fulfilled', job: a },
      { id: 'b', status: 'fulfilled', job: b },
    ]);
    expect(idsPerRound()).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('waitForJobs, batched: until, throwOnFailure, onProgress, failFast', () => {
  it('settles a job with the first snapshot that meets until, asked before the failure check, and drops it from later rounds', async () => {
    const runningA = job('a', 'running');
    const failedB = job('b', 'failed');
    const { client, idsPerRound } = fakeBatchSource([{ a: 'queued', b: failedB, c: 'queued' }, { a: runningA, c: 'queued' }, { c: 'succeeded' }]);
    const until = vi.fn((j: Job) => j.state === 'running' || (j.id === 'b' && j.state === 'failed'));
    const fleet = track(waitForJobs(client, ['a', 'b', 'c'], { ...STEADY, until }));
    await vi.advanceTimersByTimeAsync(2000);
    const outcomes = outcomesOf(fleet);
    expect(outcomes[0]).toEqual({ id: 'a', status: 'fulfilled', job: runningA });
    expect(outcomes[1]).toEqual({ id: 'b', status: 'fulfilled', job: failedB });
    expect(outcomes[2]?.job?.state).toBe('succeeded');
    expect(idsPerRound()).toEqual([['a', 'b', 'c'], ['a', 'c'], ['c']]);
    expect(until).toHaveBeenCalledTimes(6);
  });

  it('rejects failed and cancelled jobs with JobFailedError and JobCancelledError carrying the job by default', async () => {
    const failed = job('a', 'failed', { error: { code: '460770', message: 'volume offline' } });
    const cancelled = job('b', 'cancelled');
    const { client } = fakeBatchSource([{ a: failed, b: cancelled }]);
    const fleet = track(waitForJobs(client, ['a', 'b']));
    await flush();
    const [a, b] = outcomesOf(fleet);
    expect(errorOf(a)).toBeInstanceOf(JobFailedError);
    expect((errorOf(a) as JobFailedError).job).toBe(failed);
    expect(errorOf(b)).toBeInstanceOf(JobCancelledError);
    expect((errorOf(b) as JobCancelledError).job).toBe(cancelled);
  });

  it('resolves failed and cancelled jobs instead of rejecting them when throwOnFailure is false', async () => {
    const failed = job('a', 'failed');
    const cancelled = job('b', 'cancelled');
    const { client } = fakeBatchSource([{ a: failed, b: cancelled }]);
    const fleet = track(waitForJobs(client, ['a', 'b'], { throwOnFailure: false }));
    await flush();
    expect(outcomesOf(fleet)).toEqual([
      { id: 'a', status: 'fulfilled', job: failed },
      { id: 'b', status: 'fulfilled', job: cancelled },
    ]);
  });

  it('calls onProgress with the first snapshot of each job and each changed one, never with a repeat', async () => {
    const q = job('a', 'queued');
    const r1 = job('a', 'running', { message: 'step 1' });
    const r2 = job('a', 'running', { message: 'step 2' });
    const done = job('a', 'succeeded', { message: 'step 2' });
    const b1 = job('b', 'running', { progress: { completed: 1, total: 2 } });
    const b2 = job('b', 'running', { progress: { completed: 2, total: 2 } });
    const { client } = fakeBatchSource([
      { a: q, b: b1 },
      { a: job('a', 'queued'), b: job('b', 'running', { progress: { completed: 1, total: 2 } }) },
      { a: r1, b: b2 },
      { a: job('a', 'running', { message: 'step 1', updatedAt: new Date(5000) }), b: job('b', 'running', { progress: { completed: 2, total: 2 } }) },
      { a: r2, b: 'succeeded' },
      { a: done },
    ]);
    const seen: Job[] = [];
    const fleet = track(waitForJobs(client, ['a', 'b'], { ...STEADY, onProgress: (j) => seen.push(j) }));
    await vi.advanceTimersByTimeAsync(5000);
    expect(outcomesOf(fleet)[0]?.job).toBe(done);
    expect(seen.filter((j) => j.id === 'a')).toEqual([q, r1, r2, done]);
    expect(seen.filter((j) => j.id === 'b').map((j) => [j.state, j.progress?.completed])).toEqual([
      ['running', 1],
      ['running', 2],
      ['succeeded', undefined],
    ]);
    expect(seen[0]).toBe(q);
    expect(seen[2]).toBe(r1);
  });

  it('rejects with the first failure of a round under failFast, at that round, and sends no request afterwards', async () => {
    const failed = job('b', 'failed');
    const controller = new AbortController();
    const { client, getJobs } = fakeBatchSource([{ a: 'running', b: 'running', c: 'running' }, { a: 'running', b: failed, c: 'running' }]);
    const fleet = track(waitForJobs(client, ['a', 'b', 'c'], { ...STEADY, failFast: true, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(999);
    expect(fleet.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(fleet.settled).toBe(true);
    expect(fleet.error).toBeInstanceOf(JobFailedError);
    expect((fleet.error as JobFailedError).job).toBe(failed);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getJobs).toHaveBeenCalledTimes(2);
  });

  it('rejects under failFast with the error of a job missing from the answer, or with the permanent error of a round', async () => {
    const missing = fakeBatchSource([{ a: 'running' }]);
    const first = track(waitForJobs(missing.client, ['a', 'b'], { failFast: true }));
    await flush();
    expect(first.error).toBeInstanceOf(JobNotFoundError);
    expect((first.error as JobNotFoundError).jobId).toBe('b');

    const auth = new AuthenticationError({ status: 401, method: 'GET', url: URL_ });
    const denied = fakeBatchSource([auth]);
    const second = track(waitForJobs(denied.client, ['a', 'b'], { failFast: true }));
    await flush();
    expect(second.error).toBe(auth);
    expect(vi.getTimerCount()).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the real-time guard of the fake clock', () => {
  it('fails a wait that the fake clock never drives after real time, with a message saying why', async () => {
    const { client } = fakeBatchSource([{ a: 'running' }]);
    const started = Date.now(); // fake: it does not move by itself
    const error = await withRealTimeGuard(() => waitForJobs(client, ['a'], STEADY), 50).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^real-time guard: this fake-timer test did not settle within 50 ms of real time/);
    expect((error as Error).message).toContain('setImmediate');
    expect(Date.now()).toBe(started);
  });

  it('lets a wait that settles in fake time through, with its value', async () => {
    const { client } = fakeBatchSource([{ a: 'succeeded' }]);
    const outcomes = await withRealTimeGuard(() => waitForJobs(client, ['a']), 50);
    expect(outcomes[0]?.status).toBe('fulfilled');
  });
});

describe('waitForJobs, batched: failFast and the fleet’s own ends', () => {
  it('rejects with the JobTimeoutError under failFast when the fleet times out, as the per-job fleet does', async () => {
    const perJob = fakeSource([fakeJob('running')]);
    const single = track(waitForJobs(perJob.client, ['job-1'], { ...STEADY, timeoutMs: 3000, failFast: true }));
    const { client } = fakeBatchSource([{ a: 'running', b: 'running' }]);
    const fleet = track(waitForJobs(client, ['a', 'b'], { ...STEADY, timeoutMs: 3000, failFast: true }));
    await vi.advanceTimersByTimeAsync(3000);
    expect(single.error).toBeInstanceOf(JobTimeoutError); // the fleet without getJobs rejects
    expect(fleet.settled).toBe(true);
    expect(fleet.error).toBeInstanceOf(JobTimeoutError);
  });

  it('rejects with the WaitAbortedError under failFast when the signal aborts, as the per-job fleet does', async () => {
    const controller = new AbortController();
    const perJob = fakeSource([fakeJob('running')]);
    const single = track(waitForJobs(perJob.client, ['job-1'], { ...STEADY, failFast: true, signal: controller.signal }));
    const { client } = fakeBatchSource([{ a: 'running', b: 'running' }]);
    const fleet = track(waitForJobs(client, ['a', 'b'], { ...STEADY, failFast: true, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(1500);
    controller.abort(new Error('stop'));
    await flush();
    expect(single.error).toBeInstanceOf(WaitAbortedError);
    expect(fleet.error).toBeInstanceOf(WaitAbortedError);
  });
});
