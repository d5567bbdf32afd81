import { createServer } from 'node:net';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { explain, main } from '../../examples/typed-errors.js';
import { createCasClient } from '../../adapters/cas/index.js';
import { startSimulator, type Simulator } from '../../src/testing/index.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(() => sim.close());

const run = async (uuid: string, options: Parameters<typeof main>[3] = {}, baseUrl = sim.url): Promise<{ code: string; lines: string[] }> => {
  const lines: string[] = [];
  const code = await main(baseUrl, uuid, (line) => lines.push(line), options);
  return { code, lines };
};

/** A loopback port nothing listens on. */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
};

test('a job that succeeds returns OK', async () => {
  const uuid = sim.ontap.addJob();
  expect(await run(uuid)).toEqual({ code: 'OK', lines: [`${uuid} succeeded`] });
});

test('JobFailedError: the vendor code and message', async () => {
  const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', error: { code: '917927', message: 'Volume is offline' } }] });
  expect(await run(uuid)).toEqual({ code: 'JOB_FAILED', lines: ['JOB_FAILED: the job failed: 917927 Volume is offline'] });
});

test('JobCancelledError: a cancelled ServiceStage job, explained by the same function', async () => {
  const jobId = sim.cas.addJob({ steps: [{ status: 'RUNNING' }, { status: 'CANCELLED' }] });
  await using cas = createCasClient({ endpoint: sim.url, projectId: '063a3158b1a34710b36ad208b9497d00', auth: { token: 'example-token' } });
  const error: unknown = await cas.waitForJob(jobId, { minDelayMs: 10 }).catch((e: unknown) => e);
  expect(explain(error)).toBe('the job was cancelled (CANCELLED)');
});

test('JobTimeoutError: the last state and the polls', async () => {
  const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
  const { code, lines } = await run(uuid, { timeoutMs: 200 });
  expect(code).toBe('JOB_TIMEOUT');
  expect(lines[0]).toMatch(/^JOB_TIMEOUT: gave up after \d+ polls, last seen running: the job may still end$/);
});

test('JobTimeoutError whose polls kept meeting 429: the cause is named', async () => {
  const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
  sim.fault({ type: 'rate-limit', retryAfter: 0, times: Infinity });
  const { code, lines } = await run(uuid, { timeoutMs: 200 });
  expect(code).toBe('JOB_TIMEOUT');
  expect(lines[0]).toMatch(/never seen; the polls kept meeting RateLimitError/);
});

test('JobNotFoundError: never seen, and seen then vanished', async () => {
  expect(await run('3e47a1f2-0b8c-4c5e-9d7a-1f2e3d4c5b6a')).toEqual({
    code: 'JOB_NOT_FOUND',
    lines: ['JOB_NOT_FOUND: no job 3e47a1f2-0b8c-4c5e-9d7a-1f2e3d4c5b6a: check the id'],
  });
  const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
  setTimeout(() => sim.ontap.deleteJob(uuid), 100);
  expect(await run(uuid)).toEqual({ code: 'JOB_NOT_FOUND', lines: ['JOB_NOT_FOUND: the job vanished after it was seen running: its outcome is unknown'] });
});

test('WaitAbortedError: only the wait stops', async () => {
  const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
  expect(await run(uuid, { signal: AbortSignal.timeout(100) })).toEqual({ code: 'ABORTED', lines: ['ABORTED: stopped waiting; the job goes on'] });
});

test('AuthenticationError: wrong credentials end the wait at once', async () => {
  sim.ontap.credentials = { username: 'admin', password: 'right' };
  expect(await run(sim.ontap.addJob(), { password: 'wrong' })).toEqual({
    code: 'AUTHENTICATION',
    lines: ['AUTHENTICATION: credentials refused (401): fix them, retrying will not help'],
  });
});

test('RateLimitError: a one-shot read meets a 429', async () => {
  sim.fault({ type: 'rate-limit', retryAfter: 2 });
  expect(await run(sim.ontap.addJob(), { once: true })).toEqual({ code: 'RATE_LIMITED', lines: ['RATE_LIMITED: rate limited: ask again in 2000 ms'] });
});

test('ApiError: any other HTTP error, with the vendor code', async () => {
  sim.fault({ type: 'status', status: 400, body: { error: { message: 'Invalid field', code: '262179' } } });
  expect(await run(sim.ontap.addJob())).toEqual({ code: 'API_ERROR', lines: ['API_ERROR: the vendor answered 400 with code 262179: Invalid field'] });
});

test('NetworkError: nobody listens, and nobody ever answered (a wrong URL will not pass)', async () => {
  const port = await closedPort();
  const { code, lines } = await run(sim.ontap.addJob(), { once: true }, `http://127.0.0.1:${port}`);
  expect(code).toBe('NETWORK');
  expect(lines[0]).toMatch(/^NETWORK: no answer \(will not pass\): GET http:\/\/127\.0\.0\.1:\d+\/api\/cluster\/jobs\/.* failed: cannot reach 127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)/);
  expect(lines[0]).toContain(`127.0.0.1:${port}`);
});

test('InvalidResponseError: a body that is not JSON', async () => {
  sim.fault({ type: 'raw', status: 200, body: '<html>proxy login</html>', contentType: 'text/html' });
  const { code, lines } = await run(sim.ontap.addJob());
  expect(code).toBe('INVALID_RESPONSE');
  expect(lines[0]).toMatch(/^INVALID_RESPONSE: an answer jobwait cannot trust \(200\)/);
});

test('InvalidArgumentError: raised before any request', async () => {
  expect(await run(sim.ontap.addJob(), { timeoutMs: -1 })).toEqual({ code: 'INVALID_ARGUMENT', lines: [expect.stringMatching(/^INVALID_ARGUMENT: bad timeoutMs: /)] });
  expect(sim.requests).toHaveLength(0);
});

test('anything else is not a jobwait error', () => {
  expect(explain(new TypeError('boom'))).toBe('not a jobwait error: TypeError: boom');
});
