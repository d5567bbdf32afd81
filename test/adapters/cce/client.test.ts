import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { createCceClient, type CceClient, type CceClientOptions, type CceJob, type CceJobRaw } from '../../../adapters/cce/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { ApiError, AuthenticationError, InvalidArgumentError, InvalidResponseError, JobNotFoundError, type Task } from '../../../src/index.js';
import { CCE_DOCUMENTED_TASKS, CCE_DOCUMENTED_TEXT } from '../../fixtures/vendor-examples.js';
import { rejectionOf } from '../../helpers/promises.js';
import { MAX_TASK_DEPTH } from '../../../src/model/job.js';
import { CCE_DOCUMENTED_EXAMPLE } from '../../../adapters/cce/simulator.js';

const PROJECT = 'p-123';
const TOKEN = 'tok-123456';
const ACCESS_KEY = 'AK-TEST-0001';
const SECRET_KEY = 'sk-secret-987654';
const SECURITY_TOKEN = 'sec-token-555';
const FAST_RETRY = Object.freeze({ retries: 1, minTimeoutMs: 1, maxTimeoutMs: 5 });
const DOC_UID = '354331b2c-229a-11e8-9c75-0255ac100ceb';
const JOB_PATH = (jobId: string, projectId = PROJECT): string => `/api/v3/projects/${projectId}/jobs/${jobId}`;

const DOCUMENTED_BODY = CCE_DOCUMENTED_TEXT;

let sim: Simulator;
let cce: CceClient;
const clients: CceClient[] = [];

function connect(extra: Partial<CceClientOptions> = {}): CceClient {
  const client = createCceClient({ endpoint: sim.url, projectId: PROJECT, auth: { token: TOKEN }, retry: { ...FAST_RETRY }, ...extra });
  clients.push(client);
  return client;
}

beforeEach(async () => {
  sim = await startSimulator();
  cce = connect();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await sim.close();
});

function expectDocumentedJob(job: CceJob): void {
  expect(job.vendor).toBe('cce');
  expect(job.id).toBe(DOC_UID);
  expect(job.type).toBe('CreateCluster');
  expect(job.description).toBe('cluster-name');
  expect(job.state).toBe('running');
  expect(job.vendorState).toBe('Running');
  expect(job.message).toBeUndefined();
  expect(job.error).toBeUndefined();
  expect(job.createdAt?.toISOString()).toBe('2018-08-02T08:12:40.672Z');
  expect(job.updatedAt?.toISOString()).toBe('2018-08-02T08:21:50.478Z');
  expect(job.endedAt).toBeUndefined();
  expect(job.progress).toEqual({ completed: 2, total: 2 });
  expect(job.tasks).toEqual<Task[]>(CCE_DOCUMENTED_TASKS);
  expect(job.raw).toEqual(JSON.parse(DOCUMENTED_BODY));
  expect(job.raw).toEqual(CCE_DOCUMENTED_EXAMPLE);
  expect(job.raw.spec?.subJobs?.[0]?.metadata?.uid).toBe('fd474fab-9606-11e8-baa9-0255ac10215d');
  expectTypeOf(job.raw).toEqualTypeOf<CceJobRaw>();
}

describe('getJob reads the documented example', () => {
  it('normalizes the default script’s middle answer exactly as the documented example', async () => {
    const uid = sim.cce.addJob();
    expect(uid).toBe(DOC_UID);
    const first = await cce.getJob(uid);
    expect(first.state).toBe('queued');
    expect(first.vendorState).toBe('Initializing');
    expectDocumentedJob(await cce.getJob(uid));
  });

  it('normalizes the documented response body served verbatim', async () => {
    sim.fault({ type: 'raw', status: 200, contentType: 'application/json', body: DOCUMENTED_BODY, path: DOC_UID });
    expectDocumentedJob(await cce.getJob(DOC_UID));
    expect(sim.requests[0]?.fault).toBe('raw');
  });

  it('ends the default lifecycle succeeded, with endedAt and all sub-jobs done', async () => {
    const uid = sim.cce.addJob();
    await cce.getJob(uid);
    await cce.getJob(uid);
    const job = await cce.getJob(uid);
    expect(job.state).toBe('succeeded');
    expect(job.vendorState).toBe('Success');
    expect(job.endedAt?.toISOString()).toBe('2018-08-02T08:21:50.478Z');
    expect(job.tasks.map((task) => task.state)).toEqual(['succeeded', 'succeeded']);
  });
});

