import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../src/errors/api-error.js';
import { AuthenticationError } from '../../../src/errors/authentication-error.js';
import { JobNotFoundError } from '../../../src/errors/job-not-found-error.js';
import { UnsupportedOperationError } from '../../../src/errors/unsupported-operation-error.js';
import { WaitAbortedError } from '../../../src/errors/wait-aborted-error.js';
import type { GetJobOptions, JobSource } from '../../../src/client/job-client.js';
import type { Job } from '../../../src/model/job.js';
import { waitForJob } from '../../../src/engine/wait-for-job.js';
import { watchJob } from '../../../src/engine/watch-job.js';
import { fakeJob as job, fakeSource, flush, STEADY, track, useFakeClock } from '../../helpers/fake-source.js';

useFakeClock();

const URL_ = 'https://api.example.com/jobs/job-1';

/**
 * A fake vendor whose job runs until it is cancelled, then shows `afterCancel` (one snapshot per
 * poll, the last one holding). `refuse` makes the cancel reject.
 */
function cancellable(options: { afterCancel?: Job[]; refuse?: Error } = {}) {
  const afterCancel = options.afterCancel ?? [job('failed', { message: 'Job was cancelled.' })];
  let cancelledAtPoll: number | undefined;
  const { getJob, times, signals } = fakeSource([
    async () => {
      const n = getJob.mock.calls.length;
      if (cancelledAtPoll === undefined) return job('running');
      return afterCancel[Math.min(n - cancelledAtPoll - 1, afterCancel.length - 1)] as Job;
    },
  ]);
  const cancelJob = vi.fn(async (_id: string, _options?: GetJobOptions): Promise<void> => {
    if (options.refuse) throw options.refuse;
    cancelledAtPoll = getJob.mock.calls.length;
  });
  const source: JobSource = { vendor: 'fake', getJob, cancelJob };
  return { client: source, getJob, cancelJob, times, signals };
}

// ---------------------------------------------------------------------------------------------

