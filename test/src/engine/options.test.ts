import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError } from '../../../src/errors/invalid-argument-error.js';
import type { GetJobOptions, JobSource, WaitPolicy } from '../../../src/client/job-client.js';
import type { Job } from '../../../src/model/job.js';
import { MAX_TIMER_MS, resolveWaitOptions, SCHEDULE_CONSTANTS, WAIT_DEFAULTS, type WaitOptions } from '../../../src/engine/options.js';
import { waitForJob } from '../../../src/engine/wait-for-job.js';
import { watchJob } from '../../../src/engine/watch-job.js';

function job(state: Job['state'] = 'succeeded'): Job {
  return { vendor: 'fake', id: 'job-1', state, vendorState: state.toUpperCase(), tasks: [], raw: {} };
}

function source(waitPolicy?: WaitPolicy) {
  const getJob = vi.fn(async (_id: string, _options?: GetJobOptions): Promise<Job> => job());
  const client: JobSource = waitPolicy ? { vendor: 'fake', getJob, waitPolicy } : { vendor: 'fake', getJob };
  return { client, getJob };
}

/** Bad options, each with the name of the option the error must blame. */
const INVALID: [label: string, options: unknown, argument: string][] = [
  ['timeoutMs -1', { timeoutMs: -1 }, 'timeoutMs'],
  ['timeoutMs 0', { timeoutMs: 0 }, 'timeoutMs'],
  ['timeoutMs NaN', { timeoutMs: Number.NaN }, 'timeoutMs'],
  ['timeoutMs -Infinity', { timeoutMs: -Infinity }, 'timeoutMs'],
  ['timeoutMs as a string', { timeoutMs: '1000' }, 'timeoutMs'],
  ['minDelayMs 0', { minDelayMs: 0 }, 'minDelayMs'],
  ['minDelayMs -5', { minDelayMs: -5 }, 'minDelayMs'],
  ['minDelayMs NaN', { minDelayMs: Number.NaN }, 'minDelayMs'],
  ['minDelayMs Infinity', { minDelayMs: Infinity }, 'minDelayMs'],
  ['minDelayMs above the timer limit', { minDelayMs: MAX_TIMER_MS + 1, maxDelayMs: MAX_TIMER_MS + 1 }, 'minDelayMs'],
  ['maxDelayMs below minDelayMs', { minDelayMs: 2000, maxDelayMs: 1999 }, 'maxDelayMs'],
  ['maxDelayMs below the default minDelayMs', { maxDelayMs: 500 }, 'maxDelayMs'],
  ['maxDelayMs NaN', { maxDelayMs: Number.NaN }, 'maxDelayMs'],
  ['maxDelayMs Infinity', { maxDelayMs: Infinity }, 'maxDelayMs'],
  ['maxDelayMs 0', { maxDelayMs: 0 }, 'maxDelayMs'],
  ['notFoundGraceMs -1', { notFoundGraceMs: -1 }, 'notFoundGraceMs'],
  ['notFoundGraceMs NaN', { notFoundGraceMs: Number.NaN }, 'notFoundGraceMs'],
  ['signal that is a plain object', { signal: { aborted: false, addEventListener() {} } }, 'signal'],
  ['signal that is an AbortController', { signal: new AbortController() }, 'signal'],
  ['onProgress that is a string', { onProgress: 'log' }, 'onProgress'],
  ['onProgress that is an object', { onProgress: {} }, 'onProgress'],
  ['until that is a boolean', { until: true }, 'until'],
  ['throwOnFailure that is a string', { throwOnFailure: 'no' }, 'throwOnFailure'],
  ['onCheckpoint that is a string', { onCheckpoint: 'save' }, 'onCheckpoint'],
  ['cancelOnAbort that is a string', { cancelOnAbort: 'yes' }, 'cancelOnAbort'],
  ['cancelOnAbort that is 1', { cancelOnAbort: 1 }, 'cancelOnAbort'],
  ['resumeFrom that is a string', { resumeFrom: '{"version":1}' }, 'resumeFrom'],
  ['resumeFrom of an unknown version', { resumeFrom: { version: 3, vendor: 'fake', jobId: 'job-1', startedAt: 0, deadline: null, polls: 1, step: 1, nextPollAt: null } }, 'resumeFrom.version'],
  ['resumeFrom with a negative poll count', { resumeFrom: { version: 2, vendor: 'fake', jobId: 'job-1', startedAt: 0, deadline: null, schedule: { minDelayMs: 1, maxDelayMs: 1, retryAfterCapMs: 1, notFoundGraceMs: 0 }, polls: -1, step: 1, nextPollAt: null } }, 'resumeFrom.polls'],
  ['options that are null', null, 'options'],
  ['options that are a number', 5, 'options'],
];

