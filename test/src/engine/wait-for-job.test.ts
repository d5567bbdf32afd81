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
import type { Job } from '../../../src/model/job.js';
import { waitForJob } from '../../../src/engine/wait-for-job.js';
import { SCHEDULE_CONSTANTS, WAIT_DEFAULTS } from '../../../src/engine/options.js';
import { fakeJob, fakeSource, flush, STEADY, track, useFakeClock, type Step } from '../../helpers/fake-source.js';

// ---------------------------------------------------------------------------------------------
// Helpers

const URL_ = 'https://api.example.com/jobs/job-1';

const job = fakeJob;

const network = (message = 'ECONNRESET'): NetworkError => new NetworkError({ method: 'GET', url: URL_, message });
const api = (status: number, retryAfterMs?: number): ApiError => new ApiError({ status, method: 'GET', url: URL_, retryAfterMs });
const rateLimit = (retryAfterMs?: number): RateLimitError => new RateLimitError({ status: 429, method: 'GET', url: URL_, retryAfterMs });
const notFound = (): JobNotFoundError => new JobNotFoundError({ vendor: 'fake', jobId: 'job-1' });

useFakeClock();

// ---------------------------------------------------------------------------------------------

describe('waitForJob: result', () => {
  it('resolves with the terminal snapshot after polling through queued and running', async () => {
    const done = job('succeeded');
    const { client, getJob } = fakeSource([job('queued'), job('running'), done]);
    const wait = track(waitForJob(client, 'job-1', STEADY));
    await vi.advanceTimersByTimeAsync(2000);
    expect(wait).toEqual({ settled: true, value: done });
    expect(wait.value).toBe(done);
    expect(getJob).toHaveBeenCalledTimes(3);
  });

  it('calls getJob with the job id and a signal', async () => {
    const { client, getJob } = fakeSource([job('succeeded')]);
    await waitForJob(client, 'job-1');
    expect(getJob).toHaveBeenCalledWith('job-1', { signal: expect.any(AbortSignal) });
  });

  it('polls for the first time at once, before any timer fires', async () => {
    const { client, getJob, times } = fakeSource([job('running')]);
    const controller = new AbortController();
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal }));
    expect(getJob).toHaveBeenCalledTimes(1);
    expect(times).toEqual([0]);
    controller.abort();
    await flush();
    expect(wait.error).toBeInstanceOf(WaitAbortedError);
  });

  it('stops polling and leaves no timer or signal listener once it resolves', async () => {
    const controller = new AbortController();
    const { client, getJob } = fakeSource([job('running'), job('succeeded')]);
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal, ...STEADY }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(wait.settled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(getJob).toHaveBeenCalledTimes(2);
  });

  it('calls onProgress with the first snapshot and each changed one, never with a repeat', async () => {
    const q = job('queued');
    const r1 = job('running', { message: 'step 1' });
    const r1again = job('running', { message: 'step 1', updatedAt: new Date(5000) });
    const r2 = job('running', { message: 'step 2' });
    const r2again = job('running', { message: 'step 2' });
    const done = job('succeeded', { message: 'step 2' });
    const { client } = fakeSource([q, job('queued'), r1, r1again, r2, r2again, done]);
    const onProgress = vi.fn();
    const wait = track(waitForJob(client, 'job-1', { onProgress, minDelayMs: 100, maxDelayMs: 100 }));
    await vi.advanceTimersByTimeAsync(600);
    expect(wait.value).toBe(done);
    expect(onProgress.mock.calls.map(([j]) => j)).toEqual([q, r1, r2, done]);
    expect(onProgress.mock.calls[0]?.[0]).toBe(q);
    expect(onProgress.mock.calls[1]?.[0]).toBe(r1);
  });

  it('calls onProgress before it resolves, with the terminal snapshot last', async () => {
    const done = job('succeeded');
    const { client } = fakeSource([done]);
    const onProgress = vi.fn();
    await waitForJob(client, 'job-1', { onProgress });
    expect(onProgress).toHaveBeenCalledTimes(1);
    expect(onProgress).toHaveBeenCalledWith(done);
  });

  it('resolves early with the first snapshot that meets until, and polls no more', async () => {
    const running = job('running');
    const { client, getJob } = fakeSource([job('queued'), job('queued'), running, job('succeeded')]);
    const until = vi.fn((j: Job) => j.state === 'running');
    const wait = track(waitForJob(client, 'job-1', { until, ...STEADY }));
    await vi.advanceTimersByTimeAsync(2000);
    expect(wait.value).toBe(running);
    expect(getJob).toHaveBeenCalledTimes(3);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getJob).toHaveBeenCalledTimes(3);
  });

  it('checks until on every snapshot, the first one included, even when unchanged', async () => {
    const first = job('queued');
    const { client } = fakeSource([first]);
    await expect(waitForJob(client, 'job-1', { until: (j) => j === first })).resolves.toBe(first);
    let n = 0;
    const source2 = fakeSource([job('running')]);
    const wait = track(waitForJob(source2.client, 'job-1', { until: () => ++n === 3, ...STEADY }));
    await vi.advanceTimersByTimeAsync(2000);
    expect(wait.settled).toBe(true);
    expect(source2.getJob).toHaveBeenCalledTimes(3);
  });

  it('rejects with JobFailedError carrying the failed job', async () => {
    const failed = job('failed', { vendorState: 'failure', error: { code: '460770', message: 'volume offline' } });
    const { client } = fakeSource([job('running'), failed]);
    const wait = track(waitForJob(client, 'job-1', STEADY));
    await vi.advanceTimersByTimeAsync(1000);
    expect(wait.error).toBeInstanceOf(JobFailedError);
    const error = wait.error as JobFailedError;
    expect(error.job).toBe(failed);
    expect(error.code).toBe('JOB_FAILED');
    expect(error.message).toContain('volume offline');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with JobCancelledError carrying the cancelled job', async () => {
    const cancelled = job('cancelled');
    const { client } = fakeSource([cancelled]);
    const error = await waitForJob(client, 'job-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobCancelledError);
    expect((error as JobCancelledError).job).toBe(cancelled);
  });

  it('resolves with a failed job when throwOnFailure is false', async () => {
    const failed = job('failed');
    const { client } = fakeSource([failed]);
    await expect(waitForJob(client, 'job-1', { throwOnFailure: false })).resolves.toBe(failed);
  });

  it('resolves with a cancelled job when throwOnFailure is false', async () => {
    const cancelled = job('cancelled');
    const { client } = fakeSource([cancelled]);
    await expect(waitForJob(client, 'job-1', { throwOnFailure: false })).resolves.toBe(cancelled);
  });

  it('rejects with JobFailedError when throwOnFailure is explicitly true', async () => {
    const { client } = fakeSource([job('failed')]);
    await expect(waitForJob(client, 'job-1', { throwOnFailure: true })).rejects.toBeInstanceOf(JobFailedError);
  });

  it('keeps polling through the unknown state, which is never terminal', async () => {
    const done = job('succeeded');
    const { client, getJob } = fakeSource([job('unknown', { vendorState: 'WEIRD' }), job('unknown', { vendorState: 'WEIRDER' }), done]);
    const wait = track(waitForJob(client, 'job-1', STEADY));
    await vi.advanceTimersByTimeAsync(1999);
    expect(wait.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.value).toBe(done);
    expect(getJob).toHaveBeenCalledTimes(3);
  });

  it('keeps polling through paused', async () => {
    const { client, getJob } = fakeSource([job('paused'), job('succeeded')]);
    const wait = track(waitForJob(client, 'job-1', STEADY));
    await flush();
    expect(wait.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(wait.value?.state).toBe('succeeded');
    expect(getJob).toHaveBeenCalledTimes(2);
  });

  it('times out on a job that stays unknown, with the unknown snapshot as lastJob', async () => {
    const unknown = job('unknown', { vendorState: 'MYSTERY' });
    const { client } = fakeSource([unknown]);
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: 5000 }));
    await vi.advanceTimersByTimeAsync(5000);
    expect(wait.error).toBeInstanceOf(JobTimeoutError);
    expect((wait.error as JobTimeoutError).lastJob).toBe(unknown);
    expect((wait.error as JobTimeoutError).message).toContain('MYSTERY');
  });
});

