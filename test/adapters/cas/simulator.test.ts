import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCasClient, type CasClient } from '../../../adapters/cas/index.js';
import { startSimulator, type CasTaskScript, type Simulator } from '../../../src/testing/index.js';
import { JobNotFoundError } from '../../../src/index.js';
import { CAS_DOCUMENTED_EXAMPLE } from '../../../adapters/cas/simulator.js';

const PROJECT = '063a3158b1a34710b36ad208b9497d00';
const DOC_JOB_ID = CAS_DOCUMENTED_EXAMPLE.job.JOB_ID;

interface Page {
  job: Record<string, unknown>;
  tasks: Record<string, unknown>[];
  task_count: number;
}
interface Answer {
  status: number;
  body: Record<string, unknown>;
  requestId: string | null;
}

let sim: Simulator;
const clients: CasClient[] = [];

beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await sim.close();
});

/** A raw GET of the simulated ServiceStage job API. */
async function get(jobId: string, query = '', headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${sim.url}/v2/${PROJECT}/cas/jobs/${jobId}${query}`, { headers: { connection: 'close', ...headers } });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body, requestId: response.headers.get('x-request-id') };
}

async function page(jobId: string, query = ''): Promise<Page> {
  const answer = await get(jobId, query);
  expect(answer.status).toBe(200);
  return answer.body as unknown as Page;
}

function manyTasks(count: number): CasTaskScript[] {
  return Array.from({ length: count }, (_, i) => ({ TASK_ID: `Task-${i + 1}`, TASK_NAME: `step-${i + 1}`, TASK_TYPE: 'restful' }));
}

function statuses(p: Page): unknown[] {
  return p.tasks.map((task) => task['TASK_STATUS']);
}

describe('the CAS simulation pages tasks with limit and offset', () => {
  it('serves limit tasks from offset, sorted by index, with the task_count of the whole job', async () => {
    const id = sim.cas.addJob({ tasks: manyTasks(45), steps: [{ status: 'RUNNING' }] });
    const first = await page(id, '?limit=20&offset=0');
    expect(first.task_count).toBe(45);
    expect(first.tasks.map((t) => t['TASK_INDEX'])).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const last = await page(id, '?limit=20&offset=40');
    expect(last.task_count).toBe(45);
    expect(last.tasks.map((t) => t['TASK_ID'])).toEqual(['Task-41', 'Task-42', 'Task-43', 'Task-44', 'Task-45']);
    const small = await page(id, '?limit=3&offset=10');
    expect(small.tasks.map((t) => t['TASK_INDEX'])).toEqual([11, 12, 13]);
  });

  it('serves 20 tasks from the start when limit and offset are absent', async () => {
    const id = sim.cas.addJob({ tasks: manyTasks(45), steps: [{ status: 'RUNNING' }] });
    const p = await page(id);
    expect(p.tasks).toHaveLength(20);
    expect(p.tasks[0]?.['TASK_INDEX']).toBe(1);
  });

  it('serves no tasks past the end but still says how many there are', async () => {
    const id = sim.cas.addJob({ tasks: manyTasks(5), steps: [{ status: 'RUNNING' }] });
    const p = await page(id, '?limit=20&offset=60');
    expect(p.tasks).toEqual([]);
    expect(p.task_count).toBe(5);
  });

  it('sorts tasks scripted out of order by their TASK_INDEX', async () => {
    const id = sim.cas.addJob({
      tasks: [
        { TASK_NAME: 'c', TASK_INDEX: 30 },
        { TASK_NAME: 'a', TASK_INDEX: 2 },
        { TASK_NAME: 'b', TASK_INDEX: 9 },
      ],
      steps: [{ status: 'RUNNING' }],
    });
    const p = await page(id);
    expect(p.tasks.map((t) => t['TASK_NAME'])).toEqual(['a', 'b', 'c']);
  });

  it.each(['limit=abc', 'limit=-1', 'limit=2.5', 'offset=-5', 'offset=1.5', 'offset=x'])('answers 400 SVCSTG.00100400 to the invalid query %s', async (query) => {
    const id = sim.cas.addJob();
    const answer = await get(id, `?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body['error_code']).toBe('SVCSTG.00100400');
    expect(typeof answer.body['error_msg']).toBe('string');
    expect(answer.requestId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('the CAS simulation answers like ServiceStage', () => {
  it('answers 404 SVCSTG.00100429 with a request id for a job it does not know', async () => {
    const answer = await get('JOB-nope');
    expect(answer.status).toBe(404);
    expect(answer.body['error_code']).toBe('SVCSTG.00100429');
    expect(answer.body['error_msg']).toContain('JOB-nope');
    expect(answer.requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('puts a fresh X-Request-Id on every successful answer', async () => {
    const id = sim.cas.addJob();
    const a = await get(id);
    const b = await get(id);
    expect(a.status).toBe(200);
    expect(a.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(b.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.requestId).not.toBe(b.requestId);
  });

  it('ends the default script with exactly the documented example and holds it', async () => {
    const id = sim.cas.addJob();
    expect(id).toBe(DOC_JOB_ID);
    const submitted = await page(id);
    expect(submitted.job['EXECUTION_STATUS']).toBe('SUBMITTED');
    expect(statuses(submitted)).toEqual(['SUBMITTED', 'SUBMITTED', 'SUBMITTED', 'SUBMITTED', 'SUBMITTED']);
    const running = await page(id);
    expect(running.job['EXECUTION_STATUS']).toBe('RUNNING');
    expect(statuses(running)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'RUNNING', 'SUBMITTED', 'SUBMITTED']);
    const final = await page(id);
    expect(final).toEqual(CAS_DOCUMENTED_EXAMPLE);
    expect(await page(id)).toEqual(CAS_DOCUMENTED_EXAMPLE);
  });

  it('gives the second default job an id of its own', async () => {
    const first = sim.cas.addJob();
    const second = sim.cas.addJob();
    expect(first).toBe(DOC_JOB_ID);
    expect(second).not.toBe(first);
    expect(second).toMatch(/^JOB[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const p = await page(second);
    expect(p.job['JOB_ID']).toBe(second);
    expect((await page(first)).job['JOB_ID']).toBe(first);
  });

  it('serves the job and task keys in lower_case when the script asks, and keeps the envelope keys', async () => {
    const id = sim.cas.addJob({ lowerCaseKeys: true });
    const p = await page(id);
    expect(Object.keys(p).sort()).toEqual(['job', 'task_count', 'tasks']);
    expect(p.job['job_id']).toBe(id);
    expect(p.job['execution_status']).toBe('SUBMITTED');
    expect(p.job['JOB_ID']).toBeUndefined();
    for (const key of [...Object.keys(p.job), ...p.tasks.flatMap((t) => Object.keys(t))]) expect(key).toBe(key.toLowerCase());
    expect(p.tasks[0]).toMatchObject({ task_id: 'Task-bc64b46c-1688-4787-b7ff-87cb53b346ea', task_status: 'SUBMITTED', task_index: 1 });
  });

  it('applies per-task statuses and messages in script order, with "{}" as the default message', async () => {
    const id = sim.cas.addJob({
      jobId: 'JOB-custom',
      job: { JOB_TYPE: 'DEPROVISION', JOB_NAME: 'deprovision/main' },
      tasks: [{ TASK_NAME: 'one' }, { TASK_NAME: 'two' }],
      steps: [{ status: 'FAILED', taskStatuses: ['SUCCEEDED', 'FAILED'], taskMessages: [undefined, '{"Message":"E1","Detail":"boom"}'] }],
    });
    expect(id).toBe('JOB-custom');
    const p = await page(id);
    expect(p.job).toEqual({ JOB_ID: 'JOB-custom', JOB_TYPE: 'DEPROVISION', JOB_NAME: 'deprovision/main', EXECUTION_STATUS: 'FAILED' });
    expect(p.tasks.map((t) => [t['TASK_NAME'], t['TASK_INDEX'], t['TASK_STATUS'], t['MESSAGES']])).toEqual([
      ['one', 1, 'SUCCEEDED', '{}'],
      ['two', 2, 'FAILED', '{"Message":"E1","Detail":"boom"}'],
    ]);
    expect(p.tasks[0]?.['TASK_ID']).toMatch(/^Task-[0-9a-f-]{36}$/);
  });
});

describe('the CAS simulation moves a job along on first pages only', () => {
  it('does not advance the lifecycle on requests with an offset', async () => {
    const id = sim.cas.addJob({ tasks: manyTasks(45), steps: [{ status: 'SUBMITTED' }, { status: 'RUNNING' }, { status: 'SUCCEEDED' }] });
    for (let i = 0; i < 3; i++) expect((await page(id, '?limit=20&offset=20')).job['EXECUTION_STATUS']).toBe('SUBMITTED');
    expect((await page(id, '?limit=20&offset=0')).job['EXECUTION_STATUS']).toBe('SUBMITTED');
    expect((await page(id, '?limit=20&offset=40')).job['EXECUTION_STATUS']).not.toBe('SUCCEEDED');
    expect((await page(id, '?limit=20&offset=0')).job['EXECUTION_STATUS']).toBe('RUNNING');
    expect((await page(id, '?limit=20&offset=0')).job['EXECUTION_STATUS']).toBe('SUCCEEDED');
  });

  it('shows the later pages of one poll in the same step as its first page', async () => {
    const id = sim.cas.addJob({
      tasks: manyTasks(45),
      steps: [{ status: 'RUNNING', taskStatuses: Array<string>(45).fill('RUNNING') }, { status: 'SUCCEEDED' }],
    });
    const first = await page(id, '?limit=20&offset=0');
    const second = await page(id, '?limit=20&offset=20');
    const third = await page(id, '?limit=20&offset=40');
    expect(first.job['EXECUTION_STATUS']).toBe('RUNNING');
    expect(second.job['EXECUTION_STATUS']).toBe('RUNNING');
    expect(third.job['EXECUTION_STATUS']).toBe('RUNNING');
    expect(new Set([...statuses(first), ...statuses(second), ...statuses(third)])).toEqual(new Set(['RUNNING']));
  });

  it('lets a client read a whole multi-page job on the one poll before deleteAfterPolls removes it', async () => {
    const id = sim.cas.addJob({ tasks: manyTasks(45), steps: [{ status: 'SUCCEEDED' }], deleteAfterPolls: 1 });
    const cas = createCasClient({ endpoint: sim.url, projectId: PROJECT, auth: { token: 'tok-123456' }, retry: false });
    clients.push(cas);
    const job = await cas.getJob(id);
    expect(job.tasks).toHaveLength(45);
    await expect(cas.getJob(id)).rejects.toBeInstanceOf(JobNotFoundError);
  });
});

describe('the CAS simulation scripts visibility and auth', () => {
  it('hides a job for hiddenForPolls polls, then shows it', async () => {
    const id = sim.cas.addJob({ hiddenForPolls: 2, steps: [{ status: 'RUNNING' }] });
    expect((await get(id)).status).toBe(404);
    expect((await get(id)).status).toBe(404);
    expect((await get(id)).status).toBe(200);
  });

  it('deletes a finished job after deleteAfterPolls polls that showed it', async () => {
    const id = sim.cas.addJob({ steps: [{ status: 'RUNNING' }, { status: 'SUCCEEDED' }], deleteAfterPolls: 2 });
    expect((await page(id)).job['EXECUTION_STATUS']).toBe('RUNNING');
    expect((await page(id)).job['EXECUTION_STATUS']).toBe('SUCCEEDED');
    expect((await page(id)).job['EXECUTION_STATUS']).toBe('SUCCEEDED');
    const gone = await get(id);
    expect(gone.status).toBe(404);
    expect(gone.body['error_code']).toBe('SVCSTG.00100429');
  });

  it('answers 404 for a job deleted with deleteJob', async () => {
    const id = sim.cas.addJob({ steps: [{ status: 'RUNNING' }] });
    expect((await get(id)).status).toBe(200);
    sim.cas.deleteJob(id);
    const gone = await get(id);
    expect(gone.status).toBe(404);
    expect(gone.body['error_code']).toBe('SVCSTG.00100429');
  });

  it('demands the configured token and answers 401 APIGW.0301 without it', async () => {
    const id = sim.cas.addJob({ steps: [{ status: 'RUNNING' }] });
    sim.cas.auth = { token: 'tok-right' };
    const denied = await get(id, '', { 'x-auth-token': 'tok-wrong' });
    expect(denied.status).toBe(401);
    expect(denied.body['error_code']).toBe('APIGW.0301');
    expect((await get(id)).status).toBe(401);
    expect((await get(id, '', { 'x-auth-token': 'tok-right' })).status).toBe(200);
  });

  it('forgets jobs and auth on reset', async () => {
    const id = sim.cas.addJob({ steps: [{ status: 'RUNNING' }] });
    sim.cas.auth = { token: 'tok-right' };
    sim.cas.reset();
    const answer = await get(id);
    expect(answer.status).toBe(404);
    expect(answer.body['error_code']).toBe('SVCSTG.00100429');
    expect(sim.cas.addJob()).toBe(DOC_JOB_ID);
  });
});
