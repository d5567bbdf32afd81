import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCasClient, type CasClient, type CasClientOptions, type CasJob } from '../../../adapters/cas/index.js';
import { startSimulator, type CasStep, type CasTaskScript, type Simulator } from '../../../src/testing/index.js';
import {
  ApiError,
  AuthenticationError,
  InvalidArgumentError,
  InvalidResponseError,
  JobCancelledError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  waitForJob,
} from '../../../src/index.js';
import { rejectionOf } from '../../helpers/promises.js';
import { CAS_DOCUMENTED_EXAMPLE } from '../../../adapters/cas/simulator.js';

const PROJECT = '063a3158b1a34710b36ad208b9497d00';
const TOKEN = 'tok-123456';
const FAST = Object.freeze({ minDelayMs: 2, maxDelayMs: 10 });
const THREE_TASKS: CasTaskScript[] = [{ TASK_NAME: 'prepare' }, { TASK_NAME: 'build' }, { TASK_NAME: 'deploy' }];

let sim: Simulator;
let cas: CasClient;
const clients: CasClient[] = [];

function connect(extra: Partial<CasClientOptions> = {}): CasClient {
  const client = createCasClient({ endpoint: sim.url, projectId: PROJECT, auth: { token: TOKEN }, retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 5 }, ...extra });
  clients.push(client);
  return client;
}

function manyTasks(count: number): CasTaskScript[] {
  return Array.from({ length: count }, (_, i) => ({ TASK_ID: `Task-${i + 1}`, TASK_NAME: `step-${i + 1}` }));
}

/** SUBMITTED, RUNNING (first task done), then `end` with the given task statuses. */
function lifecycle(end: string, endTasks: string[], endMessages?: string[]): CasStep[] {
  const last: CasStep = { status: end, taskStatuses: endTasks };
  if (endMessages) return [{ status: 'SUBMITTED' }, { status: 'RUNNING', taskStatuses: ['SUCCEEDED', 'RUNNING', 'SUBMITTED'] }, { ...last, taskMessages: endMessages }];
  return [{ status: 'SUBMITTED' }, { status: 'RUNNING', taskStatuses: ['SUCCEEDED', 'RUNNING', 'SUBMITTED'] }, last];
}

beforeEach(async () => {
  sim = await startSimulator();
  cas = connect();
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await sim.close();
});

