import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { PollBatcher, RELEASED } from '../../../src/bullmq/batcher.js';
import { startWait } from '../../../src/engine/driver.js';
import type { WaitState } from '../../../src/engine/wait-state.js';
import type { Job } from '../../../src/model/job.js';
import { fakeJob } from '../../helpers/fake-source.js';

/** A source that reads many jobs in one request, every job running; `calls` holds each request's ids (a wait alone goes through `getJob`, as `pollWaits` sends it). */
function batchSource(): { source: { vendor: string; getJob: (id: string) => Promise<Job>; getJobs: (ids: readonly string[]) => Promise<Map<string, Job>> }; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    source: {
      vendor: 'fake',
      getJob: (id) => {
        calls.push([id]);
        return Promise.resolve(fakeJob('running', { id }));
      },
      getJobs: (ids) => {
        calls.push([...ids]);
        return Promise.resolve(new Map(ids.map((id) => [id, fakeJob('running', { id })])));
      },
    },
  };
}

/** A wait on `id` whose window opened at `earliest` and whose poll is due at `due` (ms from now). */
function heldState(source: { vendor: string }, id: string, earliest: number, due: number): WaitState {
  const now = Date.now();
  return { ...startWait(source, id, { minDelayMs: 100, maxDelayMs: 1_000 }, now), earliestPollAt: now + earliest, nextPollAt: now + due };
}

const notPaused = (): Promise<number> => Promise.resolve(0);

describe('PollBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('holds waits whose window opened until one of them is due, then polls them all in one request', async () => {
    const { source, calls } = batchSource();
    const batcher = new PollBatcher(source, 100, 10, notPaused);
    const first = batcher.poll(heldState(source, 'a', 0, 100), true);
    const second = batcher.poll(heldState(source, 'b', 0, 300), true);
    await vi.advanceTimersByTimeAsync(99);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(2);
    expect(calls).toEqual([['a', 'b']]);
    const steps = await Promise.all([first, second]);
    expect(steps.map((step) => (step === RELEASED ? 'released' : step.job?.id))).toEqual(['a', 'b']);
  });

  test('a wait already due waits only the gathering time for others due with it', async () => {
    const { source, calls } = batchSource();
    const batcher = new PollBatcher(source, 100, 10, notPaused);
    void batcher.poll(heldState(source, 'a', -50, 0), true);
    await vi.advanceTimersByTimeAsync(5);
    void batcher.poll(heldState(source, 'b', -50, 0), true);
    await vi.advanceTimersByTimeAsync(6);
    expect(calls).toEqual([['a', 'b']]);
  });

  test('polls at once when the held waits fill its capacity (the worker takes no more until they go)', async () => {
    const { source, calls } = batchSource();
    const batcher = new PollBatcher(source, 2, 10, notPaused);
    void batcher.poll(heldState(source, 'a', 0, 5_000), true);
    void batcher.poll(heldState(source, 'b', 0, 5_000), true);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([['a', 'b']]);
  });

  test('waits out the queue\'s pause (a 429 another worker met) before the shared request', async () => {
    const { source, calls } = batchSource();
    const pauses = [500, 0];
    const batcher = new PollBatcher(source, 100, 10, () => Promise.resolve(pauses.shift() ?? 0));
    void batcher.poll(heldState(source, 'a', 0, 100), true);
    await vi.advanceTimersByTimeAsync(590);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(calls).toEqual([['a']]);
  });

  test('release() gives held waits back unpolled, takes no more, and leaves no timer', async () => {
    const { source, calls } = batchSource();
    const batcher = new PollBatcher(source, 100, 10, notPaused);
    const held = batcher.poll(heldState(source, 'a', 0, 100), true);
    batcher.release();
    expect(await held).toBe(RELEASED);
    expect(await batcher.poll(heldState(source, 'b', 0, 100), true)).toBe(RELEASED);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual([]);
  });

  test('an aborted signal (its lock was lost) lets its wait go unpolled; the others go on', async () => {
    const { source, calls } = batchSource();
    const batcher = new PollBatcher(source, 100, 10, notPaused);
    const lost = new AbortController();
    const gone = batcher.poll(heldState(source, 'a', 0, 100), true, lost.signal);
    const kept = batcher.poll(heldState(source, 'b', 0, 100), true);
    lost.abort();
    expect(await gone).toBe(RELEASED);
    await vi.advanceTimersByTimeAsync(101);
    expect(calls).toEqual([['b']]);
    const step = await kept;
    expect(step === RELEASED ? undefined : step.job?.id).toBe('b');
  });
});
