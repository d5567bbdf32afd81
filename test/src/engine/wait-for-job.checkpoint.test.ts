import { describe, expect, it, vi } from 'vitest';
import { createCheckpoint, type WaitCheckpoint } from '../../../src/engine/checkpoint.js';
import { InvalidArgumentError } from '../../../src/errors/invalid-argument-error.js';
import { JobNotFoundError } from '../../../src/errors/job-not-found-error.js';
import { JobTimeoutError } from '../../../src/errors/job-timeout-error.js';
import { NetworkError } from '../../../src/errors/network-error.js';
import { WaitAbortedError } from '../../../src/errors/wait-aborted-error.js';
import type { Job } from '../../../src/model/job.js';
import { waitForJob } from '../../../src/engine/wait-for-job.js';
import { watchJob } from '../../../src/engine/watch-job.js';
import { fakeJob as job, fakeSource, flush, STEADY, track, useFakeClock, type Step } from '../../helpers/fake-source.js';

useFakeClock();

/** The default schedule, as a checkpoint of a default wait on the fake client carries it. */
const SCHEDULE = { minDelayMs: 1_500, maxDelayMs: 30_000, retryAfterCapMs: 600_000, notFoundGraceMs: 0 };

const notFound = (): JobNotFoundError => new JobNotFoundError({ vendor: 'fake', jobId: 'job-1' });
const network = (): NetworkError => new NetworkError({ method: 'GET', url: 'https://api.example.com/jobs/job-1', message: 'ECONNRESET' });

/** What a checkpoint stored as text and read back in another process looks like. */
const throughJson = (checkpoint: WaitCheckpoint | undefined): WaitCheckpoint => JSON.parse(JSON.stringify(checkpoint)) as WaitCheckpoint;

/** Drains a watch into an array, keeping the error it ends with. */
async function collect(iterator: AsyncIterableIterator<Job>): Promise<{ jobs: Job[]; error?: unknown }> {
  const jobs: Job[] = [];
  try {
    for await (const j of iterator) jobs.push(j);
    return { jobs };
  } catch (error) {
    return { jobs, error };
  }
}

// ---------------------------------------------------------------------------------------------

