import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useOntapHarness } from '../../helpers/ontap-harness.js';
import { createOntapClient, type OntapClient, type OntapClientOptions } from '../../../adapters/ontap/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { ApiError, AuthenticationError, ClientClosedError, InvalidArgumentError, InvalidResponseError, JobNotFoundError, NetworkError } from '../../../src/index.js';

const USERNAME = 'admin';
const PASSWORD = 'pw-123456';
const BASIC = Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64');
const UUID = '1cd8a442-86d1-11e0-ae1c-123478563412';

let sim: Simulator;
let ontap: OntapClient;
const { connect } = useOntapHarness((harness) => ({ sim, ontap } = harness));

describe('getJob maps ONTAP states', () => {
  it.each([
    ['queued', 'queued'],
    ['running', 'running'],
    ['paused', 'paused'],
    ['success', 'succeeded'],
    ['failure', 'failed'],
  ] as const)('maps the ONTAP state %s to %s and keeps the vendor word', async (vendorState, state) => {
    const uuid = sim.ontap.addJob({ steps: [{ state: vendorState }] });
    const job = await ontap.getJob(uuid);
    expect(job.state).toBe(state);
    expect(job.vendorState).toBe(vendorState);
    expect(job.id).toBe(uuid);
  });

  it('maps an undocumented state to unknown and keeps the vendor state', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'migrating' }] });
    const job = await ontap.getJob(uuid);
    expect(job.state).toBe('unknown');
    expect(job.vendorState).toBe('migrating');
  });

  it('returns a job of vendor ontap with an empty task list and no progress', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const job = await ontap.getJob(uuid);
    expect(job.vendor).toBe('ontap');
    expect(job.tasks).toEqual([]);
    expect(job.progress).toBeUndefined();
  });
});