describe('WAIT_DEFAULTS', () => {
  it('holds the documented defaults: 30 min timeout, 1.5 s to 30 s delays, throw on failure, no 404 grace, detach on abort', () => {
    expect(WAIT_DEFAULTS).toEqual({ timeoutMs: 1_800_000, minDelayMs: 1500, maxDelayMs: 30_000, throwOnFailure: true, notFoundGraceMs: 0, cancelOnAbort: false });
  });

  it('is frozen so callers cannot change every wait by accident', () => {
    expect(Object.isFrozen(WAIT_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(SCHEDULE_CONSTANTS)).toBe(true);
  });
});

describe('resolveWaitOptions', () => {
  it('fills in every default when no options are given', () => {
    const resolved = resolveWaitOptions(undefined);
    expect(resolved).toEqual({
      timeoutMs: 1_800_000,
      minDelayMs: 1500,
      maxDelayMs: 30_000,
      retryAfterCapMs: 600_000,
      signal: undefined,
      onProgress: undefined,
      until: undefined,
      throwOnFailure: true,
      notFoundGraceMs: 0,
      onCheckpoint: undefined,
      resumeFrom: undefined,
      cancelOnAbort: false,
    });
    expect(resolved).toHaveProperty('cancelOnAbort', false);
    expect(resolveWaitOptions({})).toEqual(resolved);
  });

  it('keeps the values it is given', () => {
    const signal = new AbortController().signal;
    const onProgress = (): void => {};
    const until = (): boolean => false;
    const onCheckpoint = (): void => {};
    expect(
      resolveWaitOptions({ timeoutMs: 5000, minDelayMs: 200, maxDelayMs: 800, signal, onProgress, until, throwOnFailure: false, notFoundGraceMs: 3000, onCheckpoint, cancelOnAbort: true }),
    ).toEqual({
      timeoutMs: 5000,
      minDelayMs: 200,
      maxDelayMs: 800,
      retryAfterCapMs: 600_000,
      signal,
      onProgress,
      until,
      throwOnFailure: false,
      notFoundGraceMs: 3000,
      onCheckpoint,
      resumeFrom: undefined,
      cancelOnAbort: true,
    });
  });

  it('allows timeoutMs Infinity to wait for ever', () => {
    expect(resolveWaitOptions({ timeoutMs: Infinity }).timeoutMs).toBe(Infinity);
  });

  it('allows notFoundGraceMs 0 and minDelayMs equal to maxDelayMs', () => {
    const resolved = resolveWaitOptions({ notFoundGraceMs: 0, minDelayMs: 700, maxDelayMs: 700 });
    expect(resolved).toMatchObject({ notFoundGraceMs: 0, minDelayMs: 700, maxDelayMs: 700 });
  });

  it('raises the default maxDelayMs to a minDelayMs above 30 s instead of rejecting it', () => {
    expect(resolveWaitOptions({ minDelayMs: 60_000 })).toMatchObject({ minDelayMs: 60_000, maxDelayMs: 60_000 });
  });

  it('caps maxDelayMs and the honoured Retry-After at the client waitPolicy.maxDelayMs', () => {
    expect(resolveWaitOptions({}, { maxDelayMs: 5000 })).toMatchObject({ minDelayMs: 1500, maxDelayMs: 5000, retryAfterCapMs: 5000 });
    expect(resolveWaitOptions({ maxDelayMs: 120_000 }, { maxDelayMs: 60_000 })).toMatchObject({ maxDelayMs: 60_000, retryAfterCapMs: 60_000 });
  });

  it('keeps a caller maxDelayMs that is already below the waitPolicy cap', () => {
    expect(resolveWaitOptions({ maxDelayMs: 2000 }, { maxDelayMs: 60_000 })).toMatchObject({ maxDelayMs: 2000, retryAfterCapMs: 60_000 });
  });

  it('lowers minDelayMs to the waitPolicy cap so the schedule stays consistent', () => {
    expect(resolveWaitOptions({ minDelayMs: 10_000 }, { maxDelayMs: 5000 })).toMatchObject({ minDelayMs: 5000, maxDelayMs: 5000, retryAfterCapMs: 5000 });
  });

  it('ignores a waitPolicy without maxDelayMs', () => {
    expect(resolveWaitOptions({}, {})).toMatchObject({ maxDelayMs: 30_000, retryAfterCapMs: 600_000 });
  });

  it.each(INVALID)('throws InvalidArgumentError for %s', (_label, options, argument) => {
    let caught: unknown;
    try {
      resolveWaitOptions(options as WaitOptions);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).argument).toBe(argument);
    expect((caught as InvalidArgumentError).message).toContain(argument);
  });
});