describe('waitForJob follows a CAS job to its end', () => {
  it('resolves with the SUCCEEDED job after SUBMITTED and RUNNING', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: lifecycle('SUCCEEDED', ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']) });
    const seen: string[] = [];
    const job = await cas.waitForJob(id, { ...FAST, onProgress: (j) => seen.push(j.vendorState) });
    expect(seen).toEqual(['SUBMITTED', 'RUNNING', 'SUCCEEDED']);
    expect(job.state).toBe('succeeded');
    expect(job.vendorState).toBe('SUCCEEDED');
    expect(job.progress).toEqual({ completed: 3, total: 3 });
    expect(job.error).toBeUndefined();
    expect(sim.requests).toHaveLength(3);
  });

  it.each(['FAILED', 'PARTIALLY_FAILED', 'ROLLBACKED'])('rejects %s with JobFailedError carrying the job and its tasks', async (status) => {
    const id = sim.cas.addJob({
      tasks: THREE_TASKS,
      steps: lifecycle(status, ['SUCCEEDED', 'FAILED', 'SKIPPED'], ['{}', '{ "Message" : "ECC00042", "Detail" : "Deploy step broke." }', '{}']),
    });
    const seen: string[] = [];
    const error = await rejectionOf(cas.waitForJob(id, { ...FAST, onProgress: (j) => seen.push(j.vendorState) }));
    expect(error).toBeInstanceOf(JobFailedError);
    const failed = error as JobFailedError<CasJob['raw']>;
    expect(failed.code).toBe('JOB_FAILED');
    expect(seen).toEqual(['SUBMITTED', 'RUNNING', status]);
    expect(failed.job.id).toBe(id);
    expect(failed.job.state).toBe('failed');
    expect(failed.job.vendorState).toBe(status);
    expect(failed.job.error).toEqual({ code: 'ECC00042', message: 'Deploy step broke.', target: 'build' });
    expect(failed.job.tasks.map((t) => t.state)).toEqual(['succeeded', 'failed', 'skipped']);
    expect(failed.job.progress).toEqual({ completed: 3, total: 3 });
    expect(failed.message).toContain('Deploy step broke.');
    expect(failed.message).toContain('ECC00042');
  });

  it('rejects CANCELLED with JobCancelledError carrying the job', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: lifecycle('CANCELLED', ['SUCCEEDED', 'CANCELLED', 'CANCELLED']) });
    const error = await rejectionOf(cas.waitForJob(id, FAST));
    expect(error).toBeInstanceOf(JobCancelledError);
    expect(error).not.toBeInstanceOf(JobFailedError);
    const cancelled = error as JobCancelledError<CasJob['raw']>;
    expect(cancelled.code).toBe('JOB_CANCELLED');
    expect(cancelled.job.state).toBe('cancelled');
    expect(cancelled.job.vendorState).toBe('CANCELLED');
    expect(cancelled.job.tasks.map((t) => t.vendorState)).toEqual(['SUCCEEDED', 'CANCELLED', 'CANCELLED']);
    expect(cancelled.job.error).toBeUndefined();
  });

  it.each([
    ['FAILED', 'failed'],
    ['PARTIALLY_FAILED', 'failed'],
    ['ROLLBACKED', 'failed'],
    ['CANCELLED', 'cancelled'],
  ] as const)('resolves with the %s job when throwOnFailure is false', async (status, state) => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: lifecycle(status, ['SUCCEEDED', 'SUCCEEDED', status]) });
    const job = await cas.waitForJob(id, { ...FAST, throwOnFailure: false });
    expect(job.state).toBe(state);
    expect(job.vendorState).toBe(status);
    expect(job.tasks).toHaveLength(3);
  });

  it('passes through SCHEDULED and ROLLBACKING without ending the wait', async () => {
    const id = sim.cas.addJob({
      tasks: THREE_TASKS,
      steps: [{ status: 'SCHEDULED' }, { status: 'RUNNING' }, { status: 'ROLLBACKING', taskStatuses: ['SUCCEEDED', 'FAILED', 'ROLLBACKING'] }, { status: 'ROLLBACKED', taskStatuses: ['SUCCEEDED', 'FAILED', 'ROLLBACKED'] }],
    });
    const states: string[] = [];
    const job = await cas.waitForJob(id, { ...FAST, throwOnFailure: false, onProgress: (j) => states.push(j.state) });
    expect(states).toEqual(['queued', 'running', 'running', 'failed']);
    expect(job.vendorState).toBe('ROLLBACKED');
  });

  it('rejects the default script with JobFailedError at TN00097 with ECC00011', async () => {
    const id = sim.cas.addJob();
    const error = await rejectionOf(cas.waitForJob(id, FAST));
    expect(error).toBeInstanceOf(JobFailedError);
    const job = (error as JobFailedError<CasJob['raw']>).job;
    expect(job.error).toEqual({ code: 'ECC00011', message: 'Building failed.', target: 'TN00097' });
    expect(job.raw).toEqual(CAS_DOCUMENTED_EXAMPLE);
    expect(job.tasks).toHaveLength(5);
  });

  it('keeps polling through an unknown EXECUTION_STATUS until a known terminal one', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: [{ status: 'MIGRATING', polls: 2 }, { status: 'UNKNOWN' }, { status: 'SUCCEEDED' }] });
    const seen: [string, string][] = [];
    const job = await cas.waitForJob(id, { ...FAST, onProgress: (j) => seen.push([j.state, j.vendorState]) });
    expect(seen).toEqual([
      ['unknown', 'MIGRATING'],
      ['unknown', 'UNKNOWN'],
      ['succeeded', 'SUCCEEDED'],
    ]);
    expect(job.state).toBe('succeeded');
    expect(sim.requests).toHaveLength(4);
  });

  it('times out on a job stuck in an unknown status instead of taking it for an end', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: [{ status: 'UNKNOWN' }] });
    const error = await rejectionOf(cas.waitForJob(id, { ...FAST, timeoutMs: 60 }));
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect((error as JobTimeoutError).lastJob?.state).toBe('unknown');
    expect(sim.requests.length).toBeGreaterThan(1);
  });
});