describe('getJob normalizes the record', () => {
  it('carries the description and message of the job', async () => {
    const uuid = sim.ontap.addJob({ description: 'Cluster Backup Job', steps: [{ state: 'running', message: 'creating_node_backups' }] });
    const job = await ontap.getJob(uuid);
    expect(job.description).toBe('Cluster Backup Job');
    expect(job.message).toBe('creating_node_backups');
  });

  it('turns start_time and end_time with an offset into real Dates at the right instant', async () => {
    const uuid = sim.ontap.addJob({
      steps: [{ state: 'success', fields: { start_time: '2024-05-08T10:00:00+02:00', end_time: '2024-05-08T10:05:30-05:00' } }],
    });
    const job = await ontap.getJob(uuid);
    expect(job.startedAt).toBeInstanceOf(Date);
    expect(job.endedAt).toBeInstanceOf(Date);
    expect(job.startedAt?.getTime()).toBe(Date.UTC(2024, 4, 8, 8, 0, 0));
    expect(job.endedAt?.getTime()).toBe(Date.UTC(2024, 4, 8, 15, 5, 30));
  });

  it('dates a job the simulator started and ended from its own timestamps', async () => {
    const before = Date.now();
    const uuid = sim.ontap.addJob({ steps: [{ state: 'success' }] });
    const job = await ontap.getJob(uuid);
    expect(job.startedAt).toBeInstanceOf(Date);
    expect(job.endedAt).toBeInstanceOf(Date);
    // the simulator writes whole seconds
    expect(job.startedAt!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(job.startedAt!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('leaves out garbage timestamps instead of making an Invalid Date', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'success', fields: { start_time: 'string', end_time: '2024-13-45T99:99:99Z' } }] });
    const job = await ontap.getJob(uuid);
    expect(job.startedAt).toBeUndefined();
    expect(job.endedAt).toBeUndefined();
    expect('startedAt' in job).toBe(false);
    expect('endedAt' in job).toBe(false);
  });

  it('leaves out a timestamp of a day that does not exist (February 30th)', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'success', fields: { start_time: '2024-02-30T10:00:00+00:00' } }] });
    const job = await ontap.getJob(uuid);
    expect(job.startedAt).toBeUndefined();
  });

  it("takes a failed job's error from ONTAP's error object with code, message and target", async () => {
    const uuid = sim.ontap.addJob({
      steps: [{ state: 'failure', message: 'Volume vol1 is offline', code: 460770, error: { code: '460770', message: 'Volume vol1 is offline', target: 'vol1' } }],
    });
    const job = await ontap.getJob(uuid);
    expect(job.state).toBe('failed');
    expect(job.error).toEqual({ code: '460770', message: 'Volume vol1 is offline', target: 'vol1' });
  });

  it("builds a failed job's error from message and the integer code when there is no error object", async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'failure', message: 'Aggregate aggr1 is full', code: 917927 }] });
    const job = await ontap.getJob(uuid);
    expect(job.error).toEqual({ code: '917927', message: 'Aggregate aggr1 is full' });
  });

  it('gives a running job no error even though it carries a code', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', message: 'working', code: 0 }] });
    const job = await ontap.getJob(uuid);
    expect(job.error).toBeUndefined();
  });

  it('keeps unknown extra fields of the record in raw (schema drift passes)', async () => {
    const uuid = sim.ontap.addJob({
      svm: { name: 'svm1', uuid: '02c9e252-41be-11e9-81d5-00a0986138f7' },
      steps: [{ state: 'running', fields: { node: { name: 'node-01' }, progress_percent: 42, new_block: { nested: [1, 2] } } }],
    });
    const job = await ontap.getJob(uuid);
    const raw = job.raw as Record<string, unknown>;
    expect(raw['uuid']).toBe(uuid);
    expect(raw['state']).toBe('running');
    expect(raw['progress_percent']).toBe(42);
    expect(raw['new_block']).toEqual({ nested: [1, 2] });
    expect(job.raw.node?.name).toBe('node-01');
    expect(job.raw.svm?.name).toBe('svm1');
    expect(job.raw._links?.self?.href).toBe(`/api/cluster/jobs/${uuid}`);
  });

  it('drops malformed optional fields instead of failing the poll', async () => {
    const uuid = sim.ontap.addJob({
      steps: [
        {
          state: 'failure',
          fields: { svm: 'x', code: 'abc', node: 5, description: 7, message: { text: 'no' }, error: 'boom', start_time: 17, _links: [] },
        },
      ],
    });
    const job = await ontap.getJob(uuid);
    expect(job.state).toBe('failed');
    expect(job.raw.svm).toBeUndefined();
    expect(job.raw.code).toBeUndefined();
    expect(job.raw.node).toBeUndefined();
    expect(job.raw.error).toBeUndefined();
    expect(job.description).toBeUndefined();
    expect(job.message).toBeUndefined();
    expect(job.startedAt).toBeUndefined();
    expect(job.error?.code).toBeUndefined();
    expect(typeof job.error?.message).toBe('string');
  });

  it('refuses a record without state with InvalidResponseError naming the field', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', fields: { state: undefined } }] });
    const error = await ontap.getJob(uuid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    const invalid = error as InvalidResponseError;
    expect(invalid.code).toBe('INVALID_RESPONSE');
    expect(invalid.status).toBe(200);
    expect(invalid.issues.some((issue) => issue.path.join('.') === 'state')).toBe(true);
  });

  it('refuses a record without uuid with InvalidResponseError', async () => {
    sim.fault({ type: 'status', status: 200, body: { state: 'running', description: 'no id' }, path: UUID });
    const error = await ontap.getJob(UUID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).issues.some((issue) => issue.path.join('.') === 'uuid')).toBe(true);
    expect((error as InvalidResponseError).bodySnippet).toContain('no id');
  });

  it('refuses a 200 answer that is not JSON with InvalidResponseError', async () => {
    sim.fault({ type: 'raw', status: 200, body: '<html>proxy login</html>', path: UUID });
    const error = await ontap.getJob(UUID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).bodySnippet).toContain('proxy login');
  });

  it('rejects a job that does not exist with JobNotFoundError carrying the uuid', async () => {
    const error = await ontap.getJob(UUID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect((error as JobNotFoundError).jobId).toBe(UUID);
    expect((error as JobNotFoundError).lastJob).toBeUndefined();
    expect((error as JobNotFoundError).cause).toBeInstanceOf(ApiError);
    expect(((error as JobNotFoundError).cause as ApiError).vendorCode).toBe('4');
  });
});