describe('option validation through waitForJob and watchJob', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(INVALID)('waitForJob rejects with InvalidArgumentError for %s before any getJob call', async (_label, options, argument) => {
    const { client, getJob } = source();
    const promise = waitForJob(client, 'job-1', options as WaitOptions);
    await expect(promise).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(promise).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument });
    expect(getJob).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each(INVALID)('watchJob throws InvalidArgumentError at the call for %s, before any getJob call', (_label, options, argument) => {
    const { client, getJob } = source();
    expect(() => watchJob(client, 'job-1', options as WaitOptions)).toThrow(InvalidArgumentError);
    try {
      watchJob(client, 'job-1', options as WaitOptions);
    } catch (error) {
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
    expect(getJob).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waitForJob rejects with InvalidArgumentError for an empty job id before any getJob call', async () => {
    const { client, getJob } = source();
    await expect(waitForJob(client, '')).rejects.toMatchObject({ name: 'InvalidArgumentError', argument: 'id' });
    expect(getJob).not.toHaveBeenCalled();
  });

  it('watchJob throws InvalidArgumentError for a job id that is not a string', () => {
    const { client, getJob } = source();
    expect(() => watchJob(client, 42 as unknown as string)).toThrow(expect.objectContaining({ name: 'InvalidArgumentError', argument: 'id' }));
    expect(getJob).not.toHaveBeenCalled();
  });

  it('rejects a client without getJob or without a string vendor with InvalidArgumentError', async () => {
    await expect(waitForJob({ vendor: 'fake' } as unknown as JobSource, 'job-1')).rejects.toMatchObject({ name: 'InvalidArgumentError', argument: 'client' });
    const getJob = vi.fn();
    expect(() => watchJob({ vendor: 7, getJob } as unknown as JobSource, 'job-1')).toThrow(expect.objectContaining({ argument: 'client' }));
    expect(() => watchJob(null as unknown as JobSource, 'job-1')).toThrow(InvalidArgumentError);
    expect(getJob).not.toHaveBeenCalled();
  });

  it('rejects maxDelayMs below minDelayMs even when a waitPolicy would lower it', async () => {
    const { client, getJob } = source({ maxDelayMs: 500 });
    await expect(waitForJob(client, 'job-1', { minDelayMs: 2000, maxDelayMs: 1000 })).rejects.toMatchObject({ argument: 'maxDelayMs' });
    expect(getJob).not.toHaveBeenCalled();
  });

  it.each([0, -5, Number.NaN])(
    'keeps a sane schedule (or rejects before any getJob call) when a client declares waitPolicy.maxDelayMs %s',
    async (maxDelayMs) => {
      vi.spyOn(Math, 'random').mockReturnValue(0.5);
      const { client, getJob } = source({ maxDelayMs });
      getJob.mockImplementation(async () => job('running'));
      const outcome = waitForJob(client, 'job-1', { timeoutMs: 10_000 }).then(
        () => undefined,
        (error: unknown) => error,
      );
      await vi.advanceTimersByTimeAsync(10_000);
      const error = await outcome;
      if (error instanceof InvalidArgumentError) {
        expect(getJob).not.toHaveBeenCalled();
      } else {
        // The policy is ignored: the default schedule polls at 0, 1500, 3450, 5985 and 9000 ms,
        // never in a tight loop and never just once.
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).name).toBe('JobTimeoutError');
        expect(getJob).toHaveBeenCalledTimes(5);
      }
    },
  );

  it('accepts timeoutMs Infinity and arms no deadline timer', async () => {
    const { client, getJob } = source();
    getJob.mockResolvedValueOnce(job('running'));
    const promise = waitForJob(client, 'job-1', { timeoutMs: Infinity });
    await vi.advanceTimersByTimeAsync(0);
    expect(getJob).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(1); // the sleep before the next poll, no deadline
    await vi.advanceTimersByTimeAsync(1800); // the first delay with the most jitter: 1_500 × 1.2
    expect(getJob).toHaveBeenCalledTimes(2);
    await expect(promise).resolves.toMatchObject({ state: 'succeeded' });
  });
});