describe('onProgress follows task changes, not only job state', () => {
  it('fires when task states and progress move while the job stays RUNNING, and only then', async () => {
    const id = sim.cas.addJob({
      tasks: THREE_TASKS,
      steps: [
        { status: 'RUNNING', taskStatuses: ['RUNNING', 'SUBMITTED', 'SUBMITTED'], polls: 2 },
        { status: 'RUNNING', taskStatuses: ['SUCCEEDED', 'RUNNING', 'SUBMITTED'], polls: 2 },
        { status: 'RUNNING', taskStatuses: ['SUCCEEDED', 'SUCCEEDED', 'RUNNING'] },
        { status: 'SUCCEEDED', taskStatuses: ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED'] },
      ],
    });
    const seen: CasJob[] = [];
    await cas.waitForJob(id, { ...FAST, onProgress: (j) => seen.push(j) });
    expect(sim.requests).toHaveLength(6);
    expect(seen.map((j) => j.vendorState)).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'SUCCEEDED']);
    expect(seen.map((j) => j.progress?.completed)).toEqual([0, 1, 2, 3]);
    expect(seen.map((j) => j.message)).toEqual(['prepare', 'build', 'deploy', undefined]);
    expect(seen.map((j) => j.tasks.map((t) => t.state).join(','))).toEqual([
      'running,queued,queued',
      'succeeded,running,queued',
      'succeeded,succeeded,running',
      'succeeded,succeeded,succeeded',
    ]);
  });

  it('fires when only a task message changes', async () => {
    const id = sim.cas.addJob({
      tasks: THREE_TASKS,
      steps: [
        { status: 'RUNNING', taskStatuses: ['RUNNING', 'SUBMITTED', 'SUBMITTED'] },
        { status: 'RUNNING', taskStatuses: ['RUNNING', 'SUBMITTED', 'SUBMITTED'], taskMessages: ['{"Detail":"50% copied"}'] },
        { status: 'SUCCEEDED' },
      ],
    });
    const seen: (string | undefined)[] = [];
    await cas.waitForJob(id, { ...FAST, onProgress: (j) => seen.push(j.tasks[0]?.message) });
    expect(seen).toEqual([undefined, '50% copied', undefined]);
  });

  it('fires when a task past the first page changes, for a job of 45 tasks read in 3 pages per poll', async () => {
    const all = (s: string): string[] => Array<string>(45).fill(s);
    const lastDone = all('RUNNING');
    lastDone[44] = 'SUCCEEDED';
    // Each poll's three pages, served in order: the same state twice, then the last task done twice, then the end.
    for (const [status, taskStatuses] of [['RUNNING', all('RUNNING')], ['RUNNING', all('RUNNING')], ['RUNNING', lastDone], ['RUNNING', lastDone], ['SUCCEEDED', all('SUCCEEDED')]] as const) {
      for (const offset of [0, 20, 40]) {
        const tasks = taskStatuses.slice(offset, offset + 20).map((s, i) => ({ TASK_ID: `Task-${offset + i + 1}`, TASK_INDEX: offset + i + 1, TASK_STATUS: s }));
        sim.fault({ type: 'raw', path: new RegExp(`[?&]offset=${offset}(&|$)`), contentType: 'application/json', body: JSON.stringify({ job: { JOB_ID: 'JOB-45', EXECUTION_STATUS: status }, tasks, task_count: 45 }) });
      }
    }
    const seen: (number | undefined)[] = [];
    const job = await cas.waitForJob('JOB-45', { ...FAST, onProgress: (j) => seen.push(j.progress?.completed) });
    expect(sim.requests).toHaveLength(15);
    expect(seen).toEqual([0, 1, 45]);
    expect(job.tasks).toHaveLength(45);
    expect(job.state).toBe('succeeded');
  });
});

