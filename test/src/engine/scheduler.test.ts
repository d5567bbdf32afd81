import { describe, expect, it, vi } from 'vitest';
import { setRequestBudget } from '../../../src/engine/request-budget.js';
import type { GetJobOptions, JobSource } from '../../../src/client/job-client.js';
import type { Job } from '../../../src/model/job.js';
import { waitForJob } from '../../../src/engine/wait-for-job.js';
import { waitForJobs } from '../../../src/engine/wait-for-jobs.js';
import { watchJob } from '../../../src/engine/watch-job.js';
import { fakeBatchSource } from '../../helpers/fake-batch-source.js';
import { fakeJob, flush, track, useFakeClock } from '../../helpers/fake-source.js';

// One scheduler per client drives every wait on it. These tests pin what it adds to a single
// wait's rules: polls admitted into the client's request budget, and waits that share requests.

useFakeClock();

const STEADY = { minDelayMs: 1000, maxDelayMs: 1000 } as const;

/** A source whose `getJob` answers after `latencyMs`, counting what is in flight. */
function slowSource(latencyMs: number, state: Job['state'] = 'running') {
  let inFlight = 0;
  let peak = 0;
  const getJob = vi.fn(async (id: string, _options?: GetJobOptions): Promise<Job> => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((resolve) => setTimeout(resolve, latencyMs));
    inFlight--;
    return fakeJob(state, { id });
  });
  const client: JobSource = { vendor: 'fake', getJob };
  return { client, getJob, peak: () => peak, inFlight: () => inFlight };
}

describe('the scheduler: request budget', () => {
  it('admits no more polls than the client declared it runs at once; the others wait as data, not as requests', async () => {
    const { client, getJob, peak } = slowSource(100);
    setRequestBudget(client, 3);
    const waits = Array.from({ length: 10 }, (_, i) => track(waitForJob(client, `job-${i}`, { ...STEADY, timeoutMs: 10_000 })));
    expect(getJob).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(100);
    expect(getJob).toHaveBeenCalledTimes(6);
    await vi.advanceTimersByTimeAsync(300);
    expect(getJob).toHaveBeenCalledTimes(10);
    expect(peak()).toBe(3);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(waits.every((w) => w.settled)).toBe(true);
    expect(peak()).toBe(3);
  });

  it('polls every due wait at once on a client that declared no budget', async () => {
    const { client, getJob } = slowSource(100);
    const controller = new AbortController();
    const waits = Array.from({ length: 50 }, (_, i) => track(waitForJob(client, `job-${i}`, { signal: controller.signal })));
    expect(getJob).toHaveBeenCalledTimes(50);
    controller.abort();
    await flush();
    expect(waits.every((w) => w.settled)).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getJob).toHaveBeenCalledTimes(50);
  });
});