describe('getJob maps CCE phases', () => {
  it.each([
    ['Initializing', 'queued'],
    ['Running', 'running'],
    ['Success', 'succeeded'],
    ['Failed', 'failed'],
    ['initializing', 'queued'],
    ['RUNNING', 'running'],
    ['success', 'succeeded'],
    ['FAILED', 'failed'],
    ['Deleting', 'unknown'],
    ['Abnormal', 'unknown'],
  ] as const)('maps the phase %s to %s and keeps the vendor word', async (phase, state) => {
    const uid = sim.cce.addJob({ uid: 'job-phase-1', steps: [{ phase }] });
    const job = await cce.getJob(uid);
    expect(job.id).toBe('job-phase-1');
    expect(job.state).toBe(state);
    expect(job.vendorState).toBe(phase);
  });

  it("takes a failed job's error from status.reason and status.message", async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Failed', reason: 'CCE.01500001', message: 'Failed to create the master nodes.' }] });
    const job = await cce.getJob(uid);
    expect(job.message).toBe('Failed to create the master nodes.');
    expect(job.error).toEqual({ code: 'CCE.01500001', message: 'Failed to create the master nodes.' });
  });

  it("takes a failed job's error from its first failed sub-job when status has no text", async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Failed', reason: '', subJobPhases: ['Success', 'Failed'], subJobReasons: [undefined, 'certificate request refused'] }] });
    const job = await cce.getJob(uid);
    expect(job.error).toEqual({ message: 'certificate request refused', target: 'CreatePSMCert' });
    expect(job.tasks[1]?.message).toBe('certificate request refused');
    expect(job.progress).toEqual({ completed: 2, total: 2 });
  });
});

describe('getJob reads scripted sub-jobs', () => {
  it('turns nested spec.subJobs into nested tasks that follow the scripted phases', async () => {
    const uid = sim.cce.addJob({
      uid: 'job-nested',
      spec: {
        type: 'CreateNodePool',
        resourceName: 'pool-a',
        subJobs: [
          {
            metadata: { uid: 'sub-a', creationTimestamp: '2024-05-08 18:00:00.123456789 +0800 CST' },
            spec: { type: 'CreateNode', resourceName: 'node-a', subJobs: [{ metadata: { uid: 'sub-a-1' }, spec: { type: 'InstallKubelet' } }, { spec: { type: 'JoinCluster' } }] },
          },
          { metadata: { uid: 'sub-b' }, spec: { type: 'CreateNode', resourceName: 'node-b' } },
        ],
      },
      steps: [{ phase: 'Running', subJobPhases: ['Success', 'Running'], subJobReasons: ['done', undefined] }],
    });
    const job = await cce.getJob(uid);
    expect(job.type).toBe('CreateNodePool');
    expect(job.description).toBe('pool-a');
    expect(job.progress).toEqual({ completed: 1, total: 2 });
    const [a, b] = job.tasks;
    expect(a).toMatchObject({ id: 'sub-a', index: 0, type: 'CreateNode', name: 'node-a', state: 'succeeded', vendorState: 'Success', message: 'done' });
    expect(a?.createdAt?.toISOString()).toBe('2024-05-08T10:00:00.123Z');
    expect(a?.tasks.map((task) => [task.id, task.type, task.state])).toEqual([
      ['sub-a-1', 'InstallKubelet', 'succeeded'],
      ['sub-a/1', 'JoinCluster', 'succeeded'],
    ]);
    expect(b).toMatchObject({ id: 'sub-b', index: 1, name: 'node-b', state: 'running', vendorState: 'Running', tasks: [] });
    expect(b?.message).toBeUndefined();
  });

  it('derives the same id for a sub-job without metadata on every poll', async () => {
    const uid = sim.cce.addJob({ uid: 'job-anon', spec: { subJobs: [{ spec: { type: 'A' } }, { spec: { type: 'B' } }] }, steps: [{ phase: 'Running' }, { phase: 'Success' }] });
    const first = await cce.getJob(uid);
    const second = await cce.getJob(uid);
    expect(first.tasks.map((task) => task.id)).toEqual(['job-anon/0', 'job-anon/1']);
    expect(second.tasks.map((task) => task.id)).toEqual(['job-anon/0', 'job-anon/1']);
    expect(second.tasks.map((task) => task.state)).toEqual(['succeeded', 'succeeded']);
  });

  it('reads a sub-job with metadata 5 and a string status leniently instead of failing the poll', async () => {
    sim.fault({
      type: 'status',
      status: 200,
      path: 'job-odd',
      body: {
        kind: 'Job',
        metadata: { uid: 'job-odd' },
        spec: { subJobs: [{ metadata: 5, spec: { type: 'InstallMaster' }, status: 'x' }, { metadata: { uid: 'ok' }, status: { phase: 'Success' } }] },
        status: { phase: 'Running' },
      },
    });
    const job = await cce.getJob('job-odd');
    expect(job.state).toBe('running');
    expect(job.tasks).toEqual([
      { id: 'job-odd/0', index: 0, type: 'InstallMaster', state: 'unknown', vendorState: '', tasks: [] },
      { id: 'ok', index: 1, state: 'succeeded', vendorState: 'Success', tasks: [] },
    ]);
    expect(job.progress).toEqual({ completed: 1, total: 2 });
  });
});