describe('requests on the wire', () => {
  it('sends GET /api/cluster/jobs/{uuid} with basic auth, JSON accept and the user agent', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    await ontap.getJob(uuid);
    expect(sim.requests).toHaveLength(1);
    const [request] = sim.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe(`/api/cluster/jobs/${uuid}`);
    expect(request?.headers['authorization']).toBe(`Basic ${BASIC}`);
    expect(request?.headers['accept']).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^jobwait\//);
  });

  it('passes a simulator that demands the right basic credentials', async () => {
    sim.ontap.credentials = { username: USERNAME, password: PASSWORD };
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    await expect(ontap.getJob(uuid)).resolves.toMatchObject({ state: 'running' });
  });

  it('rejects wrong credentials with AuthenticationError (401) and does not retry', async () => {
    sim.ontap.credentials = { username: USERNAME, password: 'another-password' };
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const error = await ontap.getJob(uuid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect((error as AuthenticationError).vendorCode).toBe('6');
    expect(sim.requests).toHaveLength(1);
  });

  it('retries one 503 in the transport and then returns the job', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'status', status: 503, path: uuid });
    await expect(ontap.getJob(uuid)).resolves.toMatchObject({ state: 'running' });
    expect(sim.requests.map((r) => r.fault)).toEqual(['status', undefined]);
  });

  it('retries a connection reset on GET and then returns the job', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'reset', path: uuid });
    await expect(ontap.getJob(uuid)).resolves.toMatchObject({ state: 'running' });
    expect(sim.requests).toHaveLength(2);
  });

  it('gives up after the configured retries with the last 503 as an ApiError', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'status', status: 503, path: uuid, times: 5 });
    const error = await ontap.getJob(uuid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect(sim.requests).toHaveLength(2);
  });

  it('turns a hanging answer into a NetworkError once requestTimeoutMs passes', async () => {
    const client = connect(sim.url, { requestTimeoutMs: 50, retry: false });
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'hang', path: uuid });
    const started = Date.now();
    const error = await client.getJob(uuid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('rejects getJob with the reason of an aborted signal', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'hang', path: uuid });
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 20);
    await expect(ontap.getJob(uuid, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('answers NetworkError from a closed port', async () => {
    const dead = await startSimulator();
    const url = dead.url;
    await dead.close();
    const client = connect(url);
    const error = await client.getJob(UUID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).method).toBe('GET');
    expect((error as NetworkError).url).toBe(`${url}/api/cluster/jobs/${UUID}`);
  });

  it('refuses requests after close() with ClientClosedError (permanent), and close() can be called twice', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const client = connect(sim.url);
    await client.getJob(uuid);
    await client.close();
    await client.close();
    await expect(client.getJob(uuid)).rejects.toBeInstanceOf(ClientClosedError);
    expect(sim.requests).toHaveLength(1);
  });
});