// ---------------------------------------------------------------------------------------------

describe('waitForJob: schedule', () => {
  it('polls at once, then after delays growing ×1.3 from 1.5 s and capped at 30 s by default', async () => {
    const steps: Step[] = [...Array.from({ length: 14 }, () => job('running')), job('succeeded')];
    const { client, times } = fakeSource(steps);
    const wait = track(waitForJob(client, 'job-1'));
    // Delays of 1_500 × 1.3^step (timers drop the fraction of a millisecond): 1500, 1950, 2535,
    // 3295, 4284, 5569, 7240, 9412, 12_235, 15_906, 20_678, 26_882, then 30_000 (1_500 × 1.3¹²
    // ≈ 34_947, capped).
    const expected = [0, 1500, 3450, 5985, 9280, 13_564, 19_133, 26_373, 35_785, 48_020, 63_926, 84_604, 111_486, 141_486, 171_486];
    await vi.advanceTimersByTimeAsync(171_485);
    expect(wait.settled).toBe(false);
    expect(times).toEqual(expected.slice(0, -1));
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.settled).toBe(true);
    expect(times).toEqual(expected);
  });

  it('does not poll a moment before the scheduled time', async () => {
    const { client, getJob } = fakeSource([job('running'), job('running'), job('succeeded')]);
    track(waitForJob(client, 'job-1'));
    await vi.advanceTimersByTimeAsync(1499);
    expect(getJob).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1); // t = 1500
    expect(getJob).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1949);
    expect(getJob).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1); // t = 3450: 1_500 + 1_500 × 1.3
    expect(getJob).toHaveBeenCalledTimes(3);
  });

  it('follows custom minDelayMs and maxDelayMs', async () => {
    const steps: Step[] = [...Array.from({ length: 6 }, () => job('running')), job('succeeded')];
    const { client, times } = fakeSource(steps);
    const wait = track(waitForJob(client, 'job-1', { minDelayMs: 200, maxDelayMs: 500 }));
    await vi.advanceTimersByTimeAsync(2237);
    expect(wait.settled).toBe(true);
    // 200, 260, 338, 439 (200 × 1.3³ = 439.4), then 500 twice (200 × 1.3⁴ ≈ 571, capped)
    expect(times).toEqual([0, 200, 460, 798, 1237, 1737, 2237]);
  });

  it('applies -20 % jitter but never a delay below minDelayMs', async () => {
    vi.mocked(Math.random).mockReturnValue(0);
    const steps: Step[] = [...Array.from({ length: 13 }, () => job('running')), job('succeeded')];
    const { client, times } = fakeSource(steps);
    const wait = track(waitForJob(client, 'job-1'));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(wait.settled).toBe(true);
    // 1500 (1_500 × 0.8 = 1_200 raised to the minimum), then 1_500 × 1.3^step × 0.8: 1560, 2028,
    // 2636, 3427, 4455, 5792, 7529, 9788, 12_725, 16_543, 21_505, and 24_000 (30_000 - 20 %)
    expect(times).toEqual([0, 1500, 3060, 5088, 7724, 11_151, 15_606, 21_398, 28_927, 38_715, 51_440, 67_983, 89_488, 113_488]);
  });

  it('keeps every gap between polls within ±20 % of the schedule and inside [minDelayMs, maxDelayMs] with real randomness', async () => {
    vi.mocked(Math.random).mockRestore();
    const steps: Step[] = [...Array.from({ length: 12 }, () => job('running')), job('succeeded')];
    const { client, times } = fakeSource(steps);
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: Infinity }));
    await vi.advanceTimersByTimeAsync(400_000);
    expect(wait.settled).toBe(true);
    expect(times).toHaveLength(13);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    const { minDelayMs, maxDelayMs } = WAIT_DEFAULTS;
    gaps.forEach((gap, step) => {
      const base = Math.min(maxDelayMs, minDelayMs * SCHEDULE_CONSTANTS.factor ** step);
      expect(gap).toBeGreaterThanOrEqual(Math.max(minDelayMs, Math.floor(base * 0.8)));
      expect(gap).toBeLessThanOrEqual(Math.min(maxDelayMs, Math.ceil(base * 1.2)));
    });
  });

  it('places the last poll just before the deadline and then times out at the deadline', async () => {
    const { client, times } = fakeSource([job('running')]);
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: 10_000 }));
    await vi.advanceTimersByTimeAsync(9999);
    // 0, 1500, 3450, 5985, then 5_985 + 3_295 + the 1_000 ms lead would pass 10_000: a final poll at 9000
    expect(times).toEqual([0, 1500, 3450, 5985, 9000]);
    expect(wait.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.error).toBeInstanceOf(JobTimeoutError);
    expect(times).toEqual([0, 1500, 3450, 5985, 9000]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('still resolves when the final poll just before the deadline sees the job end', async () => {
    const done = job('succeeded');
    const { client, times } = fakeSource([job('running'), job('running'), job('running'), job('running'), done]);
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: 10_000 }));
    await vi.advanceTimersByTimeAsync(9000);
    expect(times.at(-1)).toBe(9000);
    expect(wait.value).toBe(done);
  });

  it('never polls after the deadline for short timeouts', async () => {
    for (const timeoutMs of [1, 500, 1000, 1001, 1999, 2000, 2500]) {
      const { client, times } = fakeSource([job('running')]);
      const wait = track(waitForJob(client, 'job-1', { timeoutMs }));
      await vi.advanceTimersByTimeAsync(timeoutMs);
      expect(wait.error).toBeInstanceOf(JobTimeoutError);
      expect(times.every((t) => t < timeoutMs)).toBe(true);
      expect((wait.error as JobTimeoutError).polls).toBe(times.length);
    }
  });

  it('stretches the next delay to a Retry-After from a RateLimitError', async () => {
    const { client, times } = fakeSource([rateLimit(5000), job('running'), job('running'), job('succeeded')]);
    const wait = track(waitForJob(client, 'job-1'));
    await vi.advanceTimersByTimeAsync(4999);
    expect(times).toEqual([0]);
    await vi.advanceTimersByTimeAsync(4486); // t = 9485
    expect(wait.settled).toBe(true);
    // 5000 (the Retry-After), then the schedule's steps 1 and 2: 1950 (1_500 × 1.3), 2535 (× 1.3²)
    expect(times).toEqual([0, 5000, 6950, 9485]);
  });

  it('stretches the next delay to a Retry-After from an ApiError 503', async () => {
    const { client, times } = fakeSource([job('running'), api(503, 12_000), job('succeeded')]);
    const wait = track(waitForJob(client, 'job-1'));
    await vi.advanceTimersByTimeAsync(13_500);
    expect(wait.settled).toBe(true);
    expect(times).toEqual([0, 1500, 13_500]);
  });

  it('does not shorten the schedule for a Retry-After shorter than the next delay', async () => {
    const { client, times } = fakeSource([job('running'), job('running'), rateLimit(100), job('succeeded')]);
    const wait = track(waitForJob(client, 'job-1'));
    await vi.advanceTimersByTimeAsync(5985);
    expect(wait.settled).toBe(true);
    // 1500, 1950 and 2535 (1_500 × 1.3²): the 100 ms Retry-After changes nothing
    expect(times).toEqual([0, 1500, 3450, 5985]);
  });

  it('applies a Retry-After only to the delay after the answer that carried it', async () => {
    const { client, times } = fakeSource([rateLimit(9000), job('running'), job('running'), job('succeeded')]);
    const wait = track(waitForJob(client, 'job-1'));
    await vi.advanceTimersByTimeAsync(13_485);
    expect(wait.settled).toBe(true);
    // 9000 (the Retry-After), then the schedule's steps 1 and 2: 1950 (1_500 × 1.3), 2535 (× 1.3²)
    expect(times).toEqual([0, 9000, 10_950, 13_485]);
  });

  it('never lets a hostile huge Retry-After push a poll past the deadline', async () => {
    for (const retryAfterMs of [3_600_000, Number.MAX_SAFE_INTEGER, Infinity]) {
      const { client, times } = fakeSource([rateLimit(retryAfterMs)]);
      const wait = track(waitForJob(client, 'job-1', { timeoutMs: 60_000 }));
      await vi.advanceTimersByTimeAsync(59_999);
      expect(times).toEqual([0, 59_000]);
      expect(wait.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(wait.error).toBeInstanceOf(JobTimeoutError);
      expect((wait.error as JobTimeoutError).elapsedMs).toBe(60_000);
      expect((wait.error as JobTimeoutError).outcomes).toEqual({ '429': 2 });
    }
  });

  it('caps a huge Retry-After at 10 minutes when there is no deadline', async () => {
    const { client, times } = fakeSource([rateLimit(Number.MAX_SAFE_INTEGER), job('succeeded')]);
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: Infinity }));
    await vi.advanceTimersByTimeAsync(600_000);
    expect(wait.settled).toBe(true);
    expect(times).toEqual([0, 600_000]);
  });

  it('caps maxDelayMs at the client waitPolicy.maxDelayMs', async () => {
    const steps: Step[] = [...Array.from({ length: 7 }, () => job('running')), job('succeeded')];
    const { client, times } = fakeSource(steps, { maxDelayMs: 5000 });
    const wait = track(waitForJob(client, 'job-1', { maxDelayMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(wait.settled).toBe(true);
    // 1500, 1950, 2535, 3295, 4284, then 5000 twice (1_500 × 1.3⁵ ≈ 5_569, capped by the client)
    expect(times).toEqual([0, 1500, 3450, 5985, 9280, 13_564, 18_564, 23_564]);
  });

  it('caps an honoured Retry-After at the client waitPolicy.maxDelayMs', async () => {
    const { client, times } = fakeSource([rateLimit(20_000), job('succeeded')], { maxDelayMs: 5000 });
    const wait = track(waitForJob(client, 'job-1'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(wait.settled).toBe(true);
    expect(times).toEqual([0, 5000]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('waitForJob: abort', () => {
  it('rejects with WaitAbortedError at once when the signal aborts during a delay', async () => {
    const running = job('running');
    const controller = new AbortController();
    const { client, getJob } = fakeSource([running]);
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal, ...STEADY }));
    await vi.advanceTimersByTimeAsync(1500); // second poll done at 1000, sleeping until 2000
    expect(getJob).toHaveBeenCalledTimes(2);
    const reason = new Error('shutting down');
    controller.abort(reason);
    await flush();
    expect(wait.error).toBeInstanceOf(WaitAbortedError);
    const error = wait.error as WaitAbortedError;
    expect(error.cause).toBe(reason);
    expect(error.lastJob).toBe(running);
    expect(error.jobId).toBe('job-1');
    expect(error.code).toBe('ABORTED');
    expect(error.message).toContain('job-1');
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(getJob).toHaveBeenCalledTimes(2);
  });

  it('rejects with WaitAbortedError at once when the signal aborts during a request, and aborts that request', async () => {
    const running = job('running');
    const controller = new AbortController();
    let requestAborted = false;
    const honouring: Step = (signal) =>
      new Promise<Job>((_, reject) => {
        signal?.addEventListener('abort', () => {
          requestAborted = true;
          reject(new NetworkError({ method: 'GET', url: URL_, message: 'aborted', cause: signal.reason }));
        });
      });
    const { client, getJob, signals } = fakeSource([running, honouring]);
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal, ...STEADY }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(getJob).toHaveBeenCalledTimes(2);
    expect(signals[1]?.aborted).toBe(false);
    controller.abort('user');
    await flush();
    expect(requestAborted).toBe(true);
    expect(signals[1]?.aborted).toBe(true);
    expect(wait.error).toBeInstanceOf(WaitAbortedError);
    expect((wait.error as WaitAbortedError).cause).toBe('user');
    expect((wait.error as WaitAbortedError).lastJob).toBe(running);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(getJob).toHaveBeenCalledTimes(2);
  });

  it('rejects at once on abort even when getJob ignores its signal and never settles', async () => {
    const controller = new AbortController();
    const { client, getJob } = fakeSource(['hang']);
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal }));
    await flush();
    expect(wait.settled).toBe(false);
    controller.abort();
    await flush();
    expect(wait.error).toBeInstanceOf(WaitAbortedError);
    expect((wait.error as WaitAbortedError).cause).toBe(controller.signal.reason);
    expect((wait.error as WaitAbortedError).lastJob).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    expect(getJob).toHaveBeenCalledTimes(1);
  });

  it('rejects with WaitAbortedError without any getJob call when the signal is already aborted', async () => {
    const reason = new Error('never mind');
    const signal = AbortSignal.abort(reason);
    const { client, getJob } = fakeSource([job('running')]);
    const error = await waitForJob(client, 'job-1', { signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitAbortedError);
    expect((error as WaitAbortedError).cause).toBe(reason);
    expect((error as WaitAbortedError).lastJob).toBeUndefined();
    expect(getJob).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(signal, 'abort')).toEqual([]);
  });

  it('uses the signal default AbortError reason as the cause when abort() gets no reason', async () => {
    const controller = new AbortController();
    const { client } = fakeSource([job('running')]);
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal }));
    await flush();
    controller.abort();
    await flush();
    const cause = (wait.error as WaitAbortedError).cause;
    expect(cause).toBe(controller.signal.reason);
    expect((cause as DOMException).name).toBe('AbortError');
  });

  it('aborts the wait, not the job: the error is WaitAbortedError even when the last snapshot was queued', async () => {
    const queued = job('queued', { message: 'waiting for a slot' });
    const controller = new AbortController();
    const { client } = fakeSource([queued]);
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal }));
    await flush();
    controller.abort();
    await flush();
    expect((wait.error as WaitAbortedError).message).toContain('queued');
    expect((wait.error as WaitAbortedError).message).toContain('waiting for a slot');
  });

  it('leaves no listener on the signal after a timeout or a permanent error', async () => {
    const controller = new AbortController();
    const first = fakeSource([job('running')]);
    const timedOut = track(waitForJob(first.client, 'job-1', { signal: controller.signal, timeoutMs: 3000 }));
    await vi.advanceTimersByTimeAsync(3000);
    expect(timedOut.error).toBeInstanceOf(JobTimeoutError);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);

    const second = fakeSource([new AuthenticationError({ status: 401, method: 'GET', url: URL_ })]);
    await expect(waitForJob(second.client, 'job-1', { signal: controller.signal })).rejects.toBeInstanceOf(AuthenticationError);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('lets 1,000 waits share one signal without a process warning, one listener on it, and none once they end', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      let state: Job['state'] = 'running';
      const { client } = fakeSource([async () => job(state)]);
      const waits = Array.from({ length: 1_000 }, () => waitForJob(client, 'job-1', { signal: controller.signal, ...STEADY }));
      await flush();
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      state = 'succeeded';
      await vi.advanceTimersByTimeAsync(1000);
      await Promise.all(waits);
      await new Promise((resolve) => setImmediate(resolve)); // a warning is emitted on the next tick
      expect(warnings.map((w) => w.name)).toEqual([]);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('fans one abort out to every wait that shares the signal', async () => {
    const controller = new AbortController();
    const { client } = fakeSource([job('running')]);
    const waits = Array.from({ length: 1_000 }, () => track(waitForJob(client, 'job-1', { signal: controller.signal, ...STEADY })));
    await vi.advanceTimersByTimeAsync(1500);
    controller.abort(new Error('stop the fleet'));
    await flush();
    expect(waits.every((w) => w.error instanceof WaitAbortedError)).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('waitForJob: timeout', () => {
  it('rejects with JobTimeoutError at the deadline, not before, with jobId, lastJob, polls and outcomes', async () => {
    const last = job('running', { message: 'copying' });
    const { client } = fakeSource([job('queued'), job('running'), job('running'), job('running'), last]);
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: 10_000 }));
    await vi.advanceTimersByTimeAsync(9999);
    expect(wait.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.error).toBeInstanceOf(JobTimeoutError);
    const error = wait.error as JobTimeoutError;
    expect(error.code).toBe('JOB_TIMEOUT');
    expect(error.elapsedMs).toBe(10_000);
    expect(error.jobId).toBe('job-1');
    expect(error.lastJob).toBe(last);
    expect(error.polls).toBe(5);
    expect(error.outcomes).toEqual({ ok: 5 });
    expect(error.cause).toBeUndefined();
    expect(error.message).toContain('"job-1"');
    expect(error.message).toContain('last state running');
    expect(error.message).toContain('copying');
    expect(error.message).toContain('ok x5');
    expect(error.message).toContain('10000 ms');
  });

  it('summarises the outcomes of the polls and keeps the last transient error as cause', async () => {
    const lastNetwork = network('socket hang up');
    const { client } = fakeSource([job('running'), api(503), api(503), api(503), network(), lastNetwork]);
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: 5500, minDelayMs: 1000, maxDelayMs: 1000 }));
    await vi.advanceTimersByTimeAsync(5499);
    expect(wait.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = wait.error as JobTimeoutError;
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect(error.polls).toBe(6);
    expect(error.outcomes).toEqual({ ok: 1, '503': 3, NETWORK: 2 });
    expect(error.cause).toBe(lastNetwork);
    expect(error.message).toContain('503 x3');
    expect(error.message).toContain('NETWORK x2');
    expect(error.message).toContain('ok x1');
    expect(error.message).toContain('last state running');
    expect(error.message).toContain('socket hang up');
  });

  it('has no cause when a successful poll came after the transient errors', async () => {
    const { client } = fakeSource([api(502), network(), job('running')]);
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: 8000 }));
    await vi.advanceTimersByTimeAsync(8000);
    const error = wait.error as JobTimeoutError;
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect(error.cause).toBeUndefined();
    expect(error.outcomes).toMatchObject({ '502': 1, NETWORK: 1 });
  });

  it('says the job was never seen and counts request timeouts as TIMEOUT when no poll succeeded', async () => {
    const timedOut = new NetworkError({ method: 'GET', url: URL_, message: 'no answer', timedOut: true });
    const { client } = fakeSource([timedOut]);
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: 4000 }));
    await vi.advanceTimersByTimeAsync(4000);
    const error = wait.error as JobTimeoutError;
    expect(error.lastJob).toBeUndefined();
    expect(error.outcomes).toEqual({ TIMEOUT: error.polls });
    expect(error.message).toContain('never seen');
    expect(error.message).toContain(`TIMEOUT x${error.polls}`);
    expect(error.cause).toBe(timedOut);
  });

  it('cuts a getJob still in flight at the deadline and rejects on time', async () => {
    const running = job('running');
    const { client, getJob, signals } = fakeSource([running, 'hang']);
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: 5000 }));
    await vi.advanceTimersByTimeAsync(4999);
    expect(getJob).toHaveBeenCalledTimes(2);
    expect(wait.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.error).toBeInstanceOf(JobTimeoutError);
    const error = wait.error as JobTimeoutError;
    expect(error.elapsedMs).toBe(5000);
    expect(error.polls).toBe(2);
    expect(error.lastJob).toBe(running);
    expect(signals[1]?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps a referenced timer while a getJob hangs, so a real process stays alive until the deadline rejects', async () => {
    // In a real process, nothing else may hold the event loop while getJob waits on a bare promise:
    // if every pending timer is unref'd, Node exits silently (code 0, or 13 under top-level await)
    // instead of rejecting with JobTimeoutError at the deadline.
    const original = globalThis.setTimeout;
    const created: ReturnType<typeof setTimeout>[] = [];
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      const timer = original(...args);
      created.push(timer);
      return timer;
    }) as typeof setTimeout;
    try {
      const { client } = fakeSource(['hang']);
      const wait = track(waitForJob(client, 'job-1', { timeoutMs: 5000 }));
      await flush();
      expect(wait.settled).toBe(false);
      expect(vi.getTimerCount()).toBe(1); // the deadline
      expect(created).toHaveLength(1);
      expect(created.filter((timer) => timer.hasRef())).not.toEqual([]);
      await vi.advanceTimersByTimeAsync(5000);
      expect(wait.error).toBeInstanceOf(JobTimeoutError);
    } finally {
      globalThis.setTimeout = original;
    }
  });

  it('cuts a first getJob that never settles at the deadline', async () => {
    const { client } = fakeSource(['hang']);
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: 2000 }));
    await vi.advanceTimersByTimeAsync(2000);
    expect(wait.error).toBeInstanceOf(JobTimeoutError);
    expect((wait.error as JobTimeoutError).polls).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------

