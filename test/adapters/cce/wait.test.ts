import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCceClient, type CceClient, type CceJob } from '../../../adapters/cce/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import {
  ApiError,
  AuthenticationError,
  InvalidArgumentError,
  InvalidResponseError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  waitForJob,
  watchJob,
} from '../../../src/index.js';
import { rejectionOf } from '../../helpers/promises.js';

const FAST = { minDelayMs: 2, maxDelayMs: 10 } as const;
const PROJECT = 'p-123';
const TOKEN = 'tok-123456';

let sim: Simulator;
let cce: CceClient;

beforeEach(async () => {
  sim = await startSimulator();
  cce = createCceClient({ endpoint: sim.url, projectId: PROJECT, auth: { token: TOKEN }, retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 5 } });
});

afterEach(async () => {
  await cce.close();
  await sim.close();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));


/** A compact picture of a snapshot: state, vendor state, progress and the task states. */
const picture = (job: CceJob): unknown[] => [job.state, job.vendorState, job.progress && `${job.progress.completed}/${job.progress.total}`, job.tasks.map((task) => task.state).join(',')];

describe('waitForJob resolves', () => {
  it('resolves the default lifecycle Initializing → Running → Success with the succeeded job', async () => {
    const uid = sim.cce.addJob();
    const seen: CceJob[] = [];
    const job = await cce.waitForJob(uid, { ...FAST, onProgress: (j) => seen.push(j) });
    expect(job.state).toBe('succeeded');
    expect(job.vendorState).toBe('Success');
    expect(job.endedAt).toBeInstanceOf(Date);
    expect(job.progress).toEqual({ completed: 2, total: 2 });
    expect(seen.map(picture)).toEqual([
      ['queued', 'Initializing', '0/2', 'queued,queued'],
      ['running', 'Running', '2/2', 'succeeded,succeeded'],
      ['succeeded', 'Success', '2/2', 'succeeded,succeeded'],
    ]);
    expect(sim.requests).toHaveLength(3);
    expect(sim.requests.every((request) => request.method === 'GET' && request.url === `/api/v3/projects/${PROJECT}/jobs/${uid}`)).toBe(true);
  });

  it('resolves through the standalone waitForJob too', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Initializing' }, { phase: 'Running' }, { phase: 'Success' }] });
    await expect(waitForJob(cce, uid, FAST)).resolves.toMatchObject({ vendor: 'cce', id: uid, state: 'succeeded' });
  });

  it('reads phases in any case: INITIALIZING → running → SUCCESS resolves', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'INITIALIZING' }, { phase: 'running' }, { phase: 'SUCCESS' }] });
    const job = await cce.waitForJob(uid, FAST);
    expect(job.state).toBe('succeeded');
    expect(job.vendorState).toBe('SUCCESS');
    expect(sim.requests).toHaveLength(3);
  });

  it('keeps polling through a phase it does not know, reported as unknown', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Initializing' }, { phase: 'Upgrading', polls: 2 }, { phase: 'Success' }] });
    const seen: CceJob[] = [];
    const job = await cce.waitForJob(uid, { ...FAST, onProgress: (j) => seen.push(j) });
    expect(job.state).toBe('succeeded');
    expect(seen.map((j) => [j.state, j.vendorState])).toEqual([
      ['queued', 'Initializing'],
      ['unknown', 'Upgrading'],
      ['succeeded', 'Success'],
    ]);
    expect(sim.requests).toHaveLength(4);
  });

  it('resolves early on the snapshot that meets until, without another poll', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Initializing' }, { phase: 'Running', polls: 20 }, { phase: 'Success' }] });
    const job = await cce.waitForJob(uid, { ...FAST, until: (j) => j.state === 'running' });
    expect(job.state).toBe('running');
    await sleep(30);
    expect(sim.requests).toHaveLength(2);
  });

  it('waits through a job that is not visible yet within notFoundGraceMs', async () => {
    const uid = sim.cce.addJob({ hiddenForPolls: 2, steps: [{ phase: 'Running' }, { phase: 'Success' }] });
    const job = await cce.waitForJob(uid, { ...FAST, notFoundGraceMs: 5_000 });
    expect(job.state).toBe('succeeded');
    expect(sim.requests).toHaveLength(4);
  });

  it('rides out a few 503 answers and resolves', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }, { phase: 'Success' }] });
    sim.fault({ type: 'status', status: 503, path: uid, times: 3, body: { error_code: 'APIGW.0201', error_msg: 'Request error.' } });
    const job = await cce.waitForJob(uid, { ...FAST, timeoutMs: 5_000 });
    expect(job.state).toBe('succeeded');
    expect(sim.requests.filter((request) => request.fault === 'status')).toHaveLength(3);
  });
});