describe('onCheckpoint', () => {
  it('is called after each poll with the poll count, the step, the deadline and the time of the next poll', async () => {
    const t0 = Date.now();
    const { client } = fakeSource([job('running'), job('running'), job('running'), job('succeeded')]);
    const checkpoints: WaitCheckpoint[] = [];
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: 60_000, onCheckpoint: (c) => checkpoints.push(c), ...STEADY }));
    await vi.advanceTimersByTimeAsync(3000);
    expect(wait.value?.state).toBe('succeeded');
    expect(checkpoints.map(({ polls, step, nextPollAt }) => ({ polls, step, nextPollAt }))).toEqual([
      { polls: 1, step: 1, nextPollAt: t0 + 1000 },
      { polls: 2, step: 2, nextPollAt: t0 + 2000 },
      { polls: 3, step: 3, nextPollAt: t0 + 3000 },
      { polls: 4, step: 3, nextPollAt: null },
    ]);
    for (const checkpoint of checkpoints) {
      expect(checkpoint).toMatchObject({ version: 2, vendor: 'fake', jobId: 'job-1', startedAt: t0, deadline: t0 + 60_000 });
    }
    expect(checkpoints.map((c) => c.lastJob?.state)).toEqual(['running', 'running', 'running', 'succeeded']);
  });

  it('is called once the next poll is planned, after onProgress, while the wait sleeps', async () => {
    const events: string[] = [];
    const { client } = fakeSource([job('running'), job('succeeded')]);
    const wait = track(
      waitForJob(client, 'job-1', {
        onProgress: (j) => events.push(`progress ${j.state}`),
        onCheckpoint: (c) => events.push(`checkpoint ${c.polls} ${c.nextPollAt === null ? 'end' : 'next'}`),
        ...STEADY,
      }),
    );
    await flush();
    expect(events).toEqual(['progress running', 'checkpoint 1 next']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(wait.settled).toBe(true);
    expect(events).toEqual(['progress running', 'checkpoint 1 next', 'progress succeeded', 'checkpoint 2 end']);
  });

  it('is called after an unchanged snapshot and after a transient error, keeping the last snapshot seen', async () => {
    const first = job('running', { message: 'm1' });
    const { client } = fakeSource([first, job('running', { message: 'm1' }), network(), job('succeeded')]);
    const checkpoints: WaitCheckpoint[] = [];
    const wait = track(waitForJob(client, 'job-1', { onCheckpoint: (c) => checkpoints.push(c) }));
    await vi.advanceTimersByTimeAsync(7000);
    expect(wait.settled).toBe(true);
    expect(checkpoints.map((c) => [c.polls, c.lastJob?.state, c.lastJob?.message])).toEqual([
      [1, 'running', 'm1'],
      [2, 'running', 'm1'],
      [3, 'running', 'm1'],
      [4, 'succeeded', undefined],
    ]);
  });

  it('has no lastJob while the job was not seen yet', async () => {
    const { client } = fakeSource([notFound(), job('succeeded')]);
    const checkpoints: WaitCheckpoint[] = [];
    await Promise.all([waitForJob(client, 'job-1', { notFoundGraceMs: 5000, onCheckpoint: (c) => checkpoints.push(c), ...STEADY }), vi.advanceTimersByTimeAsync(1000)]);
    expect(checkpoints[0]).not.toHaveProperty('lastJob');
    expect(checkpoints[1]?.lastJob?.state).toBe('succeeded');
  });

  it('writes a null deadline for a wait without one', async () => {
    const { client } = fakeSource([job('running'), job('succeeded')]);
    const checkpoints: WaitCheckpoint[] = [];
    await Promise.all([waitForJob(client, 'job-1', { timeoutMs: Infinity, onCheckpoint: (c) => checkpoints.push(c), ...STEADY }), vi.advanceTimersByTimeAsync(1000)]);
    expect(checkpoints.map((c) => c.deadline)).toEqual([null, null]);
  });

  it('writes nextPollAt null when no poll fits before the deadline any more', async () => {
    const t0 = Date.now();
    const { client } = fakeSource([job('running')]);
    const checkpoints: WaitCheckpoint[] = [];
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: 2500, onCheckpoint: (c) => checkpoints.push(c), ...STEADY }));
    await vi.advanceTimersByTimeAsync(2500);
    expect(wait.error).toBeInstanceOf(JobTimeoutError);
    // polls at 0 and 1000, a final one at 1500 (1 s before the deadline), then none
    expect(checkpoints.map((c) => c.nextPollAt)).toEqual([t0 + 1000, t0 + 1500, null]);
  });

  it('is not called after the signal aborts', async () => {
    const controller = new AbortController();
    const { client } = fakeSource([job('running')]);
    const onCheckpoint = vi.fn();
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal, onCheckpoint }));
    await flush();
    expect(onCheckpoint).toHaveBeenCalledTimes(1);
    controller.abort();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(wait.error).toBeInstanceOf(WaitAbortedError);
    expect(onCheckpoint).toHaveBeenCalledTimes(1);
  });

  it('ends the wait with the error an onCheckpoint throws, like onProgress', async () => {
    const { client, getJob } = fakeSource([job('running')]);
    const boom = new Error('disk full');
    const wait = track(waitForJob(client, 'job-1', { onCheckpoint: () => { throw boom; } }));
    await vi.advanceTimersByTimeAsync(5000);
    expect(wait.error).toBe(boom);
    expect(getJob).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('resumeFrom: a wait continued by another client object', () => {
  it('polls first at nextPollAt, keeps the schedule, times out at the first wait’s deadline and reports only changes since the checkpoint', async () => {
    const step1 = (): Job => job('running', { message: 'step 1' });
    const step2 = (): Job => job('running', { message: 'step 2' });
    const a = fakeSource([job('queued'), step1()]);
    const b = fakeSource([step1(), step2()]);

    // Delays grow ×1.3 from 1 s: 1000, 1300, 1690, 2197, 2856 (2856.1)…
    const schedule = { minDelayMs: 1000, maxDelayMs: 30_000 };

    // Wait A: polls at 0 and 1000, then is aborted (its process goes away).
    const controller = new AbortController();
    const checkpointsA: WaitCheckpoint[] = [];
    const seenA: string[] = [];
    const waitA = track(
      waitForJob(a.client, 'job-1', {
        timeoutMs: 10_000,
        signal: controller.signal,
        onProgress: (j) => seenA.push(j.message ?? j.state),
        onCheckpoint: (c) => checkpointsA.push(c),
        ...schedule,
      }),
    );
    await vi.advanceTimersByTimeAsync(1500);
    expect(a.times).toEqual([0, 1000]);
    controller.abort();
    await flush();
    expect(waitA.error).toBeInstanceOf(WaitAbortedError);
    expect(seenA).toEqual(['queued', 'step 1']);
    const stored = JSON.stringify(checkpointsA.at(-1));

    // Wait B, half a second later, from the stored text.
    await vi.advanceTimersByTimeAsync(500);
    const seenB: string[] = [];
    const checkpointsB: WaitCheckpoint[] = [];
    const waitB = track(
      waitForJob(b.client, 'job-1', {
        timeoutMs: 10_000,
        resumeFrom: JSON.parse(stored) as WaitCheckpoint,
        onProgress: (j) => seenB.push(j.message ?? j.state),
        onCheckpoint: (c) => checkpointsB.push(c),
        ...schedule,
      }),
    );
    await flush();
    expect(b.getJob).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(299); // t = 2299
    expect(b.getJob).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1); // t = 2300: A's nextPollAt
    expect(b.times).toEqual([2300]);

    await vi.advanceTimersByTimeAsync(10_000 - 2300 - 1); // t = 9999
    expect(waitB.settled).toBe(false);
    // Delays go on growing from A's step: 1690, 2197, then (2856 + the 1 s lead would pass A's
    // deadline) the final poll 1 s before it.
    expect(b.times).toEqual([2300, 3990, 6187, 9000]);
    await vi.advanceTimersByTimeAsync(1); // t = 10 000: A's deadline, not B's start + 10 s
    expect(waitB.error).toBeInstanceOf(JobTimeoutError);
    const timeout = waitB.error as JobTimeoutError;
    expect(timeout.polls).toBe(6);
    expect(timeout.elapsedMs).toBe(10_000);
    expect(timeout.lastJob?.message).toBe('step 2');
    expect(seenB).toEqual(['step 2']);
    expect(checkpointsB.map((c) => c.polls)).toEqual([3, 4, 5, 6]);
    expect(checkpointsB[0]?.deadline).toBe(checkpointsA[0]?.deadline);
    expect(checkpointsB[0]?.startedAt).toBe(checkpointsA[0]?.startedAt);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps the first wait’s delay bounds and not-found grace when the resuming call names none', async () => {
    // Wait A: a fixed 4 s gap and 20 s of grace for a job not visible yet; its first poll is a 404.
    const a = fakeSource([notFound()]);
    const controller = new AbortController();
    const checkpoints: WaitCheckpoint[] = [];
    const waitA = track(waitForJob(a.client, 'job-1', { minDelayMs: 4000, maxDelayMs: 4000, notFoundGraceMs: 20_000, signal: controller.signal, onCheckpoint: (c) => checkpoints.push(c) }));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await flush();
    expect(waitA.error).toBeInstanceOf(WaitAbortedError);
    expect(checkpoints.at(-1)?.schedule).toMatchObject({ minDelayMs: 4000, maxDelayMs: 4000, notFoundGraceMs: 20_000 });

    // Wait B names nothing but the checkpoint: still a 404 (within the grace), then the job shows up.
    const b = fakeSource([notFound(), job('running'), job('succeeded')]);
    const waitB = track(waitForJob(b.client, 'job-1', { resumeFrom: JSON.parse(JSON.stringify(checkpoints.at(-1))) as WaitCheckpoint }));
    await vi.advanceTimersByTimeAsync(13_000);
    expect(waitB.value?.state).toBe('succeeded');
    // On the default schedule these would be 1.5 s apart, and the first 404 would have ended the wait.
    expect(b.times.map((t) => Math.round(t / 100) * 100)).toEqual([3900, 7900, 11_900]);
  });

  it('ignores timeoutMs when resuming: the checkpoint’s deadline holds', async () => {
    const checkpoints: WaitCheckpoint[] = [];
    const a = fakeSource([job('running')]);
    const controller = new AbortController();
    track(waitForJob(a.client, 'job-1', { timeoutMs: 10_000, signal: controller.signal, onCheckpoint: (c) => checkpoints.push(c) }));
    await flush();
    controller.abort();
    const b = fakeSource([job('running')]);
    const wait = track(waitForJob(b.client, 'job-1', { timeoutMs: 1000, resumeFrom: throughJson(checkpoints[0]) }));
    await vi.advanceTimersByTimeAsync(9999);
    expect(wait.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.error).toBeInstanceOf(JobTimeoutError);
  });

  it('polls at once when the checkpoint’s next poll is already due', async () => {
    const checkpoints: WaitCheckpoint[] = [];
    const a = fakeSource([job('running')]);
    const controller = new AbortController();
    track(waitForJob(a.client, 'job-1', { signal: controller.signal, onCheckpoint: (c) => checkpoints.push(c) }));
    await flush();
    controller.abort();
    await vi.advanceTimersByTimeAsync(5000); // next poll was due at 1500
    const b = fakeSource([job('succeeded')]);
    const wait = track(waitForJob(b.client, 'job-1', { resumeFrom: throughJson(checkpoints[0]) }));
    await flush();
    expect(b.times).toEqual([0]);
    expect(wait.value?.state).toBe('succeeded');
  });

  it('rejects with JobTimeoutError and sends no request when the checkpoint’s deadline has passed', async () => {
    const checkpoints: WaitCheckpoint[] = [];
    const a = fakeSource([job('running')]);
    const controller = new AbortController();
    track(waitForJob(a.client, 'job-1', { timeoutMs: 3000, signal: controller.signal, onCheckpoint: (c) => checkpoints.push(c) }));
    await flush();
    controller.abort();
    await vi.advanceTimersByTimeAsync(3000);
    const b = fakeSource([job('succeeded')]);
    const error = await waitForJob(b.client, 'job-1', { resumeFrom: throughJson(checkpoints[0]) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect((error as JobTimeoutError).polls).toBe(1);
    expect((error as JobTimeoutError).lastJob?.state).toBe('running');
    expect(b.getJob).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('yields from watchJob a job that ended while no one watched, once, as a change', async () => {
    const checkpoint = createCheckpoint({ vendor: 'fake', jobId: 'job-1', schedule: SCHEDULE, startedAt: Date.now(), deadline: Date.now() + 60_000, polls: 4, step: 4, nextPollAt: null, lastJob: job('running') });
    const done = job('succeeded');
    const b = fakeSource([done]);
    const { jobs, error } = await collect(watchJob(b.client, 'job-1', { resumeFrom: throughJson(checkpoint) }));
    expect(error).toBeUndefined();
    expect(jobs).toEqual([done]);
  });

  it('yields from watchJob nothing for a snapshot equal to the checkpoint’s, then the changes', async () => {
    const t = job('running', { tasks: [{ id: 'a', state: 'running', vendorState: 'RUN', tasks: [] }], progress: { completed: 0, total: 1 }, updatedAt: new Date(1000) });
    const checkpoint = createCheckpoint({ vendor: 'fake', jobId: 'job-1', schedule: SCHEDULE, startedAt: Date.now(), deadline: null, polls: 1, step: 1, nextPollAt: null, lastJob: t });
    const same = { ...t, raw: { other: true }, updatedAt: new Date(2000) };
    const done = job('succeeded', { tasks: [{ id: 'a', state: 'succeeded', vendorState: 'OK', tasks: [] }], progress: { completed: 1, total: 1 } });
    const b = fakeSource([same, same, done]);
    const result = collect(watchJob(b.client, 'job-1', { resumeFrom: throughJson(checkpoint) }));
    await vi.advanceTimersByTimeAsync(10_000);
    const { jobs } = await result;
    expect(jobs).toEqual([done]);
    expect(b.getJob).toHaveBeenCalledTimes(3);
  });

  it('resolves waitForJob with a terminal snapshot equal to the checkpoint’s without calling onProgress again', async () => {
    const done = job('succeeded');
    const checkpoint = createCheckpoint({ vendor: 'fake', jobId: 'job-1', schedule: SCHEDULE, startedAt: Date.now(), deadline: null, polls: 3, step: 2, nextPollAt: null, lastJob: done });
    const onProgress = vi.fn();
    const b = fakeSource([job('succeeded')]);
    await expect(waitForJob(b.client, 'job-1', { resumeFrom: throughJson(checkpoint), onProgress })).resolves.toMatchObject({ state: 'succeeded' });
    expect(onProgress).not.toHaveBeenCalled();
  });

  it('treats a 404 as a job that vanished after it was seen, with the checkpoint’s snapshot as lastJob', async () => {
    const checkpoint = createCheckpoint({
      vendor: 'fake',
      jobId: 'job-1',
      schedule: SCHEDULE,
      startedAt: Date.now(),
      deadline: Date.now() + 60_000,
      polls: 2,
      step: 2,
      nextPollAt: null,
      lastJob: job('running', { message: 'half way', updatedAt: new Date('2024-01-01T00:00:00Z') }),
    });
    const b = fakeSource([notFound()]);
    const error = await waitForJob(b.client, 'job-1', { resumeFrom: throughJson(checkpoint), notFoundGraceMs: 30_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobNotFoundError);
    const lastJob = (error as JobNotFoundError).lastJob;
    expect(lastJob).toMatchObject({ vendor: 'fake', id: 'job-1', state: 'running', message: 'half way', raw: undefined });
    expect(lastJob?.updatedAt).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect((error as JobNotFoundError).message).toContain('vanished after it was seen');
    expect(b.getJob).toHaveBeenCalledTimes(1);
  });

  it('counts notFoundGraceMs from the first wait’s start when the job was not seen before the checkpoint', async () => {
    const checkpoints: WaitCheckpoint[] = [];
    const a = fakeSource([notFound()]);
    const controller = new AbortController();
    track(waitForJob(a.client, 'job-1', { notFoundGraceMs: 5000, signal: controller.signal, onCheckpoint: (c) => checkpoints.push(c), ...STEADY }));
    await vi.advanceTimersByTimeAsync(1500);
    expect(a.times).toEqual([0, 1000]);
    controller.abort();
    const b = fakeSource([notFound()]);
    const wait = track(waitForJob(b.client, 'job-1', { notFoundGraceMs: 5000, resumeFrom: throughJson(checkpoints.at(-1)), ...STEADY }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(wait.error).toBeInstanceOf(JobNotFoundError);
    expect((wait.error as JobNotFoundError).lastJob).toBeUndefined();
    // B (made at 1500) polls every second from 2000; the poll at 5000 (3500 into B) is the first
    // past the grace since 0 and ends the wait: B does not get 5 s of its own.
    expect(b.times).toEqual([500, 1500, 2500, 3500]);
  });

  it('has no deadline when the checkpoint has none', async () => {
    const checkpoint = createCheckpoint({ vendor: 'fake', jobId: 'job-1', schedule: SCHEDULE, startedAt: Date.now(), deadline: null, polls: 1, step: 30, nextPollAt: null, lastJob: job('running') });
    const steps: Step[] = [...Array.from({ length: 10 }, () => job('running')), job('succeeded')];
    const b = fakeSource(steps);
    const wait = track(waitForJob(b.client, 'job-1', { timeoutMs: 1000, resumeFrom: throughJson(checkpoint) }));
    await vi.advanceTimersByTimeAsync(300_000);
    expect(wait.value?.state).toBe('succeeded');
    // step 30 is far past the cap: every delay is maxDelayMs
    expect(b.times.slice(0, 3)).toEqual([0, 30_000, 60_000]);
  });
});

describe('resumeFrom: checkpoints that do not fit', () => {
  const fresh = (over: Partial<WaitCheckpoint> = {}): WaitCheckpoint => ({
    ...createCheckpoint({ vendor: 'fake', jobId: 'job-1', schedule: SCHEDULE, startedAt: Date.now(), deadline: Date.now() + 60_000, polls: 1, step: 1, nextPollAt: Date.now() + 1000, lastJob: job('running') }),
    ...over,
  });

  it.each([
    ['another vendor', { vendor: 'ontap' }, 'resumeFrom.vendor'],
    ['another job', { jobId: 'job-2' }, 'resumeFrom.jobId'],
    ['an unknown version', { version: 1 as 2 }, 'resumeFrom.version'],
    ['a malformed step', { step: Number.NaN }, 'resumeFrom.step'],
  ] as const)('rejects a checkpoint of %s with InvalidArgumentError before any request', async (_label, over, argument) => {
    const { client, getJob } = fakeSource([job('succeeded')]);
    await expect(waitForJob(client, 'job-1', { resumeFrom: fresh(over) })).rejects.toMatchObject({ name: 'InvalidArgumentError', argument });
    expect(() => watchJob(client, 'job-1', { resumeFrom: fresh(over) })).toThrow(InvalidArgumentError);
    expect(getJob).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reads the checkpoint when the wait starts, so changing it afterwards changes nothing', async () => {
    const checkpoint = fresh();
    const b = fakeSource([job('running'), job('succeeded')]);
    const wait = track(waitForJob(b.client, 'job-1', { resumeFrom: checkpoint }));
    checkpoint.nextPollAt = Date.now();
    checkpoint.deadline = Date.now() + 1;
    await vi.advanceTimersByTimeAsync(999);
    expect(b.getJob).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(5000);
    expect(wait.value?.state).toBe('succeeded');
  });
});
