import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { createCasClient, type CasClient, type CasClientOptions, type CasJob } from '../../../adapters/cas/index.js';
import { startSimulator, type CasTaskScript, type Simulator } from '../../../src/testing/index.js';
import { ApiError, AuthenticationError, InvalidArgumentError, InvalidResponseError, JobNotFoundError } from '../../../src/index.js';
import { CAS_DOCUMENTED_TEXT, CAS_EXECUTION_TABLE } from '../../fixtures/vendor-examples.js';
import { rejectionOf } from '../../helpers/promises.js';
import { CAS_DOCUMENTED_EXAMPLE } from '../../../adapters/cas/simulator.js';

const PROJECT = '063a3158b1a34710b36ad208b9497d00';
const TOKEN = 'tok-123456';
const ACCESS_KEY = 'HPUAL3XZ2KQ7EXAMPLE';
const SECRET_KEY = 'sk-Zq9vW2mN8rT4yB6cEXAMPLEsecret';
const DOC_JOB_ID = CAS_DOCUMENTED_EXAMPLE.job.JOB_ID;

/** The "Example response" of Huawei's "Obtaining Job Details" page, byte for byte. */
const DOCUMENTED_RESPONSE_TEXT = CAS_DOCUMENTED_TEXT;

let sim: Simulator;
const clients: CasClient[] = [];

function connect(extra: Partial<CasClientOptions> = {}): CasClient {
  const client = createCasClient({ endpoint: sim.url, projectId: PROJECT, auth: { token: TOKEN }, retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 5 }, ...extra });
  clients.push(client);
  return client;
}

function manyTasks(count: number): CasTaskScript[] {
  return Array.from({ length: count }, (_, i) => ({ TASK_ID: `Task-${i + 1}`, TASK_NAME: `step-${i + 1}`, TASK_TYPE: 'restful' }));
}

/** The job requests the simulator saw, as [offset, limit, instance_id]. */
function pages(): [string | null, string | null, string | null][] {
  return sim.requests.filter((r) => r.path.includes('/cas/jobs/')).map((r) => [r.query.get('offset'), r.query.get('limit'), r.query.get('instance_id')]);
}

function rawBody(body: unknown, times = 1): void {
  sim.fault({ type: 'raw', body: typeof body === 'string' ? body : JSON.stringify(body), contentType: 'application/json', times });
}

let cas: CasClient;
beforeEach(async () => {
  sim = await startSimulator();
  cas = connect();
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await sim.close();
});

function expectDocumentedJob(job: CasJob): void {
  expect(job.vendor).toBe('cas');
  expect(job.id).toBe(DOC_JOB_ID);
  expect(job.type).toBe('PROVISION');
  expect(job.description).toBe('provision/provMain');
  expect(job.state).toBe('failed');
  expect(job.vendorState).toBe('FAILED');
  expect(job.error).toEqual({ code: 'ECC00011', message: 'Building failed.', target: 'TN00097' });
  expect(job.message).toBe('Building failed.');
  expect(job.progress).toEqual({ completed: 5, total: 5 });
  expect(job.tasks.map((t) => [t.index, t.name, t.type, t.state, t.vendorState])).toEqual([
    [1, 'SEPARATOR_PREPARE_RESOURCES', 'echo', 'succeeded', 'SUCCEEDED'],
    [4, 'SEPARATOR_BUILDING', 'echo', 'succeeded', 'SUCCEEDED'],
    [6, 'TN00091', 'restful', 'succeeded', 'SUCCEEDED'],
    [7, 'TN00094', 'restful', 'succeeded', 'SUCCEEDED'],
    [9, 'TN00097', 'restful', 'failed', 'FAILED'],
  ]);
  expect(job.tasks.map((t) => t.id)).toEqual(CAS_DOCUMENTED_EXAMPLE.tasks.map((t) => t.TASK_ID));
  const failed = job.tasks[4];
  expect(failed?.message).toBe('Building failed.');
  expect(failed?.error).toEqual({ code: 'ECC00011', message: 'Building failed.', target: 'TN00097' });
  for (const task of job.tasks.slice(0, 4)) {
    expect(task.message).toBeUndefined();
    expect(task.error).toBeUndefined();
    expect(task.tasks).toEqual([]);
  }
  expect(job.tasks[2]?.createdAt).toEqual(new Date('2020-02-04T04:01:03.346Z'));
  expect(job.tasks[2]?.updatedAt).toEqual(new Date('2020-02-04T04:01:08.924Z'));
  expect(failed?.createdAt).toEqual(new Date('2020-02-04T04:01:08.962Z'));
  expect(failed?.updatedAt).toEqual(new Date('2020-02-04T04:01:38.975Z'));
  expect(job.startedAt).toEqual(new Date('2020-02-04T04:01:03.344Z'));
  expect(job.updatedAt).toEqual(new Date('2020-02-04T04:01:38.975Z'));
  expect(job.endedAt).toEqual(new Date('2020-02-04T04:01:38.975Z'));
  // raw: the validated payload, complete and typed
  expect(job.raw).toEqual(CAS_DOCUMENTED_EXAMPLE);
  expectTypeOf(job.raw.job.JOB_ID).toEqualTypeOf<string>();
  expectTypeOf(job.raw.job.EXECUTION_STATUS).toEqualTypeOf<string>();
  expectTypeOf(job.raw.tasks[0]!.TASK_INDEX).toEqualTypeOf<number | undefined>();
  expectTypeOf(job.raw.task_count).toEqualTypeOf<number | undefined>();
  expect(job.raw.job.SERVICE_INSTANCE_ID).toBe('429a35a0-dee8-4648-86f6-d1f8bc74ba52');
  expect(job.raw.job.ORDER_ID).toBe('');
  expect(job.raw.tasks[4]?.OWNER_ID).toBe('cas-mgr-69bb87d7c-wpqwb:30114');
}

