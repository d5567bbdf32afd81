import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../src/errors/api-error.js';
import { AuthenticationError } from '../../../src/errors/authentication-error.js';
import { JobNotFoundError } from '../../../src/errors/job-not-found-error.js';
import { JobTimeoutError } from '../../../src/errors/job-timeout-error.js';
import { WaitAbortedError } from '../../../src/errors/wait-aborted-error.js';
import type { Job } from '../../../src/model/job.js';
import { watchJob } from '../../../src/engine/watch-job.js';
import { fakeJob, fakeSource, fakeTask, flush, useFakeClock, type Step } from '../../helpers/fake-source.js';

// ---------------------------------------------------------------------------------------------
// Helpers

const URL_ = 'https://api.example.com/jobs/job-1';

const job = fakeJob;
const task = fakeTask;

interface Drained {
  yielded: Job[];
  done: boolean;
  error?: unknown;
}

/** Runs a for-await loop over `iterator` in the background; the fake clock drives it. */
function drain(iterator: AsyncIterable<Job>): Drained {
  const state: Drained = { yielded: [], done: false };
  void (async () => {
    try {
      for await (const j of iterator) state.yielded.push(j);
    } catch (error) {
      state.error = error;
    }
    state.done = true;
  })();
  return state;
}

/** Fixed 100 ms between polls keeps the arithmetic simple. */
const FAST = { minDelayMs: 100, maxDelayMs: 100 } as const;

useFakeClock();

// ---------------------------------------------------------------------------------------------