describe('cancelOnAbort: a client that cannot cancel', () => {
  it('rejects waitForJob with UnsupportedOperationError before any request', async () => {
    const { client, getJob } = fakeSource([job('running')]);
    const error = await waitForJob(client, 'job-1', { cancelOnAbort: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect((error as UnsupportedOperationError).operation).toBe('cancelOnAbort');
    expect((error as UnsupportedOperationError).message).toContain('fake client has no cancelJob');
    expect(getJob).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('throws UnsupportedOperationError from watchJob at the call', () => {
    const { client, getJob } = fakeSource([job('running')]);
    expect(() => watchJob(client, 'job-1', { cancelOnAbort: true })).toThrow(UnsupportedOperationError);
    expect(getJob).not.toHaveBeenCalled();
  });

  it('accepts cancelOnAbort: false on such a client', async () => {
    const { client } = fakeSource([job('succeeded')]);
    await expect(waitForJob(client, 'job-1', { cancelOnAbort: false })).resolves.toMatchObject({ state: 'succeeded' });
  });
});

describe('cancelOnAbort: the abort sends the cancel and the wait reports how the job ended', () => {
  it('cancels once, polls on until the job ends, and rejects with WaitAbortedError carrying the final snapshot', async () => {
    const { client, getJob, cancelJob, times } = cancellable({ afterCancel: [job('running', { message: 'cancelling' }), job('failed', { message: 'Job was cancelled.' })] });
    const controller = new AbortController();
    // Delays grow from 1 s: 1000, then 1300 (1_000 × 1.3); a schedule that starts over shows as 1 s again.
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal, cancelOnAbort: true, minDelayMs: 1000, maxDelayMs: 30_000 }));
    await vi.advanceTimersByTimeAsync(1500); // polls at 0 and 1000; the next one is due at 2300
    controller.abort(new Error('user pressed ctrl-c'));
    await flush();
    expect(cancelJob).toHaveBeenCalledTimes(1);
    expect(cancelJob).toHaveBeenCalledWith('job-1', { signal: expect.any(AbortSignal) });
    expect(cancelJob.mock.calls[0]?.[1]?.signal?.aborted).toBe(false);
    // A poll at once after the cancel, then the schedule from its start.
    expect(times).toEqual([0, 1000, 1500]);
    expect(wait.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(times).toEqual([0, 1000, 1500, 2500]);
    expect(wait.error).toBeInstanceOf(WaitAbortedError);
    const error = wait.error as WaitAbortedError;
    expect(error.cancel).toBe('sent');
    expect(error.lastJob?.state).toBe('failed');
    expect(error.lastJob?.message).toBe('Job was cancelled.');
    expect(error.cause).toEqual(new Error('user pressed ctrl-c'));
    expect(error.message).toContain('the cancel was sent and the job ended failed');
    expect(error.message).toContain('Job was cancelled.');
    expect(getJob).toHaveBeenCalledTimes(4);
    expect(cancelJob).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
  });

  it('cuts the request in flight at the abort, then cancels and follows the job', async () => {
    let release: ((value: Job) => void) | undefined;
    const { client, getJob, cancelJob } = cancellable();
    getJob.mockImplementationOnce(async () => job('running')).mockImplementationOnce(() => new Promise<Job>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal, cancelOnAbort: true, ...STEADY }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(getJob).toHaveBeenCalledTimes(2);
    controller.abort();
    await flush();
    expect(getJob.mock.calls[1]?.[1]?.signal?.aborted).toBe(true);
    expect(cancelJob).toHaveBeenCalledTimes(1);
    expect(wait.error).toBeInstanceOf(WaitAbortedError);
    expect((wait.error as WaitAbortedError).lastJob?.state).toBe('failed');
    release?.(job('running'));
  });

  it('sends the cancel when the signal is already aborted, with no poll before it', async () => {
    const { client, getJob, cancelJob } = cancellable();
    const order: string[] = [];
    getJob.mockImplementation(async () => {
      order.push('poll');
      return job('failed');
    });
    cancelJob.mockImplementation(async () => {
      order.push('cancel');
    });
    const error = await waitForJob(client, 'job-1', { signal: AbortSignal.abort(), cancelOnAbort: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitAbortedError);
    expect(order).toEqual(['cancel', 'poll']);
    expect((error as WaitAbortedError).lastJob?.state).toBe('failed');
  });

  it('reports a job that had not ended by the deadline, rejecting at the deadline', async () => {
    const { client, cancelJob } = cancellable({ afterCancel: [job('running', { message: 'still cancelling' })] });
    const controller = new AbortController();
    const wait = track(waitForJob(client, 'job-1', { timeoutMs: 10_000, signal: controller.signal, cancelOnAbort: true }));
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    await vi.advanceTimersByTimeAsync(8999);
    expect(wait.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.error).toBeInstanceOf(WaitAbortedError);
    const error = wait.error as WaitAbortedError;
    expect(error.cancel).toBe('sent');
    expect(error.lastJob?.message).toBe('still cancelling');
    expect(error.message).toContain('the cancel was sent but the job had not ended');
    expect(cancelJob).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('puts a refused cancel as the cause and polls no more', async () => {
    const refusal = new ApiError({ status: 400, method: 'PATCH', url: `${URL_}?action=cancel`, vendorCode: '458784', vendorMessage: 'This job does not support cancel.' });
    const { client, getJob, cancelJob } = cancellable({ refuse: refusal });
    const controller = new AbortController();
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal, cancelOnAbort: true }));
    await flush();
    controller.abort();
    await flush();
    expect(wait.error).toBeInstanceOf(WaitAbortedError);
    const error = wait.error as WaitAbortedError;
    expect(error.cancel).toBe('refused');
    expect(error.cause).toBe(refusal);
    expect(error.lastJob?.state).toBe('running');
    expect(error.message).toContain('the cancel was refused');
    expect(cancelJob).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getJob).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('treats a cancelJob that throws synchronously as a refusal', async () => {
    const { client, getJob } = cancellable();
    const boom = new TypeError('not a job id');
    (client as { cancelJob: unknown }).cancelJob = () => {
      throw boom;
    };
    const controller = new AbortController();
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal, cancelOnAbort: true }));
    await flush();
    controller.abort();
    await flush();
    expect((wait.error as WaitAbortedError).cancel).toBe('refused');
    expect((wait.error as WaitAbortedError).cause).toBe(boom);
    expect(getJob).toHaveBeenCalledTimes(1);
  });

  it('ends the follow-up on a permanent error, which becomes the cause', async () => {
    const denied = new AuthenticationError({ status: 401, method: 'GET', url: URL_ });
    const { client, getJob } = cancellable();
    const controller = new AbortController();
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal, cancelOnAbort: true }));
    await flush();
    getJob.mockRejectedValue(denied);
    controller.abort();
    await flush();
    expect(wait.error).toBeInstanceOf(WaitAbortedError);
    expect((wait.error as WaitAbortedError).cancel).toBe('sent');
    expect((wait.error as WaitAbortedError).cause).toBe(denied);
    expect(getJob).toHaveBeenCalledTimes(2);
  });

  it('ends the follow-up when the job vanishes, with the vanished error as the cause', async () => {
    const { client, getJob } = cancellable();
    const controller = new AbortController();
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal, cancelOnAbort: true }));
    await flush();
    getJob.mockRejectedValue(new JobNotFoundError({ vendor: 'fake', jobId: 'job-1' }));
    controller.abort();
    await flush();
    const cause = (wait.error as WaitAbortedError).cause;
    expect(cause).toBeInstanceOf(JobNotFoundError);
    expect((cause as JobNotFoundError).lastJob?.state).toBe('running');
  });

  it('calls no callback and yields nothing after the abort', async () => {
    const { client, cancelJob } = cancellable();
    const controller = new AbortController();
    const onProgress = vi.fn();
    const onCheckpoint = vi.fn();
    const seen: string[] = [];
    const watch = (async () => {
      for await (const j of watchJob(client, 'job-1', { signal: controller.signal, cancelOnAbort: true, onProgress, onCheckpoint })) seen.push(j.state);
    })();
    const outcome = track(watch);
    await flush();
    expect(seen).toEqual(['running']);
    controller.abort();
    await vi.advanceTimersByTimeAsync(5000);
    expect(outcome.error).toBeInstanceOf(WaitAbortedError);
    expect((outcome.error as WaitAbortedError).lastJob?.state).toBe('failed');
    expect(seen).toEqual(['running']);
    expect(onProgress).toHaveBeenCalledTimes(1);
    expect(onCheckpoint).toHaveBeenCalledTimes(1);
    expect(cancelJob).toHaveBeenCalledTimes(1);
  });

  it('does not cancel when the watch loop breaks: that is no abort', async () => {
    const { client, cancelJob, getJob } = cancellable();
    for await (const j of watchJob(client, 'job-1', { cancelOnAbort: true })) if (j.state === 'running') break;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(cancelJob).not.toHaveBeenCalled();
    expect(getJob).toHaveBeenCalledTimes(1);
  });
});

describe('without cancelOnAbort an abort only detaches', () => {
  it('sends no cancel and no request after the abort, even on a client that can cancel', async () => {
    const { client, getJob, cancelJob } = cancellable();
    const controller = new AbortController();
    const wait = track(waitForJob(client, 'job-1', { signal: controller.signal, ...STEADY }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(getJob).toHaveBeenCalledTimes(2);
    controller.abort();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(wait.error).toBeInstanceOf(WaitAbortedError);
    expect((wait.error as WaitAbortedError).cancel).toBeUndefined();
    expect((wait.error as WaitAbortedError).message).toMatch(/the signal was aborted \(last state running/);
    expect(cancelJob).not.toHaveBeenCalled();
    expect(getJob).toHaveBeenCalledTimes(2);
  });
});