const TRANSIENT: [string, () => Error][] = [
  ['a NetworkError', () => network()],
  ['a NetworkError from the per-request timeout', () => new NetworkError({ method: 'GET', url: URL_, timedOut: true })],
  ['a RateLimitError (429)', () => rateLimit()],
  ['an ApiError 500', () => api(500)],
  ['an ApiError 502', () => api(502)],
  ['an ApiError 503', () => api(503)],
  ['an ApiError 504', () => api(504)],
];

const PERMANENT: [string, () => Error][] = [
  ['an AuthenticationError 401', () => new AuthenticationError({ status: 401, method: 'GET', url: URL_ })],
  ['an AuthenticationError 403', () => new AuthenticationError({ status: 403, method: 'GET', url: URL_, vendorMessage: 'forbidden' })],
  ['an ApiError 400', () => api(400)],
  ['an ApiError 409', () => api(409)],
  [
    'an InvalidResponseError',
    () => new InvalidResponseError({ status: 200, method: 'GET', url: URL_, reason: 'schema mismatch', issues: [{ path: ['state'], message: 'Required' }] }),
  ],
  ['a plain TypeError', () => new TypeError("Cannot read properties of undefined (reading 'state')")],
  ['a plain Error', () => new Error('adapter bug')],
];

describe('waitForJob: transient and permanent errors', () => {
  it.each(TRANSIENT)('keeps polling after %s and resolves when the job ends later', async (_label, make) => {
    const done = job('succeeded');
    const { client, getJob } = fakeSource([make(), make(), make(), done]);
    const wait = track(waitForJob(client, 'job-1', STEADY));
    await vi.advanceTimersByTimeAsync(2999);
    expect(wait.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.value).toBe(done);
    expect(getJob).toHaveBeenCalledTimes(4);
  });

  it.each(TRANSIENT)('never ends the wait before the deadline on %s, and times out with it as cause', async (_label, make) => {
    const error = make();
    const { client, getJob } = fakeSource([job('running'), error]);
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: 20_000 }));
    await vi.advanceTimersByTimeAsync(19_999);
    expect(wait.settled).toBe(false);
    expect(getJob.mock.calls.length).toBeGreaterThanOrEqual(5);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.error).toBeInstanceOf(JobTimeoutError);
    expect((wait.error as JobTimeoutError).cause).toBe(error);
  });

  it('keeps polling after a getJob that throws a NetworkError synchronously', async () => {
    const done = job('succeeded');
    let calls = 0;
    const getJob = vi.fn((): Promise<Job> => {
      if (calls++ === 0) throw network();
      return Promise.resolve(done);
    });
    const wait = track(waitForJob({ vendor: 'fake', getJob }, 'job-1', STEADY));
    await vi.advanceTimersByTimeAsync(1000);
    expect(wait.value).toBe(done);
  });

  it.each(PERMANENT)('ends the wait at once with %s itself', async (_label, make) => {
    const error = make();
    const { client, getJob } = fakeSource([error]);
    const wait = track(waitForJob(client, 'job-1'));
    await flush();
    expect(wait.settled).toBe(true);
    expect(wait.error).toBe(error);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getJob).toHaveBeenCalledTimes(1);
  });

  it.each(PERMANENT)('ends the wait at once with %s even after the job was seen and transient errors came first', async (_label, make) => {
    const error = make();
    const { client, getJob } = fakeSource([job('running'), api(503), error]);
    const wait = track(waitForJob(client, 'job-1', STEADY));
    await vi.advanceTimersByTimeAsync(1999);
    expect(wait.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.error).toBe(error);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getJob).toHaveBeenCalledTimes(3);
  });
});

