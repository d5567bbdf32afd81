import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Agent, request, type Dispatcher } from 'undici';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { FaultQueue, type Fault } from '../../../src/testing/faults.js';

describe('FaultQueue', () => {
  it('hits one request by default and is then used up', () => {
    const queue = new FaultQueue();
    queue.add({ type: 'reset' });
    expect(queue.take('GET', '/a')?.type).toBe('reset');
    expect(queue.take('GET', '/a')).toBeUndefined();
  });

  it('hits exactly `times` matching requests', () => {
    const queue = new FaultQueue();
    queue.add({ type: 'hang', times: 3 });
    expect([1, 2, 3, 4].map(() => queue.take('GET', '/a')?.type)).toEqual(['hang', 'hang', 'hang', undefined]);
  });

  it('gives the first matching fault, in the order they were added, and leaves the others', () => {
    const queue = new FaultQueue();
    queue.add({ type: 'reset', path: '/other' });
    queue.add({ type: 'hang' });
    queue.add({ type: 'truncate' });
    expect(queue.take('GET', '/jobs')?.type).toBe('hang');
    expect(queue.take('GET', '/jobs')?.type).toBe('truncate');
    expect(queue.take('GET', '/jobs')).toBeUndefined();
    expect(queue.take('GET', '/other')?.type).toBe('reset');
  });

  it('matches a string path against the path only, never the query', () => {
    const queue = new FaultQueue();
    queue.add({ type: 'reset', path: 'state=running' });
    expect(queue.take('GET', '/api/cluster/jobs?state=running')).toBeUndefined();
    queue.clear();
    queue.add({ type: 'reset', path: '/cluster/jobs' });
    expect(queue.take('GET', '/api/cluster/jobs?state=running')?.type).toBe('reset');
  });

  it('tests a RegExp path against path and query', () => {
    const queue = new FaultQueue();
    queue.add({ type: 'reset', path: /state=running$/ });
    expect(queue.take('GET', '/api/cluster/jobs?state=queued')).toBeUndefined();
    expect(queue.take('GET', '/api/cluster/jobs?state=running')?.type).toBe('reset');
  });

  it('matches a method whatever its case', () => {
    const queue = new FaultQueue();
    queue.add({ type: 'reset', method: 'patch' });
    expect(queue.take('GET', '/a')).toBeUndefined();
    expect(queue.take('PATCH', '/a')?.type).toBe('reset');
  });

  it('drops every fault on clear', () => {
    const queue = new FaultQueue();
    queue.add({ type: 'reset', times: 5 });
    queue.add({ type: 'hang' });
    queue.clear();
    expect(queue.take('GET', '/a')).toBeUndefined();
  });
});

