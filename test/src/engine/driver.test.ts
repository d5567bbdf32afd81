import { describe, expect, it, vi } from 'vitest';
import { pollWait, pollWaits, readWaitState, startWait } from '../../../src/adapter.js';
import { InvalidArgumentError } from '../../../src/errors/invalid-argument-error.js';
import { JobTimeoutError } from '../../../src/errors/job-timeout-error.js';
import { fakeBatchSource } from '../../helpers/fake-batch-source.js';
import { fakeJob, fakeSource } from '../../helpers/fake-source.js';

// The driver API: what a process outside the scheduler (a durable queue) drives a wait with.

const T0 = 1_700_000_000_000;

describe('the driver API', () => {
  it('drives a wait to its end from stored JSON alone, one poll at a time, as another process would', async () => {
    const { client, getJob } = fakeSource([fakeJob('queued'), fakeJob('running'), fakeJob('running'), fakeJob('succeeded')]);
    let stored = JSON.stringify(startWait(client, 'job-1', { minDelayMs: 1000, maxDelayMs: 1000 }, T0));
    let now = T0;
    const changes: string[] = [];
    for (let i = 0; i < 10; i++) {
      const state = readWaitState(JSON.parse(stored), { vendor: 'fake', jobId: 'job-1' });
      now = state.nextPollAt ?? now;
      const step = await pollWait(client, state, { now: () => now, random: () => 0.5 });
      if (step.changed) changes.push(step.job?.state ?? '');
      stored = JSON.stringify(step.state);
      if (step.end) {
        expect(step.end).toMatchObject({ reason: 'terminal', job: { state: 'succeeded' } });
        break;
      }
    }
    expect(changes).toEqual(['queued', 'running', 'succeeded']);
    expect(getJob).toHaveBeenCalledTimes(4);
    expect(JSON.parse(stored)).toMatchObject({ polls: 4, nextPollAt: null, outcomes: {} });
  });

  it('expires a state past its deadline with JobTimeoutError and sends no request', async () => {
    const { client, getJob } = fakeSource([fakeJob('running')]);
    const state = startWait(client, 'job-1', { timeoutMs: 5000 }, T0);
    const step = await pollWait(client, state, { now: () => T0 + 5000 });
    expect(step.end?.error).toBeInstanceOf(JobTimeoutError);
    expect(getJob).not.toHaveBeenCalled();
  });

  it('rejects with the reason of an aborted signal and leaves the state to poll again', async () => {
    const controller = new AbortController();
    const { client } = fakeSource([
      (signal) =>
        new Promise((_, reject) => {
          signal?.addEventListener('abort', () => reject(new Error('request aborted')));
        }),
    ]);
    const state = startWait(client, 'job-1', {}, T0);
    const polled = pollWait(client, state, { signal: controller.signal });
    controller.abort(new Error('worker closing'));
    await expect(polled).rejects.toThrow('worker closing');
    expect(state.polls).toBe(0);
  });

  it('polls many waits on a client with getJobs in one request, one step per state in order', async () => {
    const { client, idsPerRound } = fakeBatchSource([{ a: 'running', b: 'succeeded' }]);
    const states = ['a', 'b', 'missing'].map((id) => startWait(client, id, { notFoundGraceMs: 0 }, T0));
    const steps = await pollWaits(client, states, { now: () => T0 });
    expect(idsPerRound()).toEqual([['a', 'b', 'missing']]);
    expect(steps.map((s) => s.end?.reason ?? 'goes on')).toEqual(['goes on', 'terminal', 'error']);
    expect(steps[2]?.end?.error).toMatchObject({ name: 'JobNotFoundError', jobId: 'missing' });
  });

  it('validates what it starts from and what it reads back', () => {
    expect(() => startWait({ vendor: 'fake' }, '', {})).toThrow(InvalidArgumentError);
    expect(() => startWait({ vendor: 'fake' }, 'job-1', { minDelayMs: 0 })).toThrow(InvalidArgumentError);
    expect(() => readWaitState({ version: 1 })).toThrow(InvalidArgumentError);
    const state = startWait({ vendor: 'fake' }, 'job-1', {}, T0);
    expect(() => readWaitState({ ...state, polls: -1 })).toThrow(/state\.polls/);
    expect(() => readWaitState(state, { vendor: 'other', jobId: 'job-1' })).toThrow(/state\.vendor/);
    expect(readWaitState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('keeps the vendor limits when it starts a wait: ONTAP-like 60 s cap on maxDelayMs', () => {
    const state = startWait({ vendor: 'x', waitPolicy: { maxDelayMs: 60_000 } }, 'j', { maxDelayMs: 600_000 }, T0);
    expect(state.schedule.maxDelayMs).toBe(60_000);
    void vi;
  });
});
