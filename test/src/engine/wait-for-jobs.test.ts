import { describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, JobFailedError, JobTimeoutError, WaitAbortedError } from '../../../src/errors/index.js';
import type { GetJobOptions, JobSource } from '../../../src/client/job-client.js';
import type { Job, JobState } from '../../../src/model/job.js';
import { waitForJobs } from '../../../src/engine/wait-for-jobs.js';

/** A fake vendor: each id plays its own list of states, one per poll; ids starting with `slow` answer after 20 ms. */
function fleet(scripts: Record<string, JobState[]>) {
  const polls = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const calls: string[] = [];
  const getJob = vi.fn(async (id: string, options?: GetJobOptions): Promise<Job> => {
    calls.push(id);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, id.startsWith('slow') ? 20 : 2));
      options?.signal?.throwIfAborted();
      const script = scripts[id] ?? ['running'];
      const n = polls.get(id) ?? 0;
      polls.set(id, n + 1);
      const state = script[Math.min(n, script.length - 1)] as JobState;
      return { vendor: 'fake', id, state, vendorState: state, tasks: [], raw: null };
    } finally {
      inFlight--;
    }
  });
  const client: JobSource = { vendor: 'fake', getJob };
  return { client, getJob, calls, maxInFlight: () => maxInFlight };
}

const FAST = { minDelayMs: 2, maxDelayMs: 5 } as const;

describe('waitForJobs', () => {
  it('resolves one outcome per id, in input order, like Promise.allSettled', async () => {
    const { client } = fleet({ a: ['queued', 'succeeded'], b: ['running', 'failed'], c: ['succeeded'] });
    const outcomes = await waitForJobs(client, ['a', 'b', 'c'], FAST);
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([
      ['a', 'fulfilled'],
      ['b', 'rejected'],
      ['c', 'fulfilled'],
    ]);
    expect(outcomes[0]?.job?.state).toBe('succeeded');
    expect(outcomes[1]?.error).toBeInstanceOf(JobFailedError);
  });

  it('fires onProgress for every job change across the fleet', async () => {
    const { client } = fleet({ a: ['queued', 'succeeded'], b: ['running', 'running', 'succeeded'] });
    const seen: string[] = [];
    await waitForJobs(client, ['a', 'b'], { ...FAST, onProgress: (job) => seen.push(`${job.id}:${job.state}`) });
    expect(seen.sort()).toEqual(['a:queued', 'a:succeeded', 'b:running', 'b:succeeded']);
  });

  it('keeps at most `concurrency` requests in flight while every wait runs', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `slow-${i}`);
    const { client, maxInFlight } = fleet(Object.fromEntries(ids.map((id) => [id, ['running', 'succeeded'] as JobState[]])));
    const outcomes = await waitForJobs(client, ids, { ...FAST, concurrency: 3 });
    expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
    expect(maxInFlight()).toBe(3);
  });

  it('rejects with the first failure under failFast and polls no other job afterwards', async () => {
    const { client, calls } = fleet({ bad: ['failed'], a: ['running'], b: ['running'] });
    const error = await waitForJobs(client, ['a', 'bad', 'b'], { ...FAST, failFast: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    const count = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls.length).toBe(count);
  });

  it('gives the whole fleet one deadline: every unfinished job times out at timeoutMs', async () => {
    const { client } = fleet({ done: ['succeeded'] });
    const started = performance.now();
    const outcomes = await waitForJobs(client, ['x', 'y', 'done'], { ...FAST, timeoutMs: 60 });
    const elapsed = performance.now() - started;
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(outcomes[0]?.error).toBeInstanceOf(JobTimeoutError);
    expect(elapsed).toBeGreaterThanOrEqual(55);
    expect(elapsed).toBeLessThan(1000);
  });

  it('stops every wait with WaitAbortedError when the signal aborts', async () => {
    const { client } = fleet({});
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 20);
    const outcomes = await waitForJobs(client, ['a', 'b'], { ...FAST, signal: controller.signal });
    expect(outcomes.every((o) => o.error instanceof WaitAbortedError)).toBe(true);
  });

  it('refuses bad ids and options with InvalidArgumentError before any request', async () => {
    const { client, getJob } = fleet({});
    for (const [ids, options] of [
      ['a' as unknown as string[], {}],
      [['a', ''], {}],
      [['a'], { concurrency: 0 }],
      [['a'], { concurrency: 1.5 }],
      [['a'], { timeoutMs: -1 }],
      [['a'], { failFast: 'yes' as unknown as boolean }],
    ] as const) {
      await expect(waitForJobs(client, ids, options)).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(getJob).not.toHaveBeenCalled();
  });

  it('refuses the per-wait options resumeFrom, onCheckpoint and cancelOnAbort before any request', async () => {
    const { client, getJob } = fleet({});
    for (const options of [{ onCheckpoint: () => {} }, { cancelOnAbort: true }, { resumeFrom: { version: 1 } }]) {
      await expect(waitForJobs(client, ['a'], options as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(getJob).not.toHaveBeenCalled();
  });

  it('resolves an empty fleet at once', async () => {
    const { client, getJob } = fleet({});
    await expect(waitForJobs(client, [])).resolves.toEqual([]);
    expect(getJob).not.toHaveBeenCalled();
  });
});