describe('faults through the loopback server', () => {
  let sim: Simulator;
  let agent: Agent;
  let uuid: string;
  let jobPath: string;

  beforeEach(async () => {
    sim = await startSimulator();
    agent = new Agent();
    uuid = sim.ontap.addJob({ steps: [{ state: 'running', message: 'x'.repeat(200) }] });
    jobPath = `/api/cluster/jobs/${uuid}`;
  });

  afterEach(async () => {
    await agent.close();
    await sim.close();
  });

  const send = (path: string, options: { method?: Dispatcher.HttpMethod; signal?: AbortSignal } = {}) =>
    request(sim.url + path, { dispatcher: agent, method: options.method ?? 'GET', signal: options.signal });

  /** Reads a body to its end or its failure: the bytes received, and the error if any. */
  async function drain(body: AsyncIterable<unknown>): Promise<{ bytes: number; chunks: number; error: unknown }> {
    let bytes = 0;
    let chunks = 0;
    try {
      for await (const chunk of body) {
        bytes += (chunk as Buffer).length;
        chunks++;
      }
      return { bytes, chunks, error: undefined };
    } catch (error) {
      return { bytes, chunks, error };
    }
  }

  describe('status', () => {
    it('answers the status with an object body as JSON and the extra headers', async () => {
      sim.fault({ type: 'status', status: 503, body: { error: { message: 'busy' } }, headers: { 'x-request-id': 'r-1' } });
      const res = await send(jobPath);
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.headers['x-request-id']).toBe('r-1');
      expect(await res.body.json()).toEqual({ error: { message: 'busy' } });
    });

    it('answers a string body as text/plain, as it is', async () => {
      sim.fault({ type: 'status', status: 500, body: 'internal {oops' });
      const res = await send(jobPath);
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toBe('text/plain');
      expect(await res.body.text()).toBe('internal {oops');
    });

    it('answers an empty body when none is given', async () => {
      sim.fault({ type: 'status', status: 502 });
      const res = await send(jobPath);
      expect(res.statusCode).toBe(502);
      expect(await res.body.text()).toBe('');
    });

    it('lets the fault headers replace the content type', async () => {
      sim.fault({ type: 'status', status: 500, body: '<html></html>', headers: { 'content-type': 'text/html' } });
      const res = await send(jobPath);
      expect(res.headers['content-type']).toBe('text/html');
      expect(await res.body.text()).toBe('<html></html>');
    });
  });

  describe('rate-limit', () => {
    it('answers 429 with Retry-After in seconds', async () => {
      sim.fault({ type: 'rate-limit', retryAfter: 3 });
      const res = await send(jobPath);
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBe('3');
      expect(res.headers['content-type']).toBe('application/json');
      const body = (await res.body.json()) as { error?: { message?: unknown } };
      expect(typeof body.error?.message).toBe('string');
    });

    it('answers 429 with Retry-After as an HTTP date', async () => {
      const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
      sim.fault({ type: 'rate-limit', retryAfter: date });
      const res = await send(jobPath);
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBe(date);
      await res.body.dump();
    });

    it('answers 429 without Retry-After when none is given', async () => {
      sim.fault({ type: 'rate-limit' });
      const res = await send(jobPath);
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBeUndefined();
      await res.body.dump();
    });
  });

  describe('raw', () => {
    it('answers an HTML page with status 200 by default', async () => {
      sim.fault({ type: 'raw', body: '<html><body>Proxy login</body></html>' });
      const res = await send(jobPath);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html');
      expect(await res.body.text()).toBe('<html><body>Proxy login</body></html>');
    });

    it('answers its own status, content type and headers', async () => {
      sim.fault({ type: 'raw', status: 502, body: 'not json at all', contentType: 'application/json', headers: { 'x-proxy': 'squid' } });
      const res = await send(jobPath);
      expect(res.statusCode).toBe(502);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.headers['x-proxy']).toBe('squid');
      expect(await res.body.text()).toBe('not json at all');
    });
  });

  describe('connection faults', () => {
    it('reset: the request rejects with a socket error before any header', async () => {
      sim.fault({ type: 'reset' });
      const error: unknown = await send(jobPath).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as { code?: string }).code).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
      expect(sim.requests).toHaveLength(1);
    });

    it('reset-mid-body: headers arrive, then reading the body fails after part of it', async () => {
      sim.fault({ type: 'reset-mid-body' });
      const res = await send(jobPath);
      expect(res.statusCode).toBe(200);
      const length = Number(res.headers['content-length']);
      expect(length).toBeGreaterThan(200);
      const { bytes, error } = await drain(res.body);
      expect(error).toBeInstanceOf(Error);
      expect(bytes).toBeLessThan(length);
    });

    it('truncate: the full length is declared, half the body arrives, and reading it fails', async () => {
      sim.fault({ type: 'truncate' });
      const res = await send(jobPath);
      expect(res.statusCode).toBe(200);
      const length = Number(res.headers['content-length']);
      expect(length).toBeGreaterThan(200);
      const { bytes, error } = await drain(res.body);
      expect(error).toBeInstanceOf(Error);
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBeLessThan(length);
    });

    it('answers normally on the next request after a connection fault', async () => {
      sim.fault({ type: 'reset' });
      await send(jobPath).catch(() => undefined);
      const res = await send(jobPath);
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as { uuid?: string }).uuid).toBe(uuid);
    });
  });

  describe('timing faults', () => {
    it('delay: the normal answer arrives after at least the delay', async () => {
      sim.fault({ type: 'delay', ms: 150 });
      const started = performance.now();
      const res = await send(jobPath);
      const body = (await res.body.json()) as { uuid?: string; state?: string };
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(148);
      expect(res.statusCode).toBe(200);
      expect(body).toMatchObject({ uuid, state: 'running' });
    });

    it('hang: no answer comes, and the client-side timeout fires', async () => {
      sim.fault({ type: 'hang' });
      const started = performance.now();
      const error: unknown = await send(jobPath, { signal: AbortSignal.timeout(100) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toMatch(/TimeoutError|AbortError/);
      expect(performance.now() - started).toBeGreaterThanOrEqual(95);
      expect(sim.requests[0]?.fault).toBe('hang');
    });

    it('hang: close() resolves promptly and drops the hanging connection', async () => {
      sim.fault({ type: 'hang' });
      const pending = send(jobPath).then(
        () => 'answered',
        (e: unknown) => e,
      );
      await vi.waitFor(() => expect(sim.requests).toHaveLength(1), { timeout: 1000, interval: 5 });
      const started = performance.now();
      await sim.close();
      expect(performance.now() - started).toBeLessThan(500);
      const outcome = await pending;
      expect(outcome).toBeInstanceOf(Error);
      expect((outcome as { code?: string }).code).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
    });

    it('trickle: the body arrives in pieces over time and is complete', async () => {
      sim.fault({ type: 'trickle', intervalMs: 20, chunkBytes: 80 });
      const started = performance.now();
      const res = await send(jobPath);
      const length = Number(res.headers['content-length']);
      const parts: Buffer[] = [];
      for await (const chunk of res.body) parts.push(chunk as Buffer);
      const elapsed = performance.now() - started;
      const text = Buffer.concat(parts).toString('utf8');
      const pieces = Math.ceil(length / 80);
      expect(pieces).toBeGreaterThanOrEqual(3);
      expect(parts.length).toBeGreaterThanOrEqual(2);
      expect(elapsed).toBeGreaterThanOrEqual(20 * (pieces - 1) - 2);
      expect(Buffer.byteLength(text)).toBe(length);
      expect(JSON.parse(text)).toMatchObject({ uuid, state: 'running', message: 'x'.repeat(200) });
    });
  });

  describe('matching', () => {
    it('hits `times` requests and then stops', async () => {
      sim.fault({ type: 'status', status: 503, times: 2 });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await send(jobPath);
        statuses.push(res.statusCode);
        await res.body.dump();
      }
      expect(statuses).toEqual([503, 503, 200, 200]);
      expect(sim.requests.map((r) => r.fault)).toEqual(['status', 'status', undefined, undefined]);
    });

    it('hits only requests whose path contains the substring', async () => {
      const other = sim.ontap.addJob();
      sim.fault({ type: 'status', status: 500, path: `/jobs/${uuid}` });
      const first = await send(`/api/cluster/jobs/${other}`);
      const second = await send(jobPath);
      await first.body.dump();
      await second.body.dump();
      expect([first.statusCode, second.statusCode]).toEqual([200, 500]);
    });

    it('hits only requests whose path and query match the RegExp', async () => {
      sim.fault({ type: 'status', status: 500, path: /[?&]max_records=1(&|$)/ });
      const plain = await send('/api/cluster/jobs');
      const paged = await send('/api/cluster/jobs?max_records=1');
      await plain.body.dump();
      await paged.body.dump();
      expect([plain.statusCode, paged.statusCode]).toEqual([200, 500]);
    });

    it('hits only requests of its method', async () => {
      sim.fault({ type: 'status', status: 500, method: 'patch' });
      const get = await send(jobPath);
      const patch = await send(`${jobPath}?action=pause`, { method: 'PATCH' });
      await get.body.dump();
      await patch.body.dump();
      expect([get.statusCode, patch.statusCode]).toEqual([200, 500]);
      expect(sim.requests.map((r) => [r.method, r.fault])).toEqual([
        ['GET', undefined],
        ['PATCH', 'status'],
      ]);
    });

    it('hits requests to routes the simulator does not know', async () => {
      sim.fault({ type: 'status', status: 418 });
      const res = await send('/no/such/route');
      await res.body.dump();
      expect(res.statusCode).toBe(418);
    });

    it('drops pending faults on clearFaults', async () => {
      sim.fault({ type: 'reset', times: 10 });
      sim.fault({ type: 'status', status: 500 });
      sim.clearFaults();
      const res = await send(jobPath);
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      expect(sim.requests[0]?.fault).toBeUndefined();
    });

    it('records the fault each request met', async () => {
      const faults: Fault[] = [{ type: 'rate-limit' }, { type: 'raw', body: 'x' }, { type: 'delay', ms: 1 }];
      for (const fault of faults) sim.fault(fault);
      for (let i = 0; i < 4; i++) await (await send(jobPath)).body.dump();
      expect(sim.requests.map((r) => r.fault)).toEqual(['rate-limit', 'raw', 'delay', undefined]);
      expect(sim.requests[3]).not.toHaveProperty('fault');
    });
  });
});