describe('a CAS wait passes instanceId to every request', () => {
  it('sends instance_id on every page of every poll of waitForJob', async () => {
    const id = sim.cas.addJob({ tasks: manyTasks(45), steps: [{ status: 'RUNNING' }, { status: 'SUCCEEDED' }] });
    const job = await cas.waitForJob(id, { ...FAST, instanceId: 'inst-429a35a0' });
    expect(job.state).toBe('succeeded');
    expect(sim.requests.map((r) => [r.query.get('offset'), r.query.get('instance_id')])).toEqual([
      ['0', 'inst-429a35a0'],
      ['20', 'inst-429a35a0'],
      ['40', 'inst-429a35a0'],
      ['0', 'inst-429a35a0'],
      ['20', 'inst-429a35a0'],
      ['40', 'inst-429a35a0'],
    ]);
  });

  it('sends instance_id on every poll of watchJob and yields each change', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: lifecycle('SUCCEEDED', ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']) });
    const states: string[] = [];
    for await (const job of cas.watchJob(id, { ...FAST, instanceId: 'inst-7' })) states.push(job.vendorState);
    expect(states).toEqual(['SUBMITTED', 'RUNNING', 'SUCCEEDED']);
    expect(sim.requests).toHaveLength(3);
    expect(sim.requests.every((r) => r.query.get('instance_id') === 'inst-7')).toBe(true);
  });

  it('ends a wait with instanceId at once when the client is closed, even while it sleeps', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: [{ status: 'RUNNING', polls: 1_000 }] });
    const seen: string[] = [];
    const waiting = rejectionOf(cas.waitForJob(id, { minDelayMs: 1_000, maxDelayMs: 1_000, instanceId: 'inst-9', onProgress: (j) => seen.push(j.vendorState) }));
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const closed = performance.now();
    await cas.close();
    const error = await waiting;
    expect(error).toMatchObject({ name: 'ClientClosedError', code: 'CLIENT_CLOSED', jobId: id });
    expect(performance.now() - closed).toBeLessThan(500);
  });

  it('does not send instance_id when none is given', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: [{ status: 'RUNNING' }, { status: 'SUCCEEDED' }] });
    await cas.waitForJob(id, FAST);
    expect(sim.requests).toHaveLength(2);
    expect(sim.requests.some((r) => r.query.has('instance_id'))).toBe(false);
  });

  it('stops polling when the watchJob loop breaks', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: [{ status: 'RUNNING', polls: 100 }] });
    let count = 0;
    for await (const job of cas.watchJob(id, FAST)) {
      expect(job.state).toBe('running');
      count++;
      break;
    }
    expect(count).toBe(1);
    const after = sim.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sim.requests.length).toBe(after);
  });

  it('yields a failed job from watchJob instead of throwing', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: [{ status: 'RUNNING' }, { status: 'FAILED', taskStatuses: ['SUCCEEDED', 'FAILED', 'SKIPPED'] }] });
    const seen: string[] = [];
    for await (const job of cas.watchJob(id, FAST)) seen.push(job.state);
    expect(seen).toEqual(['running', 'failed']);
  });

  it('reports a hostile instanceId in waitForJob as a rejected promise, not a synchronous throw, and sends nothing', async () => {
    const id = sim.cas.addJob();
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = cas.waitForJob(id, { ...FAST, instanceId: '../admin' });
    }).not.toThrow();
    expect(await rejectionOf(promise ?? Promise.resolve())).toBeInstanceOf(InvalidArgumentError);
    expect(sim.requests).toHaveLength(0);
  });

  it.each(['../admin', 'a/b', 'x?y=1', 'x#y', '50%', 'a b', 'a\nb', '', 'i'.repeat(10 * 1024)])('refuses the instanceId %j in watchJob and waitForJob before any request', async (instanceId) => {
    const id = sim.cas.addJob();
    expect(() => cas.watchJob(id, { ...FAST, instanceId })).toThrow(InvalidArgumentError);
    const outcome = await rejectionOf(
      (async () => {
        await cas.waitForJob(id, { ...FAST, instanceId });
      })(),
    );
    expect(outcome).toBeInstanceOf(InvalidArgumentError);
    expect(sim.requests).toHaveLength(0);
  });
});

