import { freePort } from '../helpers/free-port.js';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type * as Cas from '../../adapters/cas/index.js';
import { startSimulator, type Simulator } from '../../src/testing/index.js';
import { importBuilt, runExample, type ExampleOptions, type ExampleResult } from './run-example.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(() => sim.close());

/** Runs the example against the test's simulator (or `url`), with `args` before the job's uuid. */
const run = (uuid: string, args: string[] = [], { url = sim.url, password = 'netapp1!', ...options }: ExampleOptions & { url?: string; password?: string } = {}): Promise<ExampleResult> =>
  runExample('typed-errors.mjs', [...args, uuid], { ...options, env: { JOBWAIT_ONTAP_URL: url, JOBWAIT_ONTAP_USER: 'admin', JOBWAIT_ONTAP_PASSWORD: password } });


test('run with nothing set, it explains the simulated job that fails, exit code 1', async () => {
  expect(await runExample('typed-errors.mjs')).toMatchObject({ code: 1, lines: ['JOB_FAILED: the job failed: 917927 Volume is offline'], stderr: '' });
});

test('a job that succeeds prints its state, exit code 0', async () => {
  const uuid = sim.ontap.addJob();
  expect(await run(uuid)).toMatchObject({ code: 0, lines: [`${uuid} succeeded`] });
});

test('JobFailedError: the vendor code and message', async () => {
  const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', error: { code: '917927', message: 'Volume is offline' } }] });
  expect(await run(uuid)).toMatchObject({ code: 1, lines: ['JOB_FAILED: the job failed: 917927 Volume is offline'] });
});

test('JobCancelledError: a cancelled ServiceStage job, explained by the same function', async () => {
  const { explain } = await importBuilt<{ explain: (error: unknown) => string }>('./explain.mjs');
  const { createCasClient } = await importBuilt<typeof Cas>('jobwait/cas');
  const jobId = sim.cas.addJob({ steps: [{ status: 'RUNNING' }, { status: 'CANCELLED' }] });
  const cas = createCasClient({ endpoint: sim.url, projectId: '063a3158b1a34710b36ad208b9497d00', auth: { token: 'example-token' } });
  try {
    const error: unknown = await cas.waitForJob(jobId, { minDelayMs: 10 }).catch((e: unknown) => e);
    expect(explain(error)).toBe('the job was cancelled (CANCELLED)');
  } finally {
    await cas.close();
  }
});

test('JobTimeoutError: the last state and the polls', async () => {
  const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
  const { lines } = await run(uuid, ['--timeout', '200']);
  expect(lines).toEqual([expect.stringMatching(/^JOB_TIMEOUT: gave up after \d+ polls, last seen running: the job may still end$/)]);
});

test('JobTimeoutError whose polls kept meeting 429: the cause is named', async () => {
  const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
  sim.fault({ type: 'rate-limit', retryAfter: 0, times: Infinity });
  const { lines } = await run(uuid, ['--timeout', '200']);
  expect(lines[0]).toMatch(/^JOB_TIMEOUT: .*never seen; the polls kept meeting RateLimitError/);
});

test('JobNotFoundError: never seen, and seen then vanished', async () => {
  expect(await run('3e47a1f2-0b8c-4c5e-9d7a-1f2e3d4c5b6a')).toMatchObject({ lines: ['JOB_NOT_FOUND: no job 3e47a1f2-0b8c-4c5e-9d7a-1f2e3d4c5b6a: check the id'] });
  const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
  // Once a second poll has come (so the first one was answered: seen running), delete the job.
  const seenTwice = (): boolean => sim.requests.filter((r) => r.url.includes(uuid)).length >= 2;
  const vanish = setInterval(() => seenTwice() && sim.ontap.deleteJob(uuid), 5);
  try {
    expect(await run(uuid)).toMatchObject({ lines: ['JOB_NOT_FOUND: the job vanished after it was seen running: its outcome is unknown'] });
  } finally {
    clearInterval(vanish);
  }
});

test('WaitAbortedError: Ctrl-C stops only the wait', async () => {
  const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
  const result = await run(uuid, [], {
    onSpawn: (child) => {
      // Once the example polls (its SIGINT handler is in place by then), press Ctrl-C.
      const press = setInterval(() => sim.requests.length > 0 && (clearInterval(press), child.kill('SIGINT')), 10);
    },
  });
  expect(result).toMatchObject({ code: 1, signal: null, lines: ['ABORTED: stopped waiting; the job goes on'] });
});

test('AuthenticationError: wrong credentials end the wait at once', async () => {
  sim.ontap.credentials = { username: 'admin', password: 'right' };
  expect(await run(sim.ontap.addJob(), [], { password: 'wrong' })).toMatchObject({ lines: ['AUTHENTICATION: credentials refused (401): fix them, retrying will not help'] });
});

test('RateLimitError: a one-shot read meets a 429', async () => {
  sim.fault({ type: 'rate-limit', retryAfter: 2 });
  expect(await run(sim.ontap.addJob(), ['--once'])).toMatchObject({ lines: ['RATE_LIMITED: rate limited: ask again in 2000 ms'] });
});

test('ApiError: any other HTTP error, with the vendor code', async () => {
  sim.fault({ type: 'status', status: 400, body: { error: { message: 'Invalid field', code: '262179' } } });
  expect(await run(sim.ontap.addJob())).toMatchObject({ lines: ['API_ERROR: the vendor answered 400 with code 262179: Invalid field'] });
});

test('NetworkError: nobody listens, and nobody ever answered (a wrong URL will not pass)', async () => {
  const port = await freePort();
  const { lines } = await run(sim.ontap.addJob(), ['--once'], { url: `http://127.0.0.1:${port}` });
  expect(lines[0]).toMatch(/^NETWORK: no answer \(will not pass\): GET http:\/\/127\.0\.0\.1:\d+\/api\/cluster\/jobs\/.* failed: cannot reach 127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)/);
  expect(lines[0]).toContain(`127.0.0.1:${port}`);
});

test('InvalidResponseError: a body that is not JSON', async () => {
  sim.fault({ type: 'raw', status: 200, body: '<html>proxy login</html>', contentType: 'text/html' });
  const { lines } = await run(sim.ontap.addJob());
  expect(lines[0]).toMatch(/^INVALID_RESPONSE: an answer jobwait cannot trust \(200\)/);
});

test('InvalidArgumentError: raised before any request', async () => {
  expect(await run(sim.ontap.addJob(), ['--timeout=-1'])).toMatchObject({ lines: [expect.stringMatching(/^INVALID_ARGUMENT: bad timeoutMs: /)] });
  expect(sim.requests).toHaveLength(0);
});

test('anything else is not a jobwait error', async () => {
  const { explain } = await importBuilt<{ explain: (error: unknown) => string }>('./explain.mjs');
  expect(explain(new TypeError('boom'))).toBe('not a jobwait error: TypeError: boom');
});
