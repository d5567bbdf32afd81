import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, onTestFinished, test } from 'vitest';
import { createAcmeSource, main, type AcmeTask } from '../../examples/custom-adapter.js';
import { ApiError, JobFailedError, JobNotFoundError, JobTimeoutError, waitForJob, waitForJobs } from '../../src/index.js';

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
  const source = await readFile(new URL('../../examples/custom-adapter.ts', import.meta.url), 'utf8');
  const adapter = /\/\/ --- adapter: start[^\n]*\n([\s\S]*?)\/\/ --- adapter: end/.exec(source)?.[1];
  expect(adapter).toBeDefined();
  const lines = (adapter ?? '').split('\n').filter((line) => line.trim() !== '');
  expect(lines.length).toBeGreaterThan(10);
  expect(lines.length).toBeLessThan(40);
  expect(adapter).toContain('createHttpTransport(');
  expect(adapter).not.toMatch(/\bfetch\(/);
});

test('the example waits on an Acme task through a 503, with its token, and logs each change', async () => {
  scripts.set('build-7', [{ status: 'PENDING' }, 503, { status: 'WORKING', detail: 'compiling' }, { status: 'DONE', detail: 'artifact stored' }]);
  const lines: string[] = [];
  const job = await main(url, 'build-7', (line) => lines.push(line));
  expect(job).toMatchObject({ vendor: 'acme', id: 'build-7', state: 'succeeded', vendorState: 'DONE', raw: { status: 'DONE' } });
  expect(lines).toEqual(['queued', 'running: compiling', 'succeeded: artifact stored']);
  expect(authorizations.every((a) => a === 'Bearer example-token')).toBe(true);
});

test('a failed task rejects with JobFailedError carrying the vendor code; an unknown one with JobNotFoundError', async () => {
  scripts.set('build-8', [{ status: 'WORKING' }, { status: 'ERROR', detail: 'disk full', errorCode: 'E42' }]);
  const failed: unknown = await main(url, 'build-8', () => {}).catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(JobFailedError);
  expect((failed as JobFailedError).job.error).toEqual({ code: 'E42', message: 'disk full' });
  await expect(main(url, 'nope', () => {})).rejects.toBeInstanceOf(JobNotFoundError);
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
    const cause = (error as JobNotFoundError).cause;
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
  expect((timeout as JobTimeoutError).lastJob?.state).toBe('running');

  scripts.set('a', [{ status: 'DONE' }]);
  scripts.set('b', [{ status: 'PENDING' }, { status: 'DONE' }]);
  const outcomes = await waitForJobs(acme, ['a', 'b', 'c'], { minDelayMs: 10, timeoutMs: 5_000 });
  expect(outcomes.map((o) => [o.id, o.status === 'fulfilled' ? o.job.state : (o.error as Error).name])).toEqual([
    ['a', 'succeeded'],
    ['b', 'succeeded'],
    ['c', 'JobNotFoundError'],
  ]);
});
