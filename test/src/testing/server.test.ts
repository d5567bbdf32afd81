import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { startLoopbackServer, type LoopbackServer, type RecordedRequest } from '../../../src/testing/server.js';
import { FaultQueue } from '../../../src/testing/faults.js';

interface Echo {
  method: string;
  url: string;
  body: string;
  headers: Record<string, string>;
}

describe('startLoopbackServer', () => {
  let server: LoopbackServer;
  let agent: Agent;
  let recorded: RecordedRequest[];
  let handlers: RequestHandler[];
  let faults: FaultQueue;

  const echo = async ({ request: req }: { request: Request }) =>
    HttpResponse.json(
      { method: req.method, url: req.url, body: await req.text(), headers: Object.fromEntries(req.headers) } satisfies Echo,
      { status: 207, headers: { 'x-echo': 'yes' } },
    );

  beforeEach(async () => {
    recorded = [];
    faults = new FaultQueue();
    handlers = [
      http.all('*/echo', echo),
      http.get('*/throws', () => {
        throw new Error('boom');
      }),
    ];
    server = await startLoopbackServer({ host: '127.0.0.1', port: 0, handlers: () => handlers, faults, onRequest: (r) => recorded.push(r) });
    agent = new Agent();
  });

  afterEach(async () => {
    await agent.close();
    await server.close();
  });

  it('listens on the loopback address it was given, on a free port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(server.url).port)).toBeGreaterThan(0);
  });

  it('answers through the msw handlers with their status, headers and body', async () => {
    const res = await request(`${server.url}/echo?x=1`, { dispatcher: agent, method: 'PUT', body: 'payload', headers: { 'X-Custom': 'Value' } });
    expect(res.statusCode).toBe(207);
    expect(res.headers['x-echo']).toBe('yes');
    const body = (await res.body.json()) as Echo;
    expect(body.method).toBe('PUT');
    expect(body.url).toBe(`${server.url}/echo?x=1`);
    expect(body.body).toBe('payload');
    expect(body.headers['x-custom']).toBe('Value');
  });

  it('reads the handlers anew for each request', async () => {
    const before = await request(`${server.url}/late`, { dispatcher: agent });
    await before.body.dump();
    handlers = [http.get('*/late', () => HttpResponse.text('now here'))];
    const after = await request(`${server.url}/late`, { dispatcher: agent });
    expect([before.statusCode, after.statusCode]).toEqual([404, 200]);
    expect(await after.body.text()).toBe('now here');
  });

  it('answers 404 with a JSON error for a route no handler takes', async () => {
    const res = await request(`${server.url}/api/nothing/here?q=1`, { dispatcher: agent, method: 'DELETE' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = (await res.body.json()) as { error?: { message?: string; code?: string } };
    expect(body.error?.code).toBe('NO_ROUTE');
    expect(body.error?.message).toContain('DELETE /api/nothing/here');
  });

  it('answers 500 with a JSON error when a handler throws', async () => {
    const res = await request(`${server.url}/throws`, { dispatcher: agent });
    expect(res.statusCode).toBe(500);
    const body = (await res.body.json()) as { error?: { message?: string } };
    expect(body.error?.message).toContain('boom');
  });

  describe('recording', () => {
    it('records method, url, path, decoded query, lower-case headers and body', async () => {
      const before = Date.now();
      const res = await request(`${server.url}/echo?state=running%7Cqueued&fields=uuid,state&name=a%20b`, {
        dispatcher: agent,
        method: 'POST',
        body: '{"a":1}',
        headers: { 'Content-Type': 'application/json', 'X-Request-ID': 'Abc' },
      });
      await res.body.dump();
      const after = Date.now();
      expect(recorded).toHaveLength(1);
      const [r] = recorded as [RecordedRequest];
      expect(r.method).toBe('POST');
      expect(r.url).toBe('/echo?state=running%7Cqueued&fields=uuid,state&name=a%20b');
      expect(r.path).toBe('/echo');
      expect(r.query).toBeInstanceOf(URLSearchParams);
      expect(r.query.get('state')).toBe('running|queued');
      expect(r.query.get('fields')).toBe('uuid,state');
      expect(r.query.get('name')).toBe('a b');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-request-id']).toBe('Abc');
      expect(Object.keys(r.headers).every((name) => name === name.toLowerCase())).toBe(true);
      expect(r.headers['host']).toBe(new URL(server.url).host);
      expect(r.body).toBe('{"a":1}');
      expect(r.at).toBeGreaterThanOrEqual(before);
      expect(r.at).toBeLessThanOrEqual(after);
      expect(r).not.toHaveProperty('fault');
    });

    it('records a request without a query with an empty query and body', async () => {
      await (await request(`${server.url}/echo`, { dispatcher: agent })).body.dump();
      const [r] = recorded as [RecordedRequest];
      expect(r.method).toBe('GET');
      expect(r.url).toBe('/echo');
      expect(r.path).toBe('/echo');
      expect([...r.query]).toEqual([]);
      expect(r.body).toBe('');
    });

    it('records requests the simulator has no route for, oldest first', async () => {
      await (await request(`${server.url}/first`, { dispatcher: agent })).body.dump();
      await (await request(`${server.url}/second`, { dispatcher: agent, method: 'PATCH' })).body.dump();
      expect(recorded.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /first', 'PATCH /second']);
    });

    it('records the client port: one kept-alive connection shares it, another connection differs', async () => {
      const single = new Agent({ connections: 1 });
      const other = new Agent({ connections: 1 });
      try {
        await (await request(`${server.url}/echo`, { dispatcher: single })).body.dump();
        await (await request(`${server.url}/echo`, { dispatcher: single })).body.dump();
        await (await request(`${server.url}/echo`, { dispatcher: other })).body.dump();
      } finally {
        await single.close();
        await other.close();
      }
      const ports = recorded.map((r) => r.remotePort);
      expect(ports[0]).toBeGreaterThan(0);
      expect(ports[1]).toBe(ports[0]);
      expect(ports[2]).not.toBe(ports[0]);
    });

    it('records the fault a request met', async () => {
      faults.add({ type: 'status', status: 503 });
      await (await request(`${server.url}/echo`, { dispatcher: agent })).body.dump();
      await (await request(`${server.url}/echo`, { dispatcher: agent })).body.dump();
      expect(recorded.map((r) => r.fault)).toEqual(['status', undefined]);
    });
  });

  it('stops accepting connections once closed', async () => {
    await server.close();
    await expect(request(`${server.url}/echo`, { dispatcher: agent })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