describe('a CAS wait ends on missing jobs and permanent errors', () => {
  it('rejects an unknown job with JobNotFoundError without lastJob', async () => {
    const error = await rejectionOf(cas.waitForJob('JOB-missing', FAST));
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect((error as JobNotFoundError).lastJob).toBeUndefined();
    expect(sim.requests).toHaveLength(1);
  });

  it('waits through a job not visible yet within notFoundGraceMs', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, hiddenForPolls: 2, steps: [{ status: 'SUCCEEDED' }] });
    const job = await cas.waitForJob(id, { ...FAST, notFoundGraceMs: 5_000 });
    expect(job.state).toBe('succeeded');
    expect(sim.requests).toHaveLength(3);
  });

  it('rejects a job that was seen and then deleted (deleteAfterPolls) with JobNotFoundError carrying lastJob', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: [{ status: 'RUNNING' }, { status: 'SUCCEEDED' }], deleteAfterPolls: 0 });
    const error = await rejectionOf(cas.waitForJob(id, FAST));
    expect(error).toBeInstanceOf(JobNotFoundError);
    const notFound = error as JobNotFoundError<CasJob['raw']>;
    expect(notFound.jobId).toBe(id);
    expect(notFound.lastJob?.id).toBe(id);
    expect(notFound.lastJob?.vendorState).toBe('RUNNING');
    expect(notFound.lastJob?.tasks).toHaveLength(3);
    expect(notFound.message).toContain('vanished');
  });

  it('rejects a job deleted with deleteJob during the wait with JobNotFoundError carrying lastJob', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: [{ status: 'RUNNING' }] });
    const error = await rejectionOf(cas.waitForJob(id, { ...FAST, onProgress: () => sim.cas.deleteJob(id) }));
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect((error as JobNotFoundError<CasJob['raw']>).lastJob?.state).toBe('running');
    expect(sim.requests).toHaveLength(2);
  });

  it('ends at once on SVCSTG.00100400 with an ApiError', async () => {
    const id = sim.cas.addJob();
    sim.fault({ type: 'status', status: 400, body: { error_code: 'SVCSTG.00100400', error_msg: 'Bad request.' } });
    const error = await rejectionOf(cas.waitForJob(id, FAST));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).vendorCode).toBe('SVCSTG.00100400');
    expect(sim.requests).toHaveLength(1);
  });

  it('ends at once on a 401 of the gateway with AuthenticationError', async () => {
    const id = sim.cas.addJob();
    sim.cas.auth = { token: 'other' };
    const error = await rejectionOf(cas.waitForJob(id, FAST));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(sim.requests).toHaveLength(1);
  });

  it('ends at once on a page that fails its schema with InvalidResponseError', async () => {
    sim.fault({ type: 'raw', contentType: 'application/json', body: JSON.stringify({ job: { JOB_ID: 'JOB-x' }, tasks: [] }), times: 10 });
    const error = await rejectionOf(cas.waitForJob('JOB-x', FAST));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(sim.requests).toHaveLength(1);
  });

  it('retries a 503 and still reaches the end', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: [{ status: 'SUCCEEDED' }] });
    sim.fault({ type: 'status', status: 503, body: { error_code: 'SVCSTG.00100500', error_msg: 'busy' }, times: 3 });
    const job = await cas.waitForJob(id, FAST);
    expect(job.state).toBe('succeeded');
    expect(sim.requests.length).toBe(4);
  });

  it('works through the standalone waitForJob with the CAS client as its source', async () => {
    const id = sim.cas.addJob({ tasks: THREE_TASKS, steps: lifecycle('SUCCEEDED', ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']) });
    const job = await waitForJob(cas, id, FAST);
    expect(job.state).toBe('succeeded');
    expect(sim.requests).toHaveLength(3);
  });
});