describe('the scheduler: shared requests on a client with getJobs', () => {
  it('polls separate waits started together with one getJobs call, and a wait alone with getJob', async () => {
    const { client, getJobs, idsPerRound } = fakeBatchSource([{ a: 'running', b: 'running', c: 'running' }, { a: 'succeeded', b: 'succeeded', c: 'succeeded' }]);
    const getJob = vi.fn(async (id: string) => fakeJob('succeeded', { id }));
    client.getJob = getJob;
    const waits = ['a', 'b', 'c'].map((id) => track(waitForJob(client, id, STEADY)));
    expect(getJobs).not.toHaveBeenCalled(); // the first poll goes once the caller's loop is done
    await flush();
    expect(idsPerRound()).toEqual([['a', 'b', 'c']]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(idsPerRound().map((ids) => ids.sort())).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
    ]);
    expect(waits.map((w) => w.value?.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const alone = await waitForJob(client, 'd', STEADY);
    expect(alone.state).toBe('succeeded');
    expect(getJob).toHaveBeenCalledTimes(1);
    expect(getJobs).toHaveBeenCalledTimes(2);
  });

  it('takes a wait along once its jitter window has opened, never before it and never after its due time', async () => {
    // Each wait polls first alone (getJob), then plans 800 ms × (1 ± 20 %), clamped at minDelayMs 800:
    // its window opens 800 ms after its poll and it is due at the jittered time.
    const random = vi.spyOn(Math, 'random');
    const { client, calls } = fakeBatchSource([{ a: 'running', b: 'running', c: 'running' }]);
    const single: [string, number][] = [];
    const t0 = performance.now();
    client.getJob = vi.fn(async (id: string) => {
      single.push([id, performance.now() - t0]);
      return fakeJob('running', { id });
    });
    const options = { minDelayMs: 800, maxDelayMs: 2000, timeoutMs: 2500 };
    random.mockReturnValue(0.999); // a: polled at 0, window from 800, due at 959.7
    const waits = [track(waitForJob(client, 'a', options))];
    await vi.advanceTimersByTimeAsync(100);
    random.mockReturnValue(0); // b: polled at 100, window from 900, due at 900
    waits.push(track(waitForJob(client, 'b', options)));
    await vi.advanceTimersByTimeAsync(100);
    random.mockReturnValue(0.999); // c: polled at 200, window from 1000, due at 1159.7
    waits.push(track(waitForJob(client, 'c', options)));
    await vi.advanceTimersByTimeAsync(1000);
    expect(single.slice(0, 3)).toEqual([
      ['a', 0],
      ['b', 100],
      ['c', 200],
    ]);
    // At 900 b is due and a's window is open: one request for both; c's window opens only at 1000.
    expect(calls[0]).toMatchObject({ at: 900 });
    expect(calls[0]?.ids.sort()).toEqual(['a', 'b']);
    expect(single[3]?.[0]).toBe('c');
    expect(single[3]?.[1]).toBeGreaterThanOrEqual(1159);
    expect(single[3]?.[1]).toBeLessThanOrEqual(1160);
    await vi.advanceTimersByTimeAsync(3000);
    expect(waits.every((w) => w.settled)).toBe(true);
  });

  it('answers a wait whose job is missing from a shared answer with a 404 for that wait alone', async () => {
    const { client } = fakeBatchSource([{ a: 'succeeded' }]);
    const found = track(waitForJob(client, 'a', STEADY));
    const missing = track(waitForJob(client, 'gone', STEADY));
    await flush();
    expect(found.value?.state).toBe('succeeded');
    expect(missing.error).toMatchObject({ name: 'JobNotFoundError', jobId: 'gone' });
  });

  it('puts the waits of a fleet and separate waits due together into one request', async () => {
    const { client, idsPerRound } = fakeBatchSource([{ a: 'succeeded', b: 'succeeded', c: 'succeeded' }]);
    const single = track(waitForJob(client, 'c', STEADY));
    const fleet = track(waitForJobs(client, ['a', 'b'], STEADY));
    await flush();
    expect(idsPerRound().map((ids) => ids.sort())).toEqual([['a', 'b', 'c']]);
    expect(single.value?.state).toBe('succeeded');
    expect(fleet.value?.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
  });

  it('drives a watch on the same scheduler: its snapshots arrive in order while other waits share its requests', async () => {
    const { client, idsPerRound } = fakeBatchSource([{ a: 'running', b: 'running' }, { a: 'succeeded', b: 'succeeded' }]);
    const seen: string[] = [];
    const watching = (async () => {
      for await (const job of watchJob(client, 'a', STEADY)) seen.push(job.state);
    })();
    const other = track(waitForJob(client, 'b', STEADY));
    await vi.advanceTimersByTimeAsync(1000);
    await watching;
    expect(seen).toEqual(['running', 'succeeded']);
    expect(other.value?.state).toBe('succeeded');
    expect(idsPerRound().map((ids) => ids.sort())).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });
});

describe("the scheduler: a source's hint for the next poll", () => {
  it('polls through pollJob when the source has it, and sends the next poll no earlier than its hint', async () => {
    let polls = 0;
    const getJob = vi.fn(async (id: string): Promise<Job> => fakeJob('running', { id }));
    const pollJob = vi.fn(async (id: string) => {
      polls++;
      return { job: fakeJob(polls >= 3 ? 'succeeded' : 'running', { id }), retryAfterMs: 5_000 };
    });
    const client: JobSource = { vendor: 'fake', getJob, pollJob };
    const wait = track(waitForJob(client, 'job-1', { ...STEADY, maxDelayMs: 60_000, timeoutMs: 60_000 }));
    expect(pollJob).toHaveBeenCalledTimes(1);
    // the schedule alone would poll again at 1 s: the hint holds it to 5 s
    await vi.advanceTimersByTimeAsync(4_990);
    expect(pollJob).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(pollJob).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(5_010);
    expect(pollJob).toHaveBeenCalledTimes(3);
    expect(wait.settled).toBe(true);
    expect(getJob).not.toHaveBeenCalled();
  });
});