describe('waitForJob on a failed job', () => {
  it('rejects Initializing → Running → Failed with JobFailedError carrying the job and its error from status', async () => {
    const uid = sim.cce.addJob({
      steps: [{ phase: 'Initializing' }, { phase: 'Running' }, { phase: 'Failed', reason: 'InstallMasterFailed', message: 'Failed to install the master node.' }],
    });
    const error = await rejectionOf(cce.waitForJob(uid, FAST));
    expect(error).toBeInstanceOf(JobFailedError);
    const failed = error as JobFailedError<CceJob['raw']>;
    expect(failed.code).toBe('JOB_FAILED');
    expect(failed.job.id).toBe(uid);
    expect(failed.job.state).toBe('failed');
    expect(failed.job.vendorState).toBe('Failed');
    expect(failed.job.error).toEqual({ code: 'InstallMasterFailed', message: 'Failed to install the master node.' });
    expect(failed.job.raw.status.reason).toBe('InstallMasterFailed');
    expect(failed.message).toContain('Failed to install the master node.');
    expect(sim.requests).toHaveLength(3);
  });

  it("takes the error from status.message alone when reason is empty", async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }, { phase: 'Failed', reason: '', message: 'Quota exceeded.' }] });
    const error = (await rejectionOf(cce.waitForJob(uid, FAST))) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.job.error).toEqual({ message: 'Quota exceeded.' });
  });

  it('takes the error from the first failed sub-job, with a target, when status has no text', async () => {
    const uid = sim.cce.addJob({
      steps: [
        { phase: 'Running', subJobPhases: ['Running', 'Running'] },
        { phase: 'Failed', reason: '', subJobPhases: ['Failed', 'Failed'], subJobReasons: ['master install timed out', 'cert failed too'] },
      ],
    });
    const error = (await rejectionOf(cce.waitForJob(uid, FAST))) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.job.error).toEqual({ message: 'master install timed out', target: 'InstallMaster' });
    expect(error.job.tasks.map((task) => task.error?.message)).toEqual(['master install timed out', 'cert failed too']);
    expect(error.message).toContain('master install timed out');
  });

  it('rejects a lower-case failed phase with JobFailedError', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'failed', reason: 'boom' }] });
    await expect(cce.waitForJob(uid, FAST)).rejects.toBeInstanceOf(JobFailedError);
  });

  it('resolves with the failed job when throwOnFailure is false', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Initializing' }, { phase: 'Running' }, { phase: 'Failed', reason: 'NodeCreateFailed', message: 'No capacity.' }] });
    const job = await cce.waitForJob(uid, { ...FAST, throwOnFailure: false });
    expect(job.state).toBe('failed');
    expect(job.error).toEqual({ code: 'NodeCreateFailed', message: 'No capacity.' });
    expect(job.endedAt).toBeInstanceOf(Date);
  });
});