// ---------------------------------------------------------------------------------------------

describe('waitForJob: job not found', () => {
  it('rejects at once with the JobNotFoundError by default (no grace)', async () => {
    const missing = notFound();
    const { client, getJob } = fakeSource([missing, job('succeeded')]);
    const wait = track(waitForJob(client, 'job-1'));
    await flush();
    expect(wait.error).toBe(missing);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(getJob).toHaveBeenCalledTimes(1);
  });

  it('keeps polling on 404 within notFoundGraceMs, then rejects with JobNotFoundError', async () => {
    const { client, times } = fakeSource([notFound()]);
    const wait = track(waitForJob(client, 'job-1', { notFoundGraceMs: 2500, ...STEADY }));
    await vi.advanceTimersByTimeAsync(2999);
    expect(wait.settled).toBe(false);
    expect(times).toEqual([0, 1000, 2000]);
    await vi.advanceTimersByTimeAsync(1);
    expect(times).toEqual([0, 1000, 2000, 3000]);
    expect(wait.error).toBeInstanceOf(JobNotFoundError);
    expect((wait.error as JobNotFoundError).lastJob).toBeUndefined();
    expect((wait.error as JobNotFoundError).message).toContain('not found');
  });

  it('resolves when the job appears within notFoundGraceMs', async () => {
    const done = job('succeeded');
    const { client } = fakeSource([notFound(), notFound(), job('running'), done]);
    const wait = track(waitForJob(client, 'job-1', { notFoundGraceMs: 5000 }));
    await vi.advanceTimersByTimeAsync(7000);
    expect(wait.value).toBe(done);
  });

  it('rejects at once with JobNotFoundError carrying lastJob when the job vanishes after it was seen, even within the grace', async () => {
    const running = job('running', { message: 'almost there' });
    const missing = notFound();
    const { client, getJob } = fakeSource([running, missing, job('succeeded')]);
    const wait = track(waitForJob(client, 'job-1', { notFoundGraceMs: 60_000, ...STEADY }));
    await vi.advanceTimersByTimeAsync(999);
    expect(wait.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.error).toBeInstanceOf(JobNotFoundError);
    const error = wait.error as JobNotFoundError;
    expect(error.lastJob).toBe(running);
    expect(error.jobId).toBe('job-1');
    expect(error.message).toContain('outcome is unknown');
    expect(error.message).toContain('running');
    expect(error.cause).toBe(missing);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getJob).toHaveBeenCalledTimes(2);
  });

  it('keeps the underlying cause of a 404 that vanished after it was seen', async () => {
    const apiCause = api(404);
    const missing = new JobNotFoundError({ vendor: 'fake', jobId: 'job-1', cause: apiCause });
    const { client } = fakeSource([job('running'), missing]);
    const wait = track(waitForJob(client, 'job-1', STEADY));
    await vi.advanceTimersByTimeAsync(1000);
    expect((wait.error as JobNotFoundError).cause).toBe(apiCause);
  });

  it('times out with 404 outcomes when the grace outlasts the deadline', async () => {
    const { client } = fakeSource([notFound()]);
    const wait = track(waitForJob(client, 'job-1', { notFoundGraceMs: 60_000, timeoutMs: 5000 }));
    await vi.advanceTimersByTimeAsync(5000);
    const error = wait.error as JobTimeoutError;
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect(error.outcomes).toEqual({ '404': error.polls });
    expect(error.cause).toBeInstanceOf(JobNotFoundError);
  });
});