describe('hostile ids never reach the wire', () => {
  const hostile: [string, unknown][] = [
    ['a slash', `${UUID}/../../cluster`],
    ['a dot-dot path', '../cluster/jobs'],
    ['a dot-dot segment', '..'],
    ['a dot segment', '.'],
    ['a question mark', `${UUID}?action=cancel`],
    ['a hash', `${UUID}#frag`],
    ['a percent', `${UUID}%2F..`],
    ['an encoded slash alone', '%2e%2e%2f'],
    ['a space', `${UUID} `],
    ['a leading space', ` ${UUID}`],
    ['a line break', `${UUID}\n`],
    ['a carriage return and header', `${UUID}\r\nX-Injected: 1`],
    ['a NUL', `${UUID}\u0000`],
    ['a DEL', `${UUID}\u007f`],
    ['10 KB', 'a'.repeat(10 * 1024)],
    ['10 KB of UUIDs', `${UUID}-`.repeat(300)],
    ['an empty string', ''],
    ['a non-UUID word', 'job-42'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', { uuid: UUID }],
    ['an array holding a uuid', [UUID]],
    ['a String object', new String(UUID)],
  ];

  it.each(hostile)('getJob refuses an id with %s before any request', async (_what, id) => {
    await expect(ontap.getJob(id as string)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(sim.requests).toEqual([]);
  });

  it.each(hostile)('waitForJob refuses an id with %s before any request', async (_what, id) => {
    await expect(ontap.waitForJob(id as string, { minDelayMs: 2, maxDelayMs: 10, timeoutMs: 1_000 })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(sim.requests).toEqual([]);
  });

  it.each(hostile)('cancelJob, pauseJob and resumeJob refuse an id with %s before any request', async (_what, id) => {
    await expect(ontap.cancelJob(id as string)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ontap.pauseJob(id as string)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ontap.resumeJob(id as string)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(sim.requests).toEqual([]);
  });

  it.each(hostile)('watchJob refuses an id with %s before any request', async (_what, id) => {
    const attempt = async (): Promise<unknown> => ontap.watchJob(id as string, { minDelayMs: 2, maxDelayMs: 10 }).next();
    await expect(attempt()).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(sim.requests).toEqual([]);
  });

  it('accepts an upper-case UUID and sends it as it is', async () => {
    const uuid = sim.ontap.addJob({ uuid: UUID.toUpperCase(), steps: [{ state: 'running' }] });
    await expect(ontap.getJob(uuid)).resolves.toMatchObject({ id: UUID.toUpperCase() });
    expect(sim.requests[0]?.path).toBe(`/api/cluster/jobs/${UUID.toUpperCase()}`);
  });
});

describe('construction', () => {
  it('keeps a base path of baseUrl in front of /api/cluster/jobs', async () => {
    const client = connect(`${sim.url}/prefix`);
    await client.getJob(UUID).catch(() => undefined);
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]?.path).toBe(`/prefix/api/cluster/jobs/${UUID}`);
    expect(client.baseUrl).toBe(`${sim.url}/prefix`);
  });

  it('drops trailing slashes of baseUrl and accepts a URL object', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const client = connect(`${sim.url}//`);
    await client.getJob(uuid);
    const other = connect(new URL(sim.url));
    await other.getJob(uuid);
    expect(sim.requests.map((r) => r.path)).toEqual([`/api/cluster/jobs/${uuid}`, `/api/cluster/jobs/${uuid}`]);
    expect(client.baseUrl).toBe(sim.url);
  });

  const badBaseUrls: [string, unknown][] = [
    ['credentials in the URL', 'http://admin:pw-123456@127.0.0.1:1'],
    ['a user name in the URL', 'http://admin@127.0.0.1:1'],
    ['a query', 'http://127.0.0.1:1/?x=1'],
    ['a fragment', 'http://127.0.0.1:1/#top'],
    ['an ftp scheme', 'ftp://127.0.0.1/'],
    ['a file scheme', 'file:///etc/passwd'],
    ['a javascript scheme', 'javascript:alert(1)'],
    ['no scheme', '127.0.0.1:443'],
    ['not a URL', 'cluster one'],
    ['an empty string', ''],
    ['a number', 443],
    ['undefined', undefined],
  ];

  it.each(badBaseUrls)('refuses a baseUrl with %s with InvalidArgumentError', (_what, baseUrl) => {
    let thrown: unknown;
    try {
      createOntapClient({ baseUrl: baseUrl as string, auth: { username: USERNAME, password: PASSWORD } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect((thrown as InvalidArgumentError).argument).toBe('baseUrl');
    expect(String((thrown as Error).message)).not.toContain(PASSWORD);
  });

  const badAuth: [string, unknown, string][] = [
    ['no auth', undefined, 'auth'],
    ['a null auth', null, 'auth'],
    ['an auth string', 'admin:pw', 'auth'],
    ['no username', { password: PASSWORD }, 'auth.username'],
    ['an empty username', { username: '', password: PASSWORD }, 'auth.username'],
    ['a username with a colon', { username: 'ad:min', password: PASSWORD }, 'auth.username'],
    ['a username with a line break', { username: 'admin\r\nX-Evil: 1', password: PASSWORD }, 'auth.username'],
    ['a numeric username', { username: 7, password: PASSWORD }, 'auth.username'],
    ['no password', { username: USERNAME }, 'auth.password'],
    ['a numeric password', { username: USERNAME, password: 123456 }, 'auth.password'],
  ];

  it.each(badAuth)('refuses %s with InvalidArgumentError', (_what, auth, argument) => {
    let thrown: unknown;
    try {
      createOntapClient({ baseUrl: sim.url, auth: auth as { username: string; password: string } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect((thrown as InvalidArgumentError).argument).toBe(argument);
    expect((thrown as Error).message).not.toContain(PASSWORD);
  });

  it('refuses options that are not an object', () => {
    expect(() => createOntapClient(undefined as unknown as OntapClientOptions)).toThrow(InvalidArgumentError);
    expect(() => createOntapClient(null as unknown as OntapClientOptions)).toThrow(InvalidArgumentError);
  });

  it('refuses bad transport options with InvalidArgumentError', () => {
    const base = { baseUrl: sim.url, auth: { username: USERNAME, password: PASSWORD } };
    expect(() => createOntapClient({ ...base, requestTimeoutMs: 0 })).toThrow(InvalidArgumentError);
    expect(() => createOntapClient({ ...base, retry: { retries: -1 } })).toThrow(InvalidArgumentError);
    expect(() => createOntapClient({ ...base, userAgent: 'x\r\nEvil: 1' })).toThrow(InvalidArgumentError);
  });

  it('shows baseUrl and username but never the password in util.inspect and JSON.stringify', () => {
    const client = connect(`${sim.url}/prefix`);
    const inspected = inspect(client, { depth: 10, showHidden: true });
    const nested = inspect({ client }, { depth: 10 });
    const json = JSON.stringify(client);
    const jsonNested = JSON.stringify({ client });
    for (const text of [inspected, nested, json, jsonNested]) {
      expect(text).toContain(`${sim.url}/prefix`);
      expect(text).toContain(USERNAME);
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(BASIC);
    }
    expect(JSON.parse(json)).toEqual({ vendor: 'ontap', baseUrl: `${sim.url}/prefix`, username: USERNAME });
    expect(inspected).toMatch(/^OntapClient /);
  });

  it('keeps the password out of the messages, inspection and JSON of an authentication error', async () => {
    sim.ontap.credentials = { username: USERNAME, password: 'something-else' };
    const error = await ontap.getJob(UUID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    for (const text of [String(error), (error as Error).stack ?? '', inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(BASIC);
    }
  });

  it('redacts the password and the Authorization value when a server echoes them in an error body', async () => {
    sim.fault({ type: 'status', status: 400, body: { error: { message: `bad header Basic ${BASIC} for ${PASSWORD}`, code: '2', target: PASSWORD } }, path: UUID });
    const error = await ontap.getJob(UUID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const api = error as ApiError;
    expect(api.status).toBe(400);
    expect(api.vendorCode).toBe('2');
    for (const text of [api.message, api.vendorMessage ?? '', api.target ?? '', JSON.stringify(api), inspect(api, { depth: 10 })]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(BASIC);
    }
    expect(api.vendorMessage).toContain('bad header');
  });
});
