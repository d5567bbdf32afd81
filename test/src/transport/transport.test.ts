import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiError, AuthenticationError, InvalidArgumentError, JobNotFoundError } from '../../../src/errors/index.js';
import type { GetJobOptions, JobSource } from '../../../src/client/job-client.js';
import type { Job } from '../../../src/model/job.js';
import { createHttpTransport, type HttpTransport, type HttpTransportOptions } from '../../../src/transport/transport.js';
import { waitForJob } from '../../../src/engine/wait-for-job.js';
import { rejectionOf } from '../../helpers/promises.js';

/** A loopback server answering each request with the next scripted `[status, body]` (the last one holds). */
interface Loopback {
  url: string;
  server: Server;
  seen: { url: string; headers: IncomingHttpHeaders }[];
  script: [number, unknown][];
}

async function loopback(): Promise<Loopback> {
  const state: Loopback = { url: '', server: undefined as unknown as Server, seen: [], script: [[200, { ok: true }]] };
  state.server = createServer((request, response) => {
    state.seen.push({ url: request.url ?? '', headers: request.headers });
    const [status, body] = (state.script.length > 1 ? state.script.shift() : state.script[0]) as [number, unknown];
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  return state;
}

const TOKEN = 'tok-3f9a1c';
let own: Loopback;
let other: Loopback;
let transports: HttpTransport[];

function transport(over: Partial<HttpTransportOptions> = {}): HttpTransport {
  const made = createHttpTransport({
    vendor: 'acme',
    baseUrl: `${own.url}/v1`,
    authorize: () => ({ authorization: `Bearer ${TOKEN}` }),
    secrets: [TOKEN],
    retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2 },
    ...over,
  });
  transports.push(made);
  return made;
}

const ok = z.object({ ok: z.boolean() });

beforeEach(async () => {
  transports = [];
  [own, other] = await Promise.all([loopback(), loopback()]);
});
afterEach(async () => {
  await Promise.all(transports.map((t) => t.close()));
  for (const { server } of [own, other]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe('createHttpTransport', () => {
  it('validates the base URL and gives its origin and path', () => {
    const http = transport();
    expect([http.origin, http.basePath]).toEqual([own.url, '/v1']);
    expect(() => createHttpTransport({ vendor: 'acme', baseUrl: 'ftp://example.com' })).toThrow(InvalidArgumentError);
    expect(() => createHttpTransport({ vendor: 'acme', baseUrl: 'https://user:pw@example.com' })).toThrow(InvalidArgumentError);
  });

  it('sends an absolute URL on its own origin, as its path and query, with the credentials', async () => {
    const http = transport();
    const { data } = await http.request({ method: 'GET', path: `${own.url}/v1/operations/7?view=full#top`, schema: ok });
    expect(data).toEqual({ ok: true });
    expect(own.seen.map((s) => [s.url, s.headers.authorization])).toEqual([['/v1/operations/7?view=full', `Bearer ${TOKEN}`]]);
  });

  it.each([
    ['another host', () => `${other.url}/v1/operations/7`],
    ['another port of the same host', () => `${own.url.replace(/:\d+$/, '')}:1/v1/operations/7`],
    ['another scheme', () => own.url.replace('http:', 'https:') + '/v1/operations/7'],
    ['something that is no URL', () => 'operations/7'],
  ])('refuses %s with InvalidArgumentError before any request, so the credentials go nowhere', async (_name, target) => {
    const authorize = vi.fn(() => ({ authorization: `Bearer ${TOKEN}` }));
    const http = transport({ authorize });
    const error = await rejectionOf(http.request({ method: 'GET', path: target(), schema: ok }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('path');
    expect(authorize).not.toHaveBeenCalled();
    expect([own.seen, other.seen]).toEqual([[], []]);
  });

  it('sends a path that looks protocol-relative (//host/…) to its own origin, as a path', async () => {
    const path = `//127.0.0.1:${new URL(other.url).port}/x`;
    await transport().request({ method: 'GET', path, schema: ok });
    expect([own.seen.map((s) => s.url), other.seen]).toEqual([[path], []]);
  });

  it('refuses an absolute URL on its origin that carries user info', async () => {
    const http = transport();
    const error = await rejectionOf(http.request({ method: 'GET', path: own.url.replace('//', '//me:secret@') + '/v1/x', schema: ok }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).not.toContain('secret');
    expect(own.seen).toEqual([]);
  });
});

describe('createHttpTransport: the not-found hook', () => {
  it('turns a 404 to a request that names its job into JobNotFoundError, with the ApiError as its cause', async () => {
    own.script = [[404, { message: 'no such task' }]];
    const error = await rejectionOf(transport().request({ method: 'GET', path: '/v1/tasks/t-1', schema: ok, jobId: 't-1' }));
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect(error).toMatchObject({ jobId: 't-1', message: expect.stringContaining('acme') });
    expect((error as JobNotFoundError).cause).toBeInstanceOf(ApiError);
    expect(((error as JobNotFoundError).cause as ApiError).status).toBe(404);
    expect(own.seen).toHaveLength(1);
  });

  it('leaves a 404 to a request without a jobId an ApiError', async () => {
    own.script = [[404, {}]];
    const error = await rejectionOf(transport().request({ method: 'GET', path: '/v1/tasks', schema: ok }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(JobNotFoundError);
  });

  it("takes the adapter's rule for what a missing job is (a vendor code on a 400, not every 404)", async () => {
    const http = transport({
      parseErrorBody: (body) => ({ vendorCode: (body as { code?: string }).code }),
      isNotFound: (details, status) => details.vendorCode === 'TASK_GONE' || (status === 404 && details.vendorCode !== 'NO_ROUTE'),
    });
    own.script = [[400, { code: 'TASK_GONE' }], [404, { code: 'NO_ROUTE' }]];
    expect(await rejectionOf(http.request({ method: 'GET', path: '/v1/tasks/a', schema: ok, jobId: 'a' }))).toBeInstanceOf(JobNotFoundError);
    const route = await rejectionOf(http.request({ method: 'GET', path: '/v1/tasks/b', schema: ok, jobId: 'b' }));
    expect(route).toBeInstanceOf(ApiError);
    expect((route as ApiError).vendorCode).toBe('NO_ROUTE');
  });

  it('never asks about a refused credential: a 401 stays AuthenticationError', async () => {
    const isNotFound = vi.fn(() => true);
    own.script = [[401, {}]];
    const error = await rejectionOf(transport({ isNotFound }).request({ method: 'GET', path: '/v1/tasks/a', schema: ok, jobId: 'a' }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(isNotFound).not.toHaveBeenCalled();
  });

  it('retries a 503 and then maps the 404 that follows', async () => {
    own.script = [[503, {}], [404, {}]];
    const error = await rejectionOf(transport().request({ method: 'GET', path: '/v1/tasks/a', schema: ok, jobId: 'a' }));
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect(own.seen).toHaveLength(2);
  });
});

describe('createHttpTransport: the request budget', () => {
  /** A source whose polls never settle until released, counting the polls that started. */
  function heldSource(): { source: JobSource; started: () => number; release: () => void } {
    let started = 0;
    const held: (() => void)[] = [];
    const getJob = (id: string, _options?: GetJobOptions): Promise<Job> => {
      started++;
      return new Promise((resolve) => held.push(() => resolve({ vendor: 'acme', id, state: 'succeeded', vendorState: 'DONE', tasks: [], raw: {} })));
    };
    return { source: { vendor: 'acme', getJob }, started: () => started, release: () => held.splice(0).forEach((go) => go()) };
  }

  it("admits no more polls of an attached source at once than the transport's maxConcurrentRequests", async () => {
    const http = transport({ maxConcurrentRequests: 2 });
    const attached = heldSource();
    expect(http.attach(attached.source)).toBe(attached.source);
    const free = heldSource();
    const waits = [...Array.from({ length: 5 }, (_, i) => waitForJob(attached.source, `a-${i}`)), ...Array.from({ length: 5 }, (_, i) => waitForJob(free.source, `f-${i}`))];
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([attached.started(), free.started()]).toEqual([2, 5]);
    for (let round = 0; round < 3; round++) {
      attached.release();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    free.release();
    expect(attached.started()).toBe(5);
    await Promise.all(waits);
  });
});
