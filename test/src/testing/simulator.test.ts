import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { getResponse } from 'msw';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { OntapSimulation } from '../../../adapters/ontap/simulator.js';

const auth = (username: string, password: string): string => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

describe('startSimulator', () => {
  let agent: Agent;

  beforeEach(() => {
    agent = new Agent();
  });

  afterEach(async () => {
    await agent.close();
  });

  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await request(url, { dispatcher: agent, headers });
    return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Record<string, unknown> };
  };

  describe('a running simulator', () => {
    let sim: Simulator;

    beforeEach(async () => {
      sim = await startSimulator();
    });

    afterEach(async () => {
      await sim.close();
    });

    it('listens on 127.0.0.1 on a free port by default', () => {
      expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    });

    it('exposes an ONTAP simulation whose jobs the server answers', async () => {
      expect(sim.ontap).toBeInstanceOf(OntapSimulation);
      const uuid = sim.ontap.addJob();
      const { status, body } = await get(`${sim.url}/api/cluster/jobs/${uuid}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ uuid, state: 'queued' });
    });

    it('records every request, oldest first, the unknown ones too', async () => {
      const uuid = sim.ontap.addJob();
      await get(`${sim.url}/api/cluster/jobs/${uuid}?fields=state`, { 'X-Trace': 'T1' });
      await get(`${sim.url}/nowhere`);
      expect(sim.requests).toHaveLength(2);
      const [first, second] = sim.requests;
      expect(first).toMatchObject({ method: 'GET', path: `/api/cluster/jobs/${uuid}`, url: `/api/cluster/jobs/${uuid}?fields=state`, body: '' });
      expect(first?.query.get('fields')).toBe('state');
      expect(first?.headers['x-trace']).toBe('T1');
      expect(first?.remotePort).toBeGreaterThan(0);
      expect(typeof first?.at).toBe('number');
      expect(second?.path).toBe('/nowhere');
    });

    it('answers an unknown route with 404 and a JSON error', async () => {
      const { status, headers, body } = await get(`${sim.url}/api/storage/volumes`);
      expect(status).toBe(404);
      expect(headers['content-type']).toMatch(/^application\/json/);
      expect(body).toMatchObject({ error: { code: 'NO_ROUTE' } });
    });

    it('reset() drops jobs, faults, recorded requests and credentials', async () => {
      const uuid = sim.ontap.addJob();
      sim.ontap.credentials = { username: 'admin', password: 'secret' };
      await get(`${sim.url}/api/cluster/jobs/${uuid}`, { authorization: auth('admin', 'secret') });
      sim.fault({ type: 'status', status: 503, times: 5 });
      const requests = sim.requests;
      expect(requests).toHaveLength(1);

      sim.reset();

      expect(sim.requests).toHaveLength(0);
      expect(sim.requests).toBe(requests);
      expect(sim.ontap.credentials).toBeUndefined();
      expect(sim.ontap.peek(uuid)).toBeUndefined();
      // No credentials asked and no fault left: the unknown job answers ONTAP's 404.
      const { status, body } = await get(`${sim.url}/api/cluster/jobs/${uuid}`);
      expect(status).toBe(404);
      expect(body).toEqual({ error: { message: "entry doesn't exist", code: '4', target: 'uuid' } });
      expect(sim.requests).toHaveLength(1);
      expect(sim.requests[0]?.fault).toBeUndefined();
    });

    it('keeps answering jobs added after reset()', async () => {
      sim.reset();
      const uuid = sim.ontap.addJob();
      const { status } = await get(`${sim.url}/api/cluster/jobs/${uuid}`);
      expect(status).toBe(200);
    });

    it('handlers() gives msw handlers that answer from the same simulation', async () => {
      const uuid = sim.ontap.addJob();
      const handlers = sim.handlers();
      expect(handlers.length).toBeGreaterThan(0);
      const viaMsw = await getResponse(handlers, new Request(`http://x/api/cluster/jobs/${uuid}`));
      expect(viaMsw?.status).toBe(200);
      expect(await viaMsw?.json()).toMatchObject({ uuid, state: 'queued' });
      // The msw poll counted: the server now shows the next step.
      const { body } = await get(`${sim.url}/api/cluster/jobs/${uuid}`);
      expect(body['state']).toBe('running');
      const missing = await getResponse(handlers, new Request('http://x/api/cluster/jobs/no-such-job'));
      expect(missing?.status).toBe(404);
    });

    it('handlers() gives a copy: emptying it leaves the server answering', async () => {
      const uuid = sim.ontap.addJob();
      sim.handlers().length = 0;
      const { status } = await get(`${sim.url}/api/cluster/jobs/${uuid}`);
      expect(status).toBe(200);
    });

    it('close() stops the server: later requests are refused', async () => {
      await sim.close();
      await expect(request(`${sim.url}/api/cluster/jobs`, { dispatcher: agent })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    });
  });

  it('runs two independent simulators side by side', async () => {
    await using a = await startSimulator();
    await using b = await startSimulator();
    expect(a.url).not.toBe(b.url);
    const uuid = a.ontap.addJob();
    expect((await get(`${a.url}/api/cluster/jobs/${uuid}`)).status).toBe(200);
    expect((await get(`${b.url}/api/cluster/jobs/${uuid}`)).status).toBe(404);
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
  });

  it('listens on the port it is given', async () => {
    const probe = await startSimulator();
    const port = new URL(probe.url).port;
    await probe.close();
    const sim = await startSimulator({ port: Number(port) });
    try {
      expect(sim.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await sim.close();
    }
  });

  it('accepts localhost as a loopback host', async () => {
    const sim = await startSimulator({ host: 'localhost' });
    try {
      expect(new URL(sim.url).hostname).toMatch(/^(127\.0\.0\.1|\[::1\])$/);
      expect((await get(`${sim.url}/x`)).status).toBe(404);
    } finally {
      await sim.close();
    }
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])('refuses to listen on %s, which is not loopback', async (host) => {
    await expect(startSimulator({ host })).rejects.toThrow(/loopback only/);
  });

  it('stops on Symbol.asyncDispose', async () => {
    const sim = await startSimulator();
    await sim[Symbol.asyncDispose]();
    await expect(request(`${sim.url}/x`, { dispatcher: agent })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('stops at the end of an `await using` block', async () => {
    let url = '';
    {
      await using sim = await startSimulator();
      url = sim.url;
      expect((await get(`${url}/x`)).status).toBe(404);
    }
    await expect(request(`${url}/x`, { dispatcher: agent })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