describe('onProgress and watchJob report sub-job changes', () => {
  const SUB_JOB_SCRIPT = {
    steps: [
      { phase: 'Running', subJobPhases: ['Running', 'Running'] },
      { phase: 'Running', subJobPhases: ['Success', 'Running'], polls: 2 },
      { phase: 'Running', subJobPhases: ['Success', 'Success'] },
      { phase: 'Success' },
    ],
  };
  const EXPECTED = [
    ['running', 'Running', '0/2', 'running,running'],
    ['running', 'Running', '1/2', 'succeeded,running'],
    ['running', 'Running', '2/2', 'succeeded,succeeded'],
    ['succeeded', 'Success', '2/2', 'succeeded,succeeded'],
  ];

  it('calls onProgress when a sub-job goes Running → Success while the job stays Running, and not for a repeat', async () => {
    const uid = sim.cce.addJob(SUB_JOB_SCRIPT);
    const seen: CceJob[] = [];
    await cce.waitForJob(uid, { ...FAST, onProgress: (j) => seen.push(j) });
    expect(seen.map(picture)).toEqual(EXPECTED);
    expect(sim.requests).toHaveLength(5);
  });

  it('yields the same changes from watchJob and ends after the terminal snapshot', async () => {
    const uid = sim.cce.addJob(SUB_JOB_SCRIPT);
    const seen: CceJob[] = [];
    for await (const job of cce.watchJob(uid, FAST)) seen.push(job);
    expect(seen.map(picture)).toEqual(EXPECTED);
    expect(sim.requests).toHaveLength(5);
  });

  it('reports a change of a sub-job reason alone (same phases)', async () => {
    const uid = sim.cce.addJob({
      steps: [
        { phase: 'Running', subJobPhases: ['Running', 'Running'], subJobReasons: ['pulling images', undefined], polls: 2 },
        { phase: 'Running', subJobPhases: ['Running', 'Running'], subJobReasons: ['starting kubelet', undefined] },
        { phase: 'Success' },
      ],
    });
    const messages: (string | undefined)[] = [];
    for await (const job of watchJob(cce, uid, FAST)) messages.push(job.tasks[0]?.message);
    expect(messages).toEqual(['pulling images', 'starting kubelet', undefined]);
    expect(sim.requests).toHaveLength(4);
  });

  it('reports a change of a nested sub-job while every top-level phase stays the same', async () => {
    const answer = (phase: string, nodePhase: string): Record<string, unknown> => ({
      kind: 'Job',
      metadata: { uid: 'job-deep' },
      spec: { subJobs: [{ metadata: { uid: 'pool' }, spec: { subJobs: [{ metadata: { uid: 'node-1' }, status: { phase: nodePhase } }] }, status: { phase: 'Running' } }] },
      status: { phase },
    });
    sim.fault({ type: 'status', status: 200, path: 'job-deep', body: answer('Running', 'Running') });
    sim.fault({ type: 'status', status: 200, path: 'job-deep', body: answer('Running', 'Success') });
    sim.fault({ type: 'status', status: 200, path: 'job-deep', body: answer('Success', 'Success') });
    const seen: CceJob[] = [];
    for await (const job of cce.watchJob('job-deep', FAST)) seen.push(job);
    expect(seen.map((job) => [job.state, job.tasks[0]?.state, job.tasks[0]?.tasks[0]?.state])).toEqual([
      ['running', 'running', 'running'],
      ['running', 'running', 'succeeded'],
      ['succeeded', 'running', 'succeeded'],
    ]);
    expect(sim.requests).toHaveLength(3);
  });

  it('yields a failed job from watchJob instead of throwing', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }, { phase: 'Failed', reason: 'broken' }] });
    const states: string[] = [];
    for await (const job of cce.watchJob(uid, FAST)) states.push(job.state);
    expect(states).toEqual(['running', 'failed']);
  });

  it('stops polling when the loop breaks', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running', polls: 100 }, { phase: 'Success' }] });
    for await (const job of cce.watchJob(uid, FAST)) {
      expect(job.state).toBe('running');
      break;
    }
    await sleep(40);
    expect(sim.requests).toHaveLength(1);
  });
});