describe('getJob reads the documented example response', () => {
  it('normalizes the documented example served verbatim', async () => {
    rawBody(DOCUMENTED_RESPONSE_TEXT);
    expect(JSON.parse(DOCUMENTED_RESPONSE_TEXT)).toEqual(CAS_DOCUMENTED_EXAMPLE);
    expectDocumentedJob(await cas.getJob(DOC_JOB_ID));
  });

  it('normalizes the last step of the default script the same way', async () => {
    const id = sim.cas.addJob();
    expect((await cas.getJob(id)).vendorState).toBe('SUBMITTED');
    expect((await cas.getJob(id)).vendorState).toBe('RUNNING');
    expectDocumentedJob(await cas.getJob(id));
  });

  it('sends one GET to /v2/{project_id}/cas/jobs/{job_id} with limit, offset and the token', async () => {
    const id = sim.cas.addJob();
    await cas.getJob(id);
    expect(sim.requests).toHaveLength(1);
    const [request] = sim.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe(`/v2/${PROJECT}/cas/jobs/${DOC_JOB_ID}`);
    expect(request?.query.get('limit')).toBe('20');
    expect(request?.query.get('offset')).toBe('0');
    expect(request?.query.has('instance_id')).toBe(false);
    expect(request?.headers['x-auth-token']).toBe(TOKEN);
    expect(request?.headers['authorization']).toBeUndefined();
  });

  it('keeps a base path of the endpoint in front of /v2', async () => {
    const prefixed = connect({ endpoint: `${sim.url}/gateway/` });
    sim.fault({ type: 'raw', body: DOCUMENTED_RESPONSE_TEXT, contentType: 'application/json' });
    await prefixed.getJob(DOC_JOB_ID);
    expect(sim.requests[0]?.path).toBe(`/gateway/v2/${PROJECT}/cas/jobs/${DOC_JOB_ID}`);
  });
});