describe('getJob refuses a job it cannot trust', () => {
  it('refuses a job without metadata.uid with InvalidResponseError naming the field', async () => {
    sim.fault({ type: 'status', status: 200, path: 'job-x', body: { kind: 'Job', metadata: { creationTimestamp: 'x' }, status: { phase: 'Running', reason: 'no uid here' } } });
    const error = await rejectionOf(cce.getJob('job-x'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    const invalid = error as InvalidResponseError;
    expect(invalid.code).toBe('INVALID_RESPONSE');
    expect(invalid.status).toBe(200);
    expect(invalid.issues.some((issue) => issue.path.join('.') === 'metadata.uid')).toBe(true);
    expect(invalid.bodySnippet).toContain('no uid here');
  });

  it('refuses a job without status.phase with InvalidResponseError naming the field', async () => {
    sim.fault({ type: 'status', status: 200, path: 'job-x', body: { kind: 'Job', metadata: { uid: 'job-x' }, status: { reason: 'no phase' } } });
    const error = await rejectionOf(cce.getJob('job-x'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).issues.some((issue) => issue.path.join('.') === 'status.phase')).toBe(true);
  });

  it('refuses a 200 answer that is not JSON with InvalidResponseError', async () => {
    sim.fault({ type: 'raw', status: 200, path: 'job-x', body: '<html>APIG login</html>' });
    const error = await rejectionOf(cce.getJob('job-x'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).bodySnippet).toContain('APIG login');
  });
});

/** A job whose sub-jobs nest `levels` deep (one sub-job per level), as JSON text built without recursion. */
function nestedJobBody(uid: string, levels: number): string {
  let subJobs = '[]';
  for (let level = levels; level >= 1; level--) subJobs = `[{"kind":"Job","metadata":{"uid":"sub-${level}"},"spec":{"type":"Step","subJobs":${subJobs}},"status":{"phase":"Running"}}]`;
  return `{"kind":"Job","metadata":{"uid":"${uid}"},"spec":{"type":"CreateCluster","subJobs":${subJobs}},"status":{"phase":"Running"}}`;
}

function depthOf(tasks: readonly Task[]): number {
  let depth = 0;
  for (let level = tasks; level.length > 0; level = level.flatMap((task) => task.tasks)) depth++;
  return depth;
}

describe('getJob refuses sub-jobs nested deeper than MAX_TASK_DEPTH', () => {
  it('reads sub-jobs nested exactly MAX_TASK_DEPTH (32) levels deep', async () => {
    sim.fault({ type: 'raw', status: 200, path: 'job-x', contentType: 'application/json', body: nestedJobBody('job-x', MAX_TASK_DEPTH) });
    const job = await cce.getJob('job-x');
    expect(MAX_TASK_DEPTH).toBe(32);
    expect(depthOf(job.tasks)).toBe(MAX_TASK_DEPTH);
  });

  it.each([MAX_TASK_DEPTH + 1, 500, 10_000])('refuses sub-jobs nested %i levels deep with InvalidResponseError, not a stack overflow', async (levels) => {
    sim.fault({ type: 'raw', status: 200, path: 'job-x', contentType: 'application/json', body: nestedJobBody('job-x', levels) });
    const error = await rejectionOf(cce.getJob('job-x'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    const invalid = error as InvalidResponseError;
    expect(invalid.status).toBe(200);
    expect(invalid.issues).toHaveLength(1);
    expect(invalid.issues[0]?.path).toEqual(['spec', 'subJobs']);
    expect(invalid.issues[0]?.message).toMatch(/more than 32 levels/);
  });
});

describe('Huawei errors', () => {
  it("rejects the simulator's unknown job with JobNotFoundError carrying the 404 and CCE.01404001", async () => {
    const error = await rejectionOf(cce.getJob('job-missing'));
    expect(error).toBeInstanceOf(JobNotFoundError);
    const notFound = error as JobNotFoundError;
    expect(notFound.code).toBe('JOB_NOT_FOUND');
    expect(notFound.jobId).toBe('job-missing');
    expect(notFound.lastJob).toBeUndefined();
    expect(notFound.message).toContain('job-missing');
    const cause = notFound.cause as ApiError;
    expect(cause).toBeInstanceOf(ApiError);
    expect(cause.status).toBe(404);
    expect(cause.vendorCode).toBe('CCE.01404001');
    expect(cause.vendorMessage).toBe('Job job-missing not found.');
    expect(cause.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(sim.requests).toHaveLength(1);
  });

  it('rejects a job deleted after it was seen with JobNotFoundError', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Success' }], deleteAfterPolls: 1 });
    expect((await cce.getJob(uid)).state).toBe('succeeded');
    await expect(cce.getJob(uid)).rejects.toBeInstanceOf(JobNotFoundError);
  });

  it('rejects a job removed with sim.cce.deleteJob with JobNotFoundError', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    await cce.getJob(uid);
    sim.cce.deleteJob(uid);
    await expect(cce.getJob(uid)).rejects.toBeInstanceOf(JobNotFoundError);
  });

  it('treats the not-found code CCE.01404001 as JobNotFoundError even with another status', async () => {
    sim.fault({ type: 'status', status: 400, path: 'job-x', body: { error_code: 'CCE.01404001', error_msg: 'The job does not exist.' } });
    const error = await rejectionOf(cce.getJob('job-x'));
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect(((error as JobNotFoundError).cause as ApiError).status).toBe(400);
  });

  it.each([
    ['{error_code, error_msg}', { error_code: 'CCE.01400001', error_msg: 'Invalid request.' }],
    ['{code, message}', { code: 'CCE.01400001', message: 'Invalid request.' }],
    ['{errorCode, errorMessage}', { errorCode: 'CCE.01400001', errorMessage: 'Invalid request.' }],
    ['nested {error: {code, message}}', { error: { code: 'CCE.01400001', message: 'Invalid request.' } }],
  ])('reads the Huawei error body form %s into an ApiError with vendor code, message and the X-Request-Id', async (_form, body) => {
    sim.fault({ type: 'status', status: 400, path: 'job-x', body, headers: { 'X-Request-Id': 'req-7f3a9c' } });
    const error = await rejectionOf(cce.getJob('job-x'));
    expect(error).toBeInstanceOf(ApiError);
    const api = error as ApiError;
    expect(api.name).toBe('ApiError');
    expect(api.code).toBe('API_ERROR');
    expect(api.status).toBe(400);
    expect(api.vendorCode).toBe('CCE.01400001');
    expect(api.vendorMessage).toBe('Invalid request.');
    expect(api.requestId).toBe('req-7f3a9c');
    expect(api.method).toBe('GET');
    expect(api.url).toBe(sim.url + JOB_PATH('job-x'));
    expect(api.message).toContain('CCE.01400001');
    expect(sim.requests).toHaveLength(1);
  });

  it.each([401, 403])('rejects a %i with AuthenticationError at once, without a retry', async (status) => {
    sim.fault({ type: 'status', status, path: 'job-x', body: { error_code: 'CCE.01401001', error_msg: 'Authentication failed.' } });
    const error = await rejectionOf(cce.getJob('job-x'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe('AUTHENTICATION');
    expect((error as AuthenticationError).status).toBe(status);
    expect(sim.requests).toHaveLength(1);
  });

  it.each([400, 404])('rejects the gateway code APIGW.0301 with AuthenticationError even with status %i', async (status) => {
    sim.fault({ type: 'status', status, path: 'job-x', body: { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information' } });
    const error = await rejectionOf(cce.getJob('job-x'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).vendorCode).toBe('APIGW.0301');
  });

  it('reads a 404 with APIGW.0101 (no such API: a wrong endpoint) as an ApiError, not a missing job', async () => {
    sim.fault({ type: 'status', status: 404, path: 'job-x', body: { error_code: 'APIGW.0101', error_msg: 'The API does not exist or has not been published in the environment' } });
    const error = await rejectionOf(cce.getJob('job-x'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(JobNotFoundError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).vendorCode).toBe('APIGW.0101');
  });

  it('retries a 503 once and then reads the job', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    sim.fault({ type: 'status', status: 503, path: uid, body: { error_code: 'APIGW.0201', error_msg: 'Request error.' } });
    const job = await cce.getJob(uid);
    expect(job.state).toBe('running');
    expect(sim.requests.map((request) => request.fault)).toEqual(['status', undefined]);
  });

  it('keeps the token out of an error whose body echoes it', async () => {
    sim.fault({ type: 'status', status: 401, path: 'job-x', body: { error_code: 'APIGW.0301', error_msg: `token ${TOKEN} is expired` } });
    const error = await rejectionOf(cce.getJob('job-x'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).vendorMessage).toEqual(expect.any(String));
    for (const text of [(error as Error).message, String((error as AuthenticationError).vendorMessage), inspect(error), JSON.stringify(error)]) {
      expect(text).not.toContain(TOKEN);
    }
  });
});

describe('authentication against the simulated gateway', () => {
  it('sends the token as X-Auth-Token and passes a gateway that demands it', async () => {
    sim.cce.auth = { token: TOKEN };
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    expect((await cce.getJob(uid)).state).toBe('running');
    const headers = sim.requests[0]?.headers ?? {};
    expect(headers['x-auth-token']).toBe(TOKEN);
    expect(headers['authorization']).toBeUndefined();
  });

  it('rejects a wrong token with AuthenticationError APIGW.0301 from the gateway', async () => {
    sim.cce.auth = { token: 'tok-the-right-one' };
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    const error = await rejectionOf(cce.getJob(uid));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect((error as AuthenticationError).vendorCode).toBe('APIGW.0301');
    expect((error as AuthenticationError).requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('signs requests with SDK-HMAC-SHA256 and passes a gateway that verifies the signature', async () => {
    sim.cce.auth = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY };
    const client = connect({ auth: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY } });
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    expect((await client.getJob(uid)).state).toBe('running');
    const headers = sim.requests[0]?.headers ?? {};
    expect(headers['authorization']).toMatch(new RegExp(`^SDK-HMAC-SHA256 Access=${ACCESS_KEY}, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`));
    expect(headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers['x-project-id']).toBe(PROJECT);
    expect(headers['x-auth-token']).toBeUndefined();
    expect(JSON.stringify(headers)).not.toContain(SECRET_KEY);
  });

  it('signs with a security token for temporary credentials and passes the gateway', async () => {
    sim.cce.auth = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, securityToken: SECURITY_TOKEN };
    const client = connect({ auth: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, securityToken: SECURITY_TOKEN } });
    const uid = sim.cce.addJob({ steps: [{ phase: 'Success' }] });
    expect((await client.getJob(uid)).state).toBe('succeeded');
    expect(sim.requests[0]?.headers['x-security-token']).toBe(SECURITY_TOKEN);
  });

  it('rejects a wrong secret key with AuthenticationError', async () => {
    sim.cce.auth = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY };
    const client = connect({ auth: { accessKey: ACCESS_KEY, secretKey: 'sk-wrong-000000' } });
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    const error = await rejectionOf(client.getJob(uid));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).vendorMessage).toContain('signature');
  });

  it('rejects a signature dated by a clock 20 minutes off with AuthenticationError', async () => {
    sim.cce.auth = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY };
    const client = connect({ auth: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, clock: () => new Date(Date.now() - 20 * 60_000) });
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    const error = await rejectionOf(client.getJob(uid));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).vendorMessage).toContain('X-Sdk-Date');
  });

  it('signs the full path, base path included, behind an endpoint with a base path', async () => {
    sim.cce.auth = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY };
    const client = connect({ endpoint: `${sim.url}/gateway/cce/`, auth: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY } });
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    expect((await client.getJob(uid)).state).toBe('running');
    expect(sim.requests[0]?.url).toBe(`/gateway/cce${JOB_PATH(uid)}`);
  });
});