describe('waitForJob ends with an error', () => {
  it('rejects a job deleted after it was seen (deleteAfterPolls) with JobNotFoundError carrying lastJob', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Initializing' }, { phase: 'Running' }, { phase: 'Success' }], deleteAfterPolls: 0 });
    const error = await rejectionOf(cce.waitForJob(uid, FAST));
    expect(error).toBeInstanceOf(JobNotFoundError);
    const notFound = error as JobNotFoundError<CceJob['raw']>;
    expect(notFound.jobId).toBe(uid);
    expect(notFound.lastJob?.state).toBe('running');
    expect(notFound.lastJob?.vendorState).toBe('Running');
    expect(notFound.message).toContain('outcome is unknown');
    expect(notFound.cause).toBeInstanceOf(ApiError);
    expect((notFound.cause as ApiError).vendorCode).toBe('CCE.01404001');
    expect(sim.requests).toHaveLength(3);
  });

  it('rejects a job removed with sim.cce.deleteJob while running with JobNotFoundError carrying lastJob', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Initializing' }, { phase: 'Running', polls: 50 }, { phase: 'Success' }] });
    const error = await rejectionOf(
      cce.waitForJob(uid, {
        ...FAST,
        onProgress: (job) => {
          if (job.state === 'running') sim.cce.deleteJob(uid);
        },
      }),
    );
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect((error as JobNotFoundError).lastJob?.state).toBe('running');
    expect((error as JobNotFoundError).message).toContain('outcome is unknown');
  });

  it('rejects a job never seen with JobNotFoundError at once, without lastJob', async () => {
    const error = await rejectionOf(cce.waitForJob('job-never', FAST));
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect((error as JobNotFoundError).lastJob).toBeUndefined();
    expect(sim.requests).toHaveLength(1);
  });

  it('rejects with JobTimeoutError carrying the 503 as cause when the 503 persists', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    sim.fault({ type: 'status', status: 503, path: uid, times: Infinity, body: { error_code: 'APIGW.0201', error_msg: 'Service unavailable.' } });
    const error = await rejectionOf(cce.waitForJob(uid, { ...FAST, timeoutMs: 80 }));
    expect(error).toBeInstanceOf(JobTimeoutError);
    const timeout = error as JobTimeoutError;
    expect(timeout.code).toBe('JOB_TIMEOUT');
    expect(timeout.jobId).toBe(uid);
    expect(timeout.lastJob).toBeUndefined();
    expect(timeout.cause).toBeInstanceOf(ApiError);
    expect((timeout.cause as ApiError).status).toBe(503);
    expect((timeout.cause as ApiError).vendorCode).toBe('APIGW.0201');
    expect(timeout.polls).toBeGreaterThanOrEqual(1);
    expect(timeout.message).toContain('Service unavailable.');
  });

  it('rejects with JobTimeoutError carrying the last running job when it never ends', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running', reason: 'still installing' }] });
    const error = await rejectionOf(cce.waitForJob(uid, { ...FAST, timeoutMs: 60 }));
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect((error as JobTimeoutError).lastJob?.message).toBe('still installing');
    expect((error as JobTimeoutError).cause).toBeUndefined();
  });

  it('ends the wait at once with AuthenticationError when the gateway refuses the token', async () => {
    sim.cce.auth = { token: 'tok-other-999' };
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    const error = await rejectionOf(cce.waitForJob(uid, { ...FAST, timeoutMs: 5_000 }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(sim.requests).toHaveLength(1);
  });

  it('ends the wait at once with the ApiError of a wrong endpoint (404 APIGW.0101)', async () => {
    sim.fault({ type: 'status', status: 404, path: 'job-x', times: Infinity, body: { error_code: 'APIGW.0101', error_msg: 'The API does not exist.' } });
    const error = await rejectionOf(cce.waitForJob('job-x', { ...FAST, timeoutMs: 5_000, notFoundGraceMs: 5_000 }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(JobNotFoundError);
    expect(sim.requests).toHaveLength(1);
  });

  it('ends the wait at once with InvalidResponseError when the job loses status.phase', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }, { phase: 'Success' }] });
    sim.fault({ type: 'status', status: 200, path: uid, body: { metadata: { uid }, status: {} } });
    const error = await rejectionOf(cce.waitForJob(uid, { ...FAST, timeoutMs: 5_000 }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(sim.requests).toHaveLength(1);
  });

  it.each([
    ['a slash', 'a/b'],
    ['a dot-dot segment', '..'],
    ['a query', 'a?b'],
    ['a control character', 'a\u0001'],
    ['an empty id', ''],
  ])('refuses a job id with %s in waitForJob and watchJob with InvalidArgumentError, sending nothing', async (_what, id) => {
    await expect(cce.waitForJob(id, FAST)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(
      (async () => {
        for await (const job of cce.watchJob(id, FAST)) void job;
      })(),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(sim.requests).toHaveLength(0);
  });
});
