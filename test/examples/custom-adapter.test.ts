import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, onTestFinished, test } from 'vitest';
import type * as Jobwait from '../../src/index.js';
import type { ClientOptions, JobSource } from '../../src/index.js';
import { importBuilt, runExample } from './run-example.js';

/** The Acme task of `examples/acme-source.mjs`. */
interface AcmeTask {
  id: string;
  status: 'PENDING' | 'WORKING' | 'DONE' | 'ERROR';
  detail?: string;
  errorCode?: string;
}
type AcmeSource = JobSource<AcmeTask> & { close(): Promise<void> };

// The example's adapter and the built package it runs on: one set of classes, so `instanceof` holds.
const { createAcmeSource } = await importBuilt<{ createAcmeSource: (baseUrl: string, token: string, options?: ClientOptions) => AcmeSource }>('./acme-source.mjs');
const { ApiError, JobFailedError, JobNotFoundError, JobTimeoutError, waitForJob, waitForJobs } = await importBuilt<typeof Jobwait>('jobwait');

/** A made-up vendor: each task answers its scripted bodies in turn (the last one holds); a number is an HTTP status. */
let scripts: Map<string, (Omit<AcmeTask, 'id'> | number)[]>;
let authorizations: string[];
let server: Server;
let url: string;

beforeEach(async () => {
  scripts = new Map();
  authorizations = [];
  server = createServer((request, response) => {
    authorizations.push(request.headers.authorization ?? '');
    const id = decodeURIComponent(/^\/v1\/tasks\/([^/?]+)$/.exec(request.url ?? '')?.[1] ?? '');
    const script = scripts.get(id);
    const next = script && script.length > 1 ? script.shift() : script?.[0];
    if (next === undefined) return void response.writeHead(404).end();
    if (typeof next === 'number') return void response.writeHead(next).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, ...next }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('the adapter itself is under 40 lines, on jobwait\'s transport rather than fetch', async () => {
  const source = await readFile(new URL('../../examples/acme-source.mjs', import.meta.url), 'utf8');
  const adapter = /\/\/ --- adapter: start[^\n]*\n([\s\S]*?)\/\/ --- adapter: end/.exec(source)?.[1];
  expect(adapter).toBeDefined();
  const lines = (adapter ?? '').split('\n').filter((line) => line.trim() !== '');
  expect(lines.length).toBeGreaterThan(10);
  expect(lines.length).toBeLessThan(40);
  expect(adapter).toContain('createHttpTransport(');
  expect(adapter).not.toMatch(/\bfetch\(/);
});

test('run with nothing set, the example starts its own Acme server and waits on its task through a 503, logging each change', async () => {
  expect(await runExample('custom-adapter.mjs')).toMatchObject({ code: 0, lines: ['queued', 'running: compiling', 'succeeded: artifact stored', 'done: DONE'], stderr: '' });
});

test('pointed by ACME_URL at a server, it waits on the task of its command line through a 503, with ACME_TOKEN', async () => {
  scripts.set('build-7', [{ status: 'PENDING' }, 503, { status: 'WORKING', detail: 'compiling' }, { status: 'DONE', detail: 'artifact stored' }]);
  const result = await runExample('custom-adapter.mjs', ['build-7'], { env: { ACME_URL: url, ACME_TOKEN: 'test-token' } });
  expect(result).toMatchObject({ code: 0, lines: ['queued', 'running: compiling', 'succeeded: artifact stored', 'done: DONE'] });
  expect(authorizations.length).toBeGreaterThanOrEqual(4);
  expect(authorizations.every((a) => a === 'Bearer test-token')).toBe(true);
});

test('a failed task rejects with JobFailedError carrying the vendor code; an unknown one with JobNotFoundError', async () => {
  scripts.set('build-8', [{ status: 'WORKING' }, { status: 'ERROR', detail: 'disk full', errorCode: 'E42' }]);
  const acme = createAcmeSource(url, 't');
  onTestFinished(() => acme.close());
  const failed: unknown = await waitForJob(acme, 'build-8', { minDelayMs: 10 }).catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(JobFailedError);
  expect((failed as Jobwait.JobFailedError).job.error).toEqual({ code: 'E42', message: 'disk full' });
  await expect(waitForJob(acme, 'nope', { minDelayMs: 10 })).rejects.toBeInstanceOf(JobNotFoundError);
});

test('getJob asks again after a 503, through the transport, and resolves with the answer that follows', async () => {
  scripts.set('flaky', [503, { status: 'DONE' }]);
  const acme = createAcmeSource(url, 't', { retry: { minTimeoutMs: 1, maxTimeoutMs: 5 } });
  try {
    await expect(acme.getJob('flaky')).resolves.toMatchObject({ id: 'flaky', state: 'succeeded' });
    expect(authorizations).toEqual(['Bearer t', 'Bearer t']);
  } finally {
    await acme.close();
  }
});

test("a 404 is the transport's JobNotFoundError, naming the vendor, with the 404 ApiError as its cause", async () => {
  const acme = createAcmeSource(url, 't');
  try {
    const error = await acme.getJob('gone').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect(error).toMatchObject({ jobId: 'gone', message: expect.stringContaining('acme') });
    const cause = (error as Jobwait.JobNotFoundError).cause;
    expect(cause).toBeInstanceOf(ApiError);
    expect(cause).toMatchObject({ status: 404, url: `${url}/v1/tasks/gone` });
    expect(authorizations).toHaveLength(1);
  } finally {
    await acme.close();
  }
});

test('the core features come for free: deadlines with a poll summary, and fleets', async () => {
  scripts.set('slow', [{ status: 'WORKING' }]);
  const acme = createAcmeSource(url, 't');
  onTestFinished(() => acme.close());
  const timeout: unknown = await waitForJob(acme, 'slow', { minDelayMs: 10, timeoutMs: 150 }).catch((e: unknown) => e);
  expect(timeout).toBeInstanceOf(JobTimeoutError);
  expect((timeout as Jobwait.JobTimeoutError).lastJob?.state).toBe('running');

  scripts.set('a', [{ status: 'DONE' }]);
  scripts.set('b', [{ status: 'PENDING' }, { status: 'DONE' }]);
  const outcomes = await waitForJobs(acme, ['a', 'b', 'c'], { minDelayMs: 10, timeoutMs: 5_000 });
  expect(outcomes.map((o) => [o.id, o.status === 'fulfilled' ? o.job.state : (o.error as Error).name])).toEqual([
    ['a', 'succeeded'],
    ['b', 'succeeded'],
    ['c', 'JobNotFoundError'],
  ]);
});