describe('requests on the wire', () => {
  it('sends exactly GET /api/v3/projects/{project_id}/jobs/{job_id} with JSON accept', async () => {
    const uid = sim.cce.addJob({ uid: 'job_1.2-3:x', steps: [{ phase: 'Running' }] });
    const client = connect({ projectId: '0a1b2c3d4e5f' });
    await client.getJob(uid);
    expect(sim.requests).toHaveLength(1);
    const [request] = sim.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/api/v3/projects/0a1b2c3d4e5f/jobs/job_1.2-3%3Ax');
    expect(request?.headers['accept']).toContain('application/json');
    expect(request?.body).toBe('');
  });

  it('keeps the base path of the endpoint in front of the API path', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    const client = connect({ endpoint: `${sim.url}/gateway/cce` });
    expect(client.endpoint).toBe(`${sim.url}/gateway/cce`);
    expect((await client.getJob(uid)).id).toBe(uid);
    expect(sim.requests.map((request) => request.url)).toEqual([`/gateway/cce${JOB_PATH(uid)}`]);
  });
});

describe('hostile ids', () => {
  const HOSTILE_IDS: [string, unknown][] = [
    ['a slash', 'a/b'],
    ['a path that climbs', '../../v1/secrets'],
    ['a dot-dot segment', '..'],
    ['a dot segment', '.'],
    ['a question mark', 'job?limit=1'],
    ['a hash', 'job#frag'],
    ['a percent escape', 'job%2F..'],
    ['a lone percent', 'job%'],
    ['a space', 'job 1'],
    ['a leading space', ' job'],
    ['a newline', 'job\n1'],
    ['a carriage return and header', 'job\r\nX-Injected: 1'],
    ['a NUL', 'job\u00001'],
    ['a tab', 'job\t1'],
    ['a DEL', 'job\u007f'],
    ['a backslash', 'job\\1'],
    ['non-ASCII letters', 'jöb'],
    ['10 KB', 'a'.repeat(10 * 1024)],
    ['an empty string', ''],
    ['a number', 42],
    ['undefined', undefined],
  ];

  it.each(HOSTILE_IDS)('refuses a job id with %s with InvalidArgumentError and sends nothing', async (_what, id) => {
    const error = await rejectionOf(cce.getJob(id as string));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).code).toBe('INVALID_ARGUMENT');
    expect((error as InvalidArgumentError).argument).toMatch(/^(jobId|id)$/);
    expect(sim.requests).toHaveLength(0);
  });

  it.each(HOSTILE_IDS)('refuses a project id with %s with InvalidArgumentError before any request', (_what, projectId) => {
    let error: unknown;
    try {
      connect({ projectId: projectId as string });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('projectId');
    expect(sim.requests).toHaveLength(0);
  });

  it('keeps the message about a 10 KB id short', async () => {
    const error = await rejectionOf(cce.getJob('b'.repeat(10 * 1024)));
    expect((error as Error).message.length).toBeLessThan(500);
  });
});