describe('watchJob', () => {
  it('yields the first snapshot and only the changed ones, then the terminal one, and ends', async () => {
    const q = job('queued');
    const r = job('running');
    const p1 = job('running', { progress: { completed: 1, total: 3 } });
    const p2 = job('running', { progress: { completed: 2, total: 3 } });
    const done = job('succeeded', { progress: { completed: 3, total: 3 } });
    const steps: Step[] = [q, job('queued'), job('queued', { updatedAt: new Date(1) }), r, job('running'), p1, job('running', { progress: { completed: 1, total: 3 } }), p2, done];
    const { client, getJob } = fakeSource(steps);
    const watch = drain(watchJob(client, 'job-1', FAST));
    await vi.advanceTimersByTimeAsync(800);
    expect(watch.done).toBe(true);
    expect(watch.error).toBeUndefined();
    expect(watch.yielded).toEqual([q, r, p1, p2, done]);
    watch.yielded.forEach((j, i) => expect(j).toBe([q, r, p1, p2, done][i]));
    expect(getJob).toHaveBeenCalledTimes(9);
  });

  it.each<[string, (base: Job) => Job]>([
    ['state', (b) => ({ ...b, state: 'paused' })],
    ['vendorState', (b) => ({ ...b, vendorState: 'RUNNING_PHASE_2' })],
    ['message', (b) => ({ ...b, message: 'now copying' })],
    ['error', (b) => ({ ...b, error: { message: 'retrying a step' } })],
    ['progress', (b) => ({ ...b, progress: { completed: 2, total: 3 } })],
    ['a task state', (b) => ({ ...b, tasks: [task('t1', 'succeeded'), task('t2', 'running')] })],
    ['a task message', (b) => ({ ...b, tasks: [task('t1', 'running', { message: 'half way' }), task('t2', 'queued')] })],
    ['a nested task state', (b) => ({ ...b, tasks: [task('t1', 'running'), task('t2', 'queued', { tasks: [task('t2.1', 'running')] })] })],
    ['the number of tasks', (b) => ({ ...b, tasks: [...b.tasks, task('t3', 'queued')] })],
  ])('yields a snapshot whose %s changed', async (_label, change) => {
    const base = job('running', {
      progress: { completed: 1, total: 3 },
      tasks: [task('t1', 'running'), task('t2', 'queued', { tasks: [task('t2.1', 'queued')] })],
    });
    const changed = change(base);
    const { client } = fakeSource([base, { ...base }, changed, { ...changed }, job('succeeded')]);
    const watch = drain(watchJob(client, 'job-1', FAST));
    await vi.advanceTimersByTimeAsync(400);
    expect(watch.done).toBe(true);
    expect(watch.yielded).toHaveLength(3);
    expect(watch.yielded[0]).toBe(base);
    expect(watch.yielded[1]).toBe(changed);
  });

  it('does not yield a snapshot that differs only in timestamps, raw payload or description', async () => {
    const base = job('running', { description: 'create volume', updatedAt: new Date(1000) });
    const { client } = fakeSource([
      base,
      job('running', { description: 'create volume (v2)', updatedAt: new Date(2000), raw: { other: true } }),
      job('running', { startedAt: new Date(3000), tasks: [] }),
      job('succeeded'),
    ]);
    const watch = drain(watchJob(client, 'job-1', FAST));
    await vi.advanceTimersByTimeAsync(300);
    expect(watch.done).toBe(true);
    expect(watch.yielded.map((j) => j.state)).toEqual(['running', 'succeeded']);
    expect(watch.yielded[0]).toBe(base);
  });

  it('yields a failed job as its last snapshot and ends without throwing', async () => {
    const failed = job('failed', { error: { code: 'E1', message: 'disk full' } });
    const { client, getJob } = fakeSource([job('running'), failed, job('running')]);
    const watch = drain(watchJob(client, 'job-1', FAST));
    await vi.advanceTimersByTimeAsync(100);
    expect(watch.done).toBe(true);
    expect(watch.error).toBeUndefined();
    expect(watch.yielded.at(-1)).toBe(failed);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(getJob).toHaveBeenCalledTimes(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('yields a cancelled job as its last snapshot and ends without throwing', async () => {
    const cancelled = job('cancelled');
    const { client } = fakeSource([cancelled]);
    const watch = drain(watchJob(client, 'job-1'));
    await flush();
    expect(watch).toEqual({ yielded: [cancelled], done: true });
  });

  it('yields one snapshot and ends when the first poll already sees the job ended', async () => {
    const done = job('succeeded');
    const { client, getJob } = fakeSource([done, job('running')]);
    const watch = drain(watchJob(client, 'job-1'));
    await flush();
    expect(watch.yielded).toEqual([done]);
    expect(watch.done).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getJob).toHaveBeenCalledTimes(1);
  });

  it('stops polling and leaves no timer or listener when the loop breaks', async () => {
    const controller = new AbortController();
    const { client, getJob } = fakeSource([job('queued'), job('running'), job('succeeded')]);
    const seen: Job[] = [];
    for await (const j of watchJob(client, 'job-1', { signal: controller.signal })) {
      seen.push(j);
      break;
    }
    expect(seen.map((j) => j.state)).toEqual(['queued']);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(getJob).toHaveBeenCalledTimes(1);
  });

  it('stops polling when the loop breaks after several snapshots', async () => {
    const { client, getJob } = fakeSource([job('queued'), job('running'), job('running', { message: 'x' }), job('succeeded')]);
    const seen: Job[] = [];
    const loop = (async () => {
      for await (const j of watchJob(client, 'job-1', FAST)) {
        seen.push(j);
        if (j.state === 'running') break;
      }
    })();
    await vi.advanceTimersByTimeAsync(100);
    await loop;
    expect(seen.map((j) => j.state)).toEqual(['queued', 'running']);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(getJob).toHaveBeenCalledTimes(2);
  });

  it('stops polling when return() is called on the iterator', async () => {
    const { client, getJob } = fakeSource([job('running')]);
    const iterator = watchJob(client, 'job-1');
    const first = await iterator.next();
    expect(first).toEqual({ done: false, value: expect.objectContaining({ state: 'running' }) });
    await expect(iterator.return?.()).resolves.toEqual({ done: true, value: undefined });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getJob).toHaveBeenCalledTimes(1);
  });

  it('ends early after the snapshot that meets until', async () => {
    const running = job('running');
    const { client, getJob } = fakeSource([job('queued'), running, job('running', { message: 'more' }), job('succeeded')]);
    const watch = drain(watchJob(client, 'job-1', { ...FAST, until: (j) => j.state === 'running' }));
    await vi.advanceTimersByTimeAsync(100);
    expect(watch.done).toBe(true);
    expect(watch.yielded.map((j) => j.state)).toEqual(['queued', 'running']);
    expect(watch.yielded[1]).toBe(running);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(getJob).toHaveBeenCalledTimes(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('calls onProgress with each yielded snapshot', async () => {
    const onProgress = vi.fn();
    const { client } = fakeSource([job('queued'), job('queued'), job('succeeded')]);
    const watch = drain(watchJob(client, 'job-1', { ...FAST, onProgress }));
    await vi.advanceTimersByTimeAsync(200);
    expect(watch.done).toBe(true);
    expect(onProgress.mock.calls.map(([j]) => j)).toEqual(watch.yielded);
    expect(onProgress).toHaveBeenCalledTimes(2);
  });

  it('does not poll until the loop asks for the first snapshot', async () => {
    const { client, getJob } = fakeSource([job('succeeded')]);
    const iterator = watchJob(client, 'job-1');
    await vi.advanceTimersByTimeAsync(5000);
    expect(getJob).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    await iterator.next();
    expect(getJob).toHaveBeenCalledTimes(1);
  });

  it('returns an iterator that is its own async iterable', () => {
    const { client } = fakeSource([job('succeeded')]);
    const iterator = watchJob(client, 'job-1');
    expect(iterator[Symbol.asyncIterator]()).toBe(iterator);
  });

  it('throws JobTimeoutError from the loop at the deadline, after yielding what it saw', async () => {
    const running = job('running');
    const { client } = fakeSource([running]);
    const watch = drain(watchJob(client, 'job-1', { timeoutMs: 5000 }));
    await vi.advanceTimersByTimeAsync(4999);
    expect(watch.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(watch.done).toBe(true);
    expect(watch.yielded).toEqual([running]);
    expect(watch.error).toBeInstanceOf(JobTimeoutError);
    expect((watch.error as JobTimeoutError).lastJob).toBe(running);
  });

  it('throws WaitAbortedError from the loop at once when the signal aborts', async () => {
    const controller = new AbortController();
    const running = job('running');
    const { client, getJob } = fakeSource([running]);
    const watch = drain(watchJob(client, 'job-1', { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(500);
    controller.abort('stop');
    await flush();
    expect(watch.done).toBe(true);
    expect(watch.error).toBeInstanceOf(WaitAbortedError);
    expect((watch.error as WaitAbortedError).cause).toBe('stop');
    expect((watch.error as WaitAbortedError).lastJob).toBe(running);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getJob).toHaveBeenCalledTimes(1);
  });

  it('throws WaitAbortedError at once when the signal aborts while the caller holds a snapshot', async () => {
    const controller = new AbortController();
    const { client, getJob } = fakeSource([job('running')]);
    const iterator = watchJob(client, 'job-1', { signal: controller.signal });
    await iterator.next();
    controller.abort();
    await expect(iterator.next()).rejects.toBeInstanceOf(WaitAbortedError);
    expect(getJob).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('throws a permanent error from the loop as it is', async () => {
    const denied = new AuthenticationError({ status: 403, method: 'GET', url: URL_ });
    const { client } = fakeSource([job('running'), denied]);
    const watch = drain(watchJob(client, 'job-1', FAST));
    await vi.advanceTimersByTimeAsync(100);
    expect(watch.error).toBe(denied);
    expect(watch.yielded).toHaveLength(1);
  });

  it('keeps watching through transient errors without yielding anything for them', async () => {
    const running = job('running');
    const done = job('succeeded');
    const { client } = fakeSource([running, new ApiError({ status: 503, method: 'GET', url: URL_ }), job('running'), done]);
    const watch = drain(watchJob(client, 'job-1', FAST));
    await vi.advanceTimersByTimeAsync(300);
    expect(watch.error).toBeUndefined();
    expect(watch.yielded).toEqual([running, done]);
  });

  it('throws JobNotFoundError with lastJob when the job vanishes during the watch', async () => {
    const running = job('running');
    const { client } = fakeSource([running, new JobNotFoundError({ jobId: 'job-1' })]);
    const watch = drain(watchJob(client, 'job-1', FAST));
    await vi.advanceTimersByTimeAsync(100);
    expect(watch.error).toBeInstanceOf(JobNotFoundError);
    expect((watch.error as JobNotFoundError).lastJob).toBe(running);
  });
});

describe('watchJob, pulled by hand', () => {
  it('answers next() calls made before the previous one settled in order, as an async generator does', async () => {
    const { client } = fakeSource([job('queued'), job('running'), job('succeeded')]);
    const iterator = watchJob(client, 'job-1', FAST);
    const first = iterator.next();
    const second = iterator.next();
    const third = iterator.next();
    const fourth = iterator.next();
    await vi.advanceTimersByTimeAsync(300);
    expect((await first).value?.state).toBe('queued');
    expect((await second).value?.state).toBe('running');
    expect((await third).value?.state).toBe('succeeded');
    expect(await fourth).toEqual({ value: undefined, done: true });
  });
});
