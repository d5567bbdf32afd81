import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createAcmeSource, main, type AcmeTask } from '../../examples/custom-adapter.js';
import { JobFailedError, JobNotFoundError, JobTimeoutError, waitForJob, waitForJobs } from '../../src/index.js';

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

test('the adapter itself is under 40 lines', async () => {
  const source = await readFile(new URL('../../examples/custom-adapter.ts', import.meta.url), 'utf8');
  const adapter = /\/\/ --- adapter: start[^\n]*\n([\s\S]*?)\/\/ --- adapter: end/.exec(source)?.[1];
  expect(adapter).toBeDefined();
  const lines = (adapter ?? '').split('\n').filter((line) => line.trim() !== '');
  expect(lines.length).toBeGreaterThan(10);
  expect(lines.length).toBeLessThan(40);
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

test('the core features come for free: deadlines with a poll summary, and fleets', async () => {
  scripts.set('slow', [{ status: 'WORKING' }]);
  const acme = createAcmeSource(url, 't');
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