describe('a secret-free face', () => {
  it('shows endpoint and projectId but not the token in util.inspect and JSON.stringify', () => {
    const client = connect({ endpoint: `${sim.url}/cce` });
    const shown = inspect(client, { depth: 10 });
    const json = JSON.stringify(client);
    for (const text of [shown, json]) {
      expect(text).toContain(`${sim.url}/cce`);
      expect(text).toContain(PROJECT);
      expect(text).not.toContain(TOKEN);
    }
    expect(JSON.parse(json)).toMatchObject({ vendor: 'cce', endpoint: `${sim.url}/cce`, projectId: PROJECT });
  });

  it('shows the access key but not the secret key or security token', () => {
    const client = connect({ auth: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, securityToken: SECURITY_TOKEN } });
    const shown = inspect(client, { depth: 10, showHidden: true });
    const json = JSON.stringify(client);
    for (const text of [shown, json]) {
      expect(text).toContain(sim.url);
      expect(text).toContain(PROJECT);
      expect(text).toContain(ACCESS_KEY);
      expect(text).not.toContain(SECRET_KEY);
      expect(text).not.toContain(SECURITY_TOKEN);
    }
  });

  it('keeps the token out of the message of a refused auth option', () => {
    let error: unknown;
    try {
      connect({ auth: { token: 'tok-with space-42' } });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(String((error as Error).message)).not.toContain('tok-with space-42');
  });
});