describe('getJob maps EXECUTION_STATUS and TASK_STATUS', () => {
  it.each([...CAS_EXECUTION_TABLE, ['MIGRATING', 'unknown'], ['SKIPPED', 'unknown']] as const)('maps the EXECUTION_STATUS %s to %s and keeps the vendor word', async (status, state) => {
    const id = sim.cas.addJob({ steps: [{ status, taskStatuses: ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED'] }] });
    const job = await cas.getJob(id);
    expect(job.state).toBe(state);
    expect(job.vendorState).toBe(status);
  });

  it('maps every TASK_STATUS, SKIPPED included, and counts terminal tasks as completed', async () => {
    // API.md's table, then the task-only SKIPPED and a word no table has.
    const expected = [...CAS_EXECUTION_TABLE, ['SKIPPED', 'skipped'], ['WEIRD', 'unknown']];
    const words = expected.map(([word]) => word as string);
    const id = sim.cas.addJob({ tasks: words.map((w) => ({ TASK_NAME: w.toLowerCase() })), steps: [{ status: 'RUNNING', taskStatuses: words }] });
    const job = await cas.getJob(id);
    expect(job.tasks.map((t) => [t.vendorState, t.state])).toEqual(expected);
    // SUCCEEDED, FAILED, PARTIALLY_FAILED, ROLLBACKED, CANCELLED, SKIPPED
    expect(job.progress).toEqual({ completed: 6, total: 12 });
  });

  it('names the running task in the message of a running job', async () => {
    const id = sim.cas.addJob({ steps: [{ status: 'RUNNING', taskStatuses: ['SUCCEEDED', 'SUCCEEDED', 'RUNNING', 'SUBMITTED', 'SUBMITTED'] }] });
    const job = await cas.getJob(id);
    expect(job.message).toBe('TN00091');
    expect(job.progress).toEqual({ completed: 2, total: 5 });
    expect(job.error).toBeUndefined();
    expect(job.endedAt).toBeUndefined();
  });
});

describe('getJob accepts both key cases', () => {
  it('gives the same job for lower_case keys as for UPPER_CASE keys', async () => {
    const script = { steps: [{ status: 'FAILED', taskStatuses: ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'FAILED'], taskMessages: CAS_DOCUMENTED_EXAMPLE.tasks.map((t) => t.MESSAGES) }] };
    const upperId = sim.cas.addJob(script);
    const upper = await cas.getJob(upperId);
    sim.cas.reset();
    const lowerId = sim.cas.addJob({ ...script, lowerCaseKeys: true });
    expect(lowerId).toBe(upperId);
    const lower = await cas.getJob(lowerId);
    expect(lower).toEqual(upper);
    expectDocumentedJob(lower);
    expect(sim.requests[1]?.fault).toBeUndefined();
  });

  it('reads a page whose keys mix cases everywhere, envelope included', async () => {
    rawBody({
      Task_Count: 2,
      JOB: { Job_Id: 'JOB-mixed', execution_STATUS: 'RUNNING', job_type: 'DAILY_OPERATION', Job_Name: 'upgrade' },
      Tasks: [
        { task_id: 'T-2', Task_Status: 'RUNNING', TASK_index: 2, task_name: 'second', Messages: '{"message":"E9","detail":"working"}' },
        { TASK_ID: 'T-1', task_status: 'SUCCEEDED', Task_Index: '1', TASK_NAME: 'first', created_at: '2024-01-02T03:04:05Z' },
      ],
    });
    const job = await cas.getJob('JOB-mixed');
    expect(job.id).toBe('JOB-mixed');
    expect(job.state).toBe('running');
    expect(job.type).toBe('DAILY_OPERATION');
    expect(job.description).toBe('upgrade');
    expect(job.tasks.map((t) => [t.id, t.index, t.name, t.state])).toEqual([
      ['T-1', 1, 'first', 'succeeded'],
      ['T-2', 2, 'second', 'running'],
    ]);
    expect(job.tasks[1]?.message).toBe('working');
    expect(job.tasks[0]?.createdAt).toEqual(new Date('2024-01-02T03:04:05Z'));
    expect(job.progress).toEqual({ completed: 1, total: 2 });
    expect(job.raw.job.JOB_ID).toBe('JOB-mixed');
  });

  it('lets unknown fields through at every level and keeps them in raw', async () => {
    rawBody({
      request_id: 'abc',
      job: { JOB_ID: 'JOB-x', EXECUTION_STATUS: 'SUCCEEDED', NEW_FIELD: { nested: [1, 2] } },
      tasks: [{ TASK_ID: 'T-1', TASK_STATUS: 'SUCCEEDED', EXTRA: 42 }],
      task_count: 1,
    });
    const job = await cas.getJob('JOB-x');
    expect(job.state).toBe('succeeded');
    expect(job.raw['request_id']).toBe('abc');
    expect(job.raw.job['NEW_FIELD']).toEqual({ nested: [1, 2] });
    expect(job.raw.tasks[0]?.['EXTRA']).toBe(42);
  });

  it.each([
    ['JOB_ID', { job: { EXECUTION_STATUS: 'RUNNING' }, tasks: [] }],
    ['JOB_ID', { job: { JOB_ID: '', EXECUTION_STATUS: 'RUNNING' }, tasks: [] }],
    ['EXECUTION_STATUS', { job: { JOB_ID: 'JOB-x' }, tasks: [] }],
    ['TASK_ID', { job: { JOB_ID: 'JOB-x', EXECUTION_STATUS: 'RUNNING' }, tasks: [{ TASK_STATUS: 'RUNNING' }] }],
    ['TASK_STATUS', { job: { JOB_ID: 'JOB-x', EXECUTION_STATUS: 'RUNNING' }, tasks: [{ TASK_ID: 'T-1' }] }],
    ['job', { tasks: [] }],
  ])('rejects a page without a usable %s with InvalidResponseError', async (field, body) => {
    rawBody(body);
    const error = await rejectionOf(cas.getJob('JOB-x'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    const issues = (error as InvalidResponseError).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((issue) => issue.path.includes(field))).toBe(true);
    expect((error as InvalidResponseError).status).toBe(200);
    expect(sim.requests).toHaveLength(1);
  });

  it('maps an unknown EXECUTION_STATUS to unknown and keeps the word', async () => {
    rawBody({ job: { JOB_ID: 'JOB-x', EXECUTION_STATUS: 'HIBERNATING' }, tasks: [{ TASK_ID: 'T-1', TASK_STATUS: 'DREAMING' }], task_count: 1 });
    const job = await cas.getJob('JOB-x');
    expect(job.state).toBe('unknown');
    expect(job.vendorState).toBe('HIBERNATING');
    expect(job.tasks[0]?.state).toBe('unknown');
    expect(job.tasks[0]?.vendorState).toBe('DREAMING');
  });
});

describe('getJob reads every page of tasks', () => {
  it('reads a job of 45 tasks in 3 requests of 20 and returns them all, sorted by index', async () => {
    const id = sim.cas.addJob({ tasks: manyTasks(45).reverse().map((t, i) => ({ ...t, TASK_INDEX: 45 - i })), steps: [{ status: 'RUNNING', taskStatuses: Array<string>(45).fill('RUNNING') }] });
    const job = await cas.getJob(id);
    expect(pages()).toEqual([
      ['0', '20', null],
      ['20', '20', null],
      ['40', '20', null],
    ]);
    expect(job.tasks).toHaveLength(45);
    expect(job.tasks.map((t) => t.index)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(job.tasks.map((t) => t.id)).toEqual(Array.from({ length: 45 }, (_, i) => `Task-${i + 1}`));
    expect(job.raw.tasks).toHaveLength(45);
    expect(job.raw.task_count).toBe(45);
    expect(job.progress).toEqual({ completed: 0, total: 45 });
  });

  it('reads 3 pages on every poll, not only the first', async () => {
    const id = sim.cas.addJob({ tasks: manyTasks(45), steps: [{ status: 'RUNNING' }, { status: 'SUCCEEDED' }] });
    await cas.getJob(id);
    await cas.getJob(id);
    expect(pages().map(([offset]) => offset)).toEqual(['0', '20', '40', '0', '20', '40']);
  });

  it('sorts tasks that arrive out of index order', async () => {
    rawBody({
      job: { JOB_ID: 'JOB-x', EXECUTION_STATUS: 'RUNNING' },
      tasks: [
        { TASK_ID: 'T-c', TASK_STATUS: 'RUNNING', TASK_INDEX: 12 },
        { TASK_ID: 'T-none', TASK_STATUS: 'SUBMITTED' },
        { TASK_ID: 'T-a', TASK_STATUS: 'SUCCEEDED', TASK_INDEX: 3 },
        { TASK_ID: 'T-b', TASK_STATUS: 'SUCCEEDED', TASK_INDEX: 7 },
      ],
      task_count: 4,
    });
    const job = await cas.getJob('JOB-x');
    expect(job.tasks.map((t) => t.id)).toEqual(['T-a', 'T-b', 'T-c', 'T-none']);
  });

  it('asks for taskPageSize tasks per request', async () => {
    const paged = connect({ taskPageSize: 7 });
    const id = sim.cas.addJob({ tasks: manyTasks(45), steps: [{ status: 'RUNNING' }] });
    const job = await paged.getJob(id);
    expect(pages()).toEqual(['0', '7', '14', '21', '28', '35', '42'].map((offset) => [offset, '7', null]));
    expect(job.tasks).toHaveLength(45);
  });

  it('reads a job of exactly one page in a single request', async () => {
    const id = sim.cas.addJob({ tasks: manyTasks(20), steps: [{ status: 'RUNNING' }] });
    expect((await cas.getJob(id)).tasks).toHaveLength(20);
    expect(pages()).toHaveLength(1);
  });

  it('refuses a server that repeats the same page with InvalidResponseError instead of a partial task list', async () => {
    const body = {
      job: { JOB_ID: 'JOB-loop', EXECUTION_STATUS: 'RUNNING' },
      tasks: [
        { TASK_ID: 'T-1', TASK_STATUS: 'SUCCEEDED', TASK_INDEX: 1 },
        { TASK_ID: 'T-2', TASK_STATUS: 'RUNNING', TASK_INDEX: 2 },
        { TASK_ID: 'T-3', TASK_STATUS: 'SUBMITTED', TASK_INDEX: 3 },
      ],
      task_count: 10,
    };
    rawBody(body, 50);
    const error = await rejectionOf(cas.getJob('JOB-loop'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/3 of the 10 tasks/);
    expect(sim.requests).toHaveLength(2);
  });

  it('refuses a page with zero tasks before task_count tasks are in with InvalidResponseError', async () => {
    const id = sim.cas.addJob({ tasks: manyTasks(45), steps: [{ status: 'RUNNING' }] });
    sim.fault({
      type: 'raw',
      path: /offset=20/,
      contentType: 'application/json',
      body: JSON.stringify({ job: { JOB_ID: id, EXECUTION_STATUS: 'RUNNING' }, tasks: [], task_count: 45 }),
    });
    const error = await rejectionOf(cas.getJob(id));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/20 of the 45 tasks/);
    expect(pages().map(([offset]) => offset)).toEqual(['0', '20']);
  });

  it('reads past 500 pages: 520 tasks one a page, the failed last task\'s ECC00011 found', { timeout: 30_000 }, async () => {
    const tasks = manyTasks(520);
    const statuses = tasks.map((_, i) => (i === 519 ? 'FAILED' : 'SUCCEEDED'));
    const messages = tasks.map((_, i) => (i === 519 ? '{ "Message" : "ECC00011", "Detail" : "Building failed." }' : '{}'));
    const id = sim.cas.addJob({ tasks, steps: [{ status: 'FAILED', taskStatuses: statuses, taskMessages: messages }] });
    const job = await connect({ taskPageSize: 1 }).getJob(id);
    expect(pages()).toHaveLength(520);
    expect(job.tasks).toHaveLength(520);
    expect(job.progress).toEqual({ completed: 520, total: 520 });
    expect(job.error).toEqual({ code: 'ECC00011', message: 'Building failed.', target: 'step-520' });
  });

  it('refuses a task_count above maxTasks after the first page, without reading on', async () => {
    rawBody({ job: { JOB_ID: 'JOB-huge', EXECUTION_STATUS: 'RUNNING' }, tasks: manyTasks(20).map((t) => ({ ...t, TASK_STATUS: 'RUNNING' })), task_count: 1_000_000_000 }, 5);
    const error = await rejectionOf(cas.getJob('JOB-huge'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/task_count 1000000000 is above maxTasks \(100000\)/);
    expect(sim.requests).toHaveLength(1);
  });

  it('refuses a job whose pages hold more than maxTasks tasks when the server gives no task_count', async () => {
    const capped = connect({ maxTasks: 25, taskPageSize: 10 });
    for (let page = 0; page < 5; page++) {
      rawBody({ job: { JOB_ID: 'JOB-endless', EXECUTION_STATUS: 'RUNNING' }, tasks: manyTasks(10).map((t, i) => ({ ...t, TASK_ID: `T-${page}-${i}`, TASK_STATUS: 'RUNNING' })) });
    }
    const error = await rejectionOf(capped.getJob('JOB-endless'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/more than maxTasks \(25\)/);
    expect(sim.requests).toHaveLength(3);
  });

  it('keeps every task sent when task_count is smaller, and reads no further page', async () => {
    rawBody({ job: { JOB_ID: 'JOB-x', EXECUTION_STATUS: 'RUNNING' }, tasks: manyTasks(20).map((t) => ({ ...t, TASK_STATUS: 'SUCCEEDED' })), task_count: 5 }, 5);
    const job = await cas.getJob('JOB-x');
    expect(sim.requests).toHaveLength(1);
    expect(job.tasks).toHaveLength(20);
    expect(job.progress).toEqual({ completed: 20, total: 20 });
  });

  it.each([0, -1, 1.5, 1_000_001, Number.NaN, '100'])('refuses the maxTasks %s with InvalidArgumentError', (max) => {
    expect(() => createCasClient({ endpoint: sim.url, projectId: PROJECT, auth: { token: TOKEN }, maxTasks: max as number })).toThrow(InvalidArgumentError);
  });

  it('stops after a short page when the server gives no task_count', async () => {
    rawBody({ job: { JOB_ID: 'JOB-x', EXECUTION_STATUS: 'RUNNING' }, tasks: [{ TASK_ID: 'T-1', TASK_STATUS: 'RUNNING' }] }, 5);
    const job = await cas.getJob('JOB-x');
    expect(sim.requests).toHaveLength(1);
    expect(job.tasks).toHaveLength(1);
    expect(job.progress).toEqual({ completed: 0, total: 1 });
  });

  it('sends instanceId as instance_id on every page', async () => {
    const id = sim.cas.addJob({ tasks: manyTasks(45), steps: [{ status: 'RUNNING' }] });
    await cas.getJob(id, { instanceId: 'inst-429a35a0' });
    expect(pages()).toEqual([
      ['0', '20', 'inst-429a35a0'],
      ['20', '20', 'inst-429a35a0'],
      ['40', '20', 'inst-429a35a0'],
    ]);
  });

  it.each([0, -1, 1.5, 1001, Number.NaN, Infinity, '20'])('refuses the taskPageSize %s with InvalidArgumentError', (size) => {
    expect(() => createCasClient({ endpoint: sim.url, projectId: PROJECT, auth: { token: TOKEN }, taskPageSize: size as number })).toThrow(InvalidArgumentError);
  });

  it('accepts taskPageSize from 1 to 1000', async () => {
    const one = connect({ taskPageSize: 1 });
    const id = sim.cas.addJob({ tasks: manyTasks(3), steps: [{ status: 'RUNNING' }] });
    expect((await one.getJob(id)).tasks).toHaveLength(3);
    expect(pages().map(([offset, limit]) => `${offset}/${limit}`)).toEqual(['0/1', '1/1', '2/1']);
    expect(() => connect({ taskPageSize: 1000 })).not.toThrow();
  });
});

describe('getJob turns error answers into typed errors', () => {
  it('turns SVCSTG.00100429 for an unknown job into JobNotFoundError', async () => {
    const error = await rejectionOf(cas.getJob('JOB-missing'));
    expect(error).toBeInstanceOf(JobNotFoundError);
    const notFound = error as JobNotFoundError;
    expect(notFound.code).toBe('JOB_NOT_FOUND');
    expect(notFound.jobId).toBe('JOB-missing');
    expect(notFound.lastJob).toBeUndefined();
    expect(notFound.cause).toBeInstanceOf(ApiError);
    expect((notFound.cause as ApiError).vendorCode).toBe('SVCSTG.00100429');
    expect((notFound.cause as ApiError).status).toBe(404);
    expect(sim.requests).toHaveLength(1);
  });

  it('turns a job deleted with deleteJob into JobNotFoundError', async () => {
    const id = sim.cas.addJob({ steps: [{ status: 'RUNNING' }] });
    await cas.getJob(id);
    sim.cas.deleteJob(id);
    await expect(cas.getJob(id)).rejects.toBeInstanceOf(JobNotFoundError);
  });

  it('turns SVCSTG.00100400 into an ApiError with the vendor code, message and request id', async () => {
    sim.fault({ type: 'status', status: 400, body: { error_code: 'SVCSTG.00100400', error_msg: 'Invalid request parameter.' }, headers: { 'x-request-id': 'req-7f3a9c' } });
    const error = await rejectionOf(cas.getJob('JOB-x'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(JobNotFoundError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    const api = error as ApiError;
    expect(api.code).toBe('API_ERROR');
    expect(api.status).toBe(400);
    expect(api.vendorCode).toBe('SVCSTG.00100400');
    expect(api.vendorMessage).toBe('Invalid request parameter.');
    expect(api.requestId).toBe('req-7f3a9c');
    expect(api.method).toBe('GET');
    expect(api.url).toContain(`/v2/${PROJECT}/cas/jobs/JOB-x`);
    expect(sim.requests).toHaveLength(1);
  });

  it('takes a 404 from the API gateway itself for a wrong endpoint, not a missing job', async () => {
    sim.fault({ type: 'status', status: 404, body: { error_code: 'APIGW.0101', error_msg: 'The API does not exist or has not been published in the environment' } });
    const error = await rejectionOf(cas.getJob('JOB-x'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(JobNotFoundError);
    expect((error as ApiError).vendorCode).toBe('APIGW.0101');
  });

  it('turns a 401 of the gateway into AuthenticationError without leaking the token', async () => {
    const id = sim.cas.addJob();
    sim.cas.auth = { token: 'other' };
    const error = await rejectionOf(cas.getJob(id));
    expect(error).toBeInstanceOf(AuthenticationError);
    const auth = error as AuthenticationError;
    expect(auth.code).toBe('AUTHENTICATION');
    expect(auth.status).toBe(401);
    expect(auth.vendorCode).toBe('APIGW.0301');
    expect(sim.requests).toHaveLength(1);
    expect(`${auth.message} ${inspect(auth)} ${JSON.stringify(auth)}`).not.toContain(TOKEN);
  });

  it('passes the gateway with the matching token', async () => {
    const id = sim.cas.addJob();
    sim.cas.auth = { token: TOKEN };
    expect((await cas.getJob(id)).id).toBe(id);
  });
});

describe('getJob signs requests with AK/SK', () => {
  it('passes a gateway that verifies SDK-HMAC-SHA256 signatures, on every page and with instance_id', async () => {
    sim.cas.auth = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY };
    const signed = connect({ auth: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY } });
    const id = sim.cas.addJob({ tasks: manyTasks(45), steps: [{ status: 'RUNNING' }] });
    const job = await signed.getJob(id, { instanceId: 'inst-1' });
    expect(job.tasks).toHaveLength(45);
    expect(sim.requests).toHaveLength(3);
    for (const request of sim.requests) {
      expect(request.headers['authorization']).toMatch(new RegExp(`^SDK-HMAC-SHA256 Access=${ACCESS_KEY}, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`));
      expect(request.headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
      expect(request.headers['x-project-id']).toBe(PROJECT);
      expect(request.headers['x-auth-token']).toBeUndefined();
    }
  });

  it('signs a request that queued behind the client budget when it leaves the queue, not when it queued', async () => {
    sim.cas.auth = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY };
    let current = new Date(Date.now() - 60_000);
    const signed = connect({ auth: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, maxConcurrentRequests: 1, clock: () => current });
    const id = sim.cas.addJob();
    sim.fault({ type: 'delay', ms: 80, times: 1 });
    const first = signed.getJob(id);
    const second = signed.getJob(id); // waits for the one slot
    await new Promise((resolve) => setTimeout(resolve, 20));
    current = new Date(Date.now());
    await Promise.all([first, second]);
    const dates = sim.requests.map((request) => request.headers['x-sdk-date']);
    expect(dates).toHaveLength(2);
    expect(dates[0]).not.toBe(dates[1]);
    expect(dates[1]).toBe(current.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''));
  });

  it('passes with a temporary credential that carries a security token', async () => {
    sim.cas.auth = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, securityToken: 'sts-token-1' };
    const signed = connect({ auth: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, securityToken: 'sts-token-1' } });
    const id = sim.cas.addJob();
    await signed.getJob(id);
    expect(sim.requests[0]?.headers['x-security-token']).toBe('sts-token-1');
  });

  it('fails with AuthenticationError when the secret key is wrong, and never shows the secret', async () => {
    sim.cas.auth = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY };
    const wrong = connect({ auth: { accessKey: ACCESS_KEY, secretKey: 'sk-wrong-secret-value' } });
    const id = sim.cas.addJob();
    const error = await rejectionOf(wrong.getJob(id));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    const text = `${(error as Error).message} ${inspect(error)} ${JSON.stringify(error)}`;
    expect(text).not.toContain('sk-wrong-secret-value');
    expect(text).not.toContain(SECRET_KEY);
  });

  it('fails with AuthenticationError when a token is sent to a gateway that wants a signature', async () => {
    sim.cas.auth = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY };
    const id = sim.cas.addJob();
    await expect(cas.getJob(id)).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describe('the CAS client refuses hostile input before any request', () => {
  const hostile: [string, string][] = [
    ['a slash', 'JOB/../../admin'],
    ['a lone slash', '/'],
    ['a dot-dot segment', '..'],
    ['a dot segment', '.'],
    ['a question mark', 'JOB1?limit=1000'],
    ['a hash', 'JOB1#frag'],
    ['a percent sign', 'JOB%2F1'],
    ['an encoded dot-dot', '%2e%2e'],
    ['a space', 'JOB 1'],
    ['a newline', 'JOB1\r\nX-Injected: 1'],
    ['a NUL', 'JOB1\u0000'],
    ['a DEL', 'JOB1\u007f'],
    ['a tab', 'JOB\t1'],
    ['a non-ASCII letter', 'JOBé'],
    ['10 KB', 'J'.repeat(10 * 1024)],
    ['nothing', ''],
  ];

  it.each(hostile)('refuses a job id with %s in getJob and waitForJob', async (_what, id) => {
    sim.cas.addJob();
    expect(await rejectionOf(cas.getJob(id))).toBeInstanceOf(InvalidArgumentError);
    expect(await rejectionOf(cas.waitForJob(id, { minDelayMs: 2, maxDelayMs: 10 }))).toBeInstanceOf(InvalidArgumentError);
    expect(sim.requests).toHaveLength(0);
  });

  it.each(hostile)('refuses an instance id with %s in getJob', async (_what, instanceId) => {
    const id = sim.cas.addJob();
    expect(await rejectionOf(cas.getJob(id, { instanceId }))).toBeInstanceOf(InvalidArgumentError);
    expect(sim.requests).toHaveLength(0);
  });

  it.each(hostile)('refuses a project id with %s', (_what, projectId) => {
    expect(() => createCasClient({ endpoint: sim.url, projectId, auth: { token: TOKEN } })).toThrow(InvalidArgumentError);
  });

  it.each([
    ['credentials', 'http://user:pass@127.0.0.1:1'],
    ['a user name', 'http://user@127.0.0.1:1'],
    ['a query', 'http://127.0.0.1:1/?region=cn-north-4'],
    ['a fragment', 'http://127.0.0.1:1/#x'],
    ['an ftp scheme', 'ftp://127.0.0.1/'],
    ['a file scheme', 'file:///etc/passwd'],
    ['a javascript scheme', 'javascript:alert(1)'],
    ['no scheme', '127.0.0.1:8080'],
    ['nothing', ''],
  ])('refuses an endpoint with %s', (_what, endpoint) => {
    expect(() => createCasClient({ endpoint, projectId: PROJECT, auth: { token: TOKEN } })).toThrow(InvalidArgumentError);
  });

  it('does not show the credentials of a refused endpoint in the error', () => {
    let error: unknown;
    try {
      createCasClient({ endpoint: 'http://admin:hunter2secret@127.0.0.1:1', projectId: PROJECT, auth: { token: TOKEN } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(`${(error as Error).message} ${inspect(error)}`).not.toContain('hunter2secret');
  });

  it.each([
    ['no auth', undefined],
    ['an empty token', { token: '' }],
    ['a token with a newline', { token: 'tok\r\nX-Evil: 1' }],
    ['a token and a key pair', { token: TOKEN, accessKey: ACCESS_KEY, secretKey: SECRET_KEY }],
    ['an access key without a secret', { accessKey: ACCESS_KEY }],
  ])('refuses %s', (_what, auth) => {
    expect(() => createCasClient({ endpoint: sim.url, projectId: PROJECT, auth: auth as never })).toThrow(InvalidArgumentError);
  });
});

describe('the CAS client shows no secret', () => {
  it('shows endpoint and projectId but not the token in util.inspect and JSON.stringify', () => {
    const text = `${inspect(cas, { depth: 10 })}\n${JSON.stringify(cas)}`;
    expect(text).toContain(sim.url);
    expect(text).toContain(PROJECT);
    expect(text).not.toContain(TOKEN);
    const json = JSON.parse(JSON.stringify(cas)) as Record<string, unknown>;
    expect(json['endpoint']).toBe(sim.url);
    expect(json['projectId']).toBe(PROJECT);
    expect(json['vendor']).toBe('cas');
  });

  it('shows the access key but not the secret key or security token', () => {
    const signed = connect({ auth: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, securityToken: 'sts-token-secret-1' } });
    const text = `${inspect(signed, { depth: 10, showHidden: true })}\n${JSON.stringify(signed)}`;
    expect(text).toContain(sim.url);
    expect(text).toContain(PROJECT);
    expect(text).not.toContain(SECRET_KEY);
    expect(text).not.toContain('sts-token-secret-1');
  });
});
