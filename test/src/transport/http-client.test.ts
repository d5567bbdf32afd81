import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createOntapClient, type OntapClient, type OntapClientOptions } from '../../../adapters/ontap/index.js';
import { ApiError, AuthenticationError, ClientClosedError, InvalidArgumentError, InvalidResponseError, JobNotFoundError, JobTimeoutError, NetworkError, RateLimitError } from '../../../src/errors/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { resolveClientOptions, type ClientOptions } from '../../../src/transport/client-options.js';
import { HttpClient, type HttpClientConfig } from '../../../src/transport/http-client.js';
import type { Logger } from '../../../src/transport/logger.js';
import { parseBaseUrl } from '../../../src/transport/path.js';
import { isTransient } from '../../../src/errors/transient.js';
import { rejectionOf as rejection } from '../../helpers/promises.js';

const FAST_RETRY = { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 20 } as const;
const AUTH = { username: 'admin', password: 'pw-for-tests' };

let sim: Simulator;
const cleanup: (() => Promise<void>)[] = [];

beforeEach(async () => {
  sim = await startSimulator();
});

afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
  await sim.close();
});

function ontap(options: Partial<OntapClientOptions> = {}): OntapClient {
  const client = createOntapClient({ baseUrl: sim.url, auth: AUTH, retry: FAST_RETRY, ...options });
  cleanup.push(() => client.close());
  return client;
}

function http(options: ClientOptions = {}, config: Partial<HttpClientConfig> = {}): HttpClient {
  const { origin, host } = parseBaseUrl(sim.url, 'url');
  const client = new HttpClient({ origin, host, options: resolveClientOptions({ retry: FAST_RETRY, ...options }), ...config });
  cleanup.push(() => client.close());
  return client;
}

function agent(): Agent {
  const dispatcher = new Agent();
  cleanup.push(() => dispatcher.close());
  return dispatcher;
}


const jobPath = (uuid: string): string => `/api/cluster/jobs/${uuid}`;
const runningJob = (): string => sim.ontap.addJob({ steps: [{ state: 'running', message: 'working' }] });
const jobSchema = z.looseObject({ uuid: z.string(), state: z.string() });
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/**
 * The Agents whose promise-form `close()` was called, once per call. The spy on the prototype also
 * sees the pools an Agent closes, and the callback-form call the promise form makes of itself.
 */
const agentCloses = (spy: { mock: { contexts: unknown[]; calls: unknown[][] } }): Agent[] =>
  spy.mock.contexts.filter((c, i): c is Agent => c instanceof Agent && typeof spy.mock.calls[i]?.[0] !== 'function');

const describeUncaught = (error: unknown): string => `${(error as Error)?.name}: ${(error as Error)?.message} (${String((error as { code?: unknown })?.code)})`;

/** Runs fn and returns the uncaught exceptions it left behind (a stream 'error' nobody listens to). */
async function uncaughtDuring(fn: () => Promise<unknown>): Promise<unknown[]> {
  const uncaught: unknown[] = [];
  const record = (error: unknown): void => {
    uncaught.push(error);
  };
  process.on('uncaughtException', record);
  try {
    await fn();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('uncaughtException', record);
  }
  return uncaught;
}

describe('HttpClient keep-alive and lifecycle', () => {
  it('sends sequential requests of one client, spaced like polls, over one kept-alive connection', async () => {
    const uuid = runningJob();
    const client = ontap();
    for (let i = 0; i < 5; i++) {
      await client.getJob(uuid);
      await nextTurn();
    }
    expect(sim.requests).toHaveLength(5);
    const ports = new Set(sim.requests.map((r) => r.remotePort));
    expect(ports.size).toBe(1);
    expect([...ports][0]).toBeGreaterThan(0);
  });

  it('reuses kept-alive connections for back-to-back requests too', async () => {
    const uuid = runningJob();
    const client = ontap();
    for (let i = 0; i < 8; i++) await client.getJob(uuid);
    expect(sim.requests).toHaveLength(8);
    // undici's pool may open a second connection when a request follows in the same turn,
    // but every connection is kept alive and reused
    expect(new Set(sim.requests.map((r) => r.remotePort)).size).toBeLessThanOrEqual(2);
  });

  it('gives each client its own connection pool', async () => {
    const uuid = runningJob();
    const first = ontap();
    const second = ontap();
    await first.getJob(uuid);
    await nextTurn();
    await second.getJob(uuid);
    await nextTurn();
    await first.getJob(uuid);
    const [a, b, c] = sim.requests.map((r) => r.remotePort);
    expect(a).toBe(c);
    expect(a).not.toBe(b);
  });

  it('closes its own Agent on close(), once however often close() is called', async () => {
    const closeSpy = vi.spyOn(Agent.prototype, 'close');
    const uuid = runningJob();
    const client = createOntapClient({ baseUrl: sim.url, auth: AUTH, retry: FAST_RETRY });
    await client.getJob(uuid);
    expect(agentCloses(closeSpy)).toHaveLength(0);
    await client.close();
    await client.close();
    await expect(client.close()).resolves.toBeUndefined();
    const closed = agentCloses(closeSpy);
    expect(closed).toHaveLength(1);
    expect(closed[0]?.closed).toBe(true);
  });

  it('rejects a request after close() with the permanent ClientClosedError, sending nothing', async () => {
    const uuid = runningJob();
    const client = ontap();
    await client.getJob(uuid);
    await client.close();
    const error = await rejection(client.getJob(uuid));
    expect(error).toBeInstanceOf(ClientClosedError);
    expect(isTransient(error)).toBe(false);
    expect((error as ClientClosedError).message).toBe(`GET ${sim.url}${jobPath(uuid)} was not sent: the client is closed`);
    expect(sim.requests).toHaveLength(1);
  });

  it('rejects a direct HttpClient request after close()', async () => {
    const client = http();
    await client.close();
    await expect(client.request({ method: 'GET', path: '/x', schema: z.unknown() })).rejects.toBeInstanceOf(ClientClosedError);
    expect(sim.requests).toHaveLength(0);
  });

  it('closes the client at the end of an `await using` block', async () => {
    const closeSpy = vi.spyOn(Agent.prototype, 'close');
    const uuid = runningJob();
    let escaped: OntapClient | undefined;
    {
      await using client = createOntapClient({ baseUrl: sim.url, auth: AUTH, retry: FAST_RETRY });
      escaped = client;
      await client.getJob(uuid);
      expect(agentCloses(closeSpy)).toHaveLength(0);
    }
    expect(agentCloses(closeSpy)).toHaveLength(1);
    expect(agentCloses(closeSpy)[0]?.closed).toBe(true);
    await expect(escaped.getJob(uuid)).rejects.toBeInstanceOf(ClientClosedError);
    expect(sim.requests).toHaveLength(1);
  });

  it('closes through Symbol.asyncDispose of HttpClient users', async () => {
    const client = createOntapClient({ baseUrl: sim.url, auth: AUTH, retry: FAST_RETRY });
    const uuid = runningJob();
    await client[Symbol.asyncDispose]();
    await expect(client.getJob(uuid)).rejects.toBeInstanceOf(ClientClosedError);
    expect(sim.requests).toHaveLength(0);
  });

  it('sends through a caller dispatcher and leaves it open and usable after close()', async () => {
    const dispatcher = agent();
    const requestSpy = vi.spyOn(dispatcher, 'request');
    const closeSpy = vi.spyOn(dispatcher, 'close');
    const uuid = runningJob();
    const client = ontap({ dispatcher });
    await client.getJob(uuid);
    await nextTurn();
    await client.getJob(uuid);
    await nextTurn();
    expect(requestSpy).toHaveBeenCalledTimes(2);
    await client.close();
    await client.close();
    expect(closeSpy).not.toHaveBeenCalled();
    expect(dispatcher.closed).toBe(false);

    const response = await dispatcher.request({ origin: sim.url, path: jobPath(uuid), method: 'GET' });
    expect(response.statusCode).toBe(200);
    await response.body.text();
    // the caller's kept-alive connection is still the one the client used
    expect(sim.requests).toHaveLength(3);
    expect(new Set(sim.requests.map((r) => r.remotePort)).size).toBe(1);
  });

  it('sends the default User-Agent, accept and Basic authorization headers', async () => {
    const uuid = runningJob();
    await ontap().getJob(uuid);
    const headers = sim.requests[0]?.headers;
    expect(headers?.['user-agent']).toBe('jobwait/0.1.0');
    expect(headers?.['accept']).toBe('application/json');
    expect(headers?.['authorization']).toBe(`Basic ${Buffer.from('admin:pw-for-tests').toString('base64')}`);
  });

  it('sends a custom User-Agent', async () => {
    const uuid = runningJob();
    await ontap({ userAgent: 'my-tool/2.0' }).getJob(uuid);
    expect(sim.requests[0]?.headers['user-agent']).toBe('my-tool/2.0');
  });

  it('shows only its origin to util.inspect and JSON.stringify', async () => {
    const client = http({}, { secrets: ['do-not-show'], authorize: () => ({ authorization: 'Bearer do-not-show' }) });
    const { inspect } = await import('node:util');
    expect(inspect(client, { depth: 10, showHidden: true })).toBe(`HttpClient { origin: ${JSON.stringify(sim.url)} }`);
    expect(JSON.parse(JSON.stringify(client))).toEqual({ origin: sim.url });
    expect(client.origin).toBe(sim.url);
  });
});

describe('ONTAP job ids in paths', () => {
  it.each(['..', '.', '../../cluster', 'x?return_records=false', 'x#frag', '', 'not-a-uuid'])('refuses the id %j before any request', async (id) => {
    const client = ontap();
    await expect(client.getJob(id)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.cancelJob(id)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(sim.requests).toHaveLength(0);
  });

  it('puts a UUID into the job path and the action into the query', async () => {
    const uuid = runningJob();
    const client = ontap();
    await client.getJob(uuid);
    await client.pauseJob(uuid);
    expect(sim.requests.map((r) => [r.method, r.url])).toEqual([
      ['GET', jobPath(uuid)],
      ['PATCH', `${jobPath(uuid)}?action=pause`],
    ]);
  });
});

describe('HttpClient retries', () => {
  // A 429 is retried in place when it says when (soon); without Retry-After it surfaces at once.
  const soon = (status: number): Record<string, string> => (status === 429 ? { 'retry-after': '0.001' } : {});

  it.each([429, 502, 503, 504])('retries a GET answered %s up to retry.retries times', async (status) => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status, body: { error: { message: 'busy', code: String(status) } }, headers: soon(status), times: 10 });
    const error = await rejection(ontap().getJob(uuid));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(status);
    expect(sim.requests).toHaveLength(3);
  });

  it.each([429, 502, 503, 504])('succeeds when a GET answered %s succeeds on a retry', async (status) => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status, headers: soon(status), times: 2 });
    const job = await ontap().getJob(uuid);
    expect(job.id).toBe(uuid);
    expect(sim.requests.map((r) => r.fault ?? 'ok')).toEqual(['status', 'status', 'ok']);
  });

  it('follows the configured number of retries', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status: 503, times: 20 });
    await expect(ontap({ retry: { retries: 4, minTimeoutMs: 1, maxTimeoutMs: 5 } }).getJob(uuid)).rejects.toBeInstanceOf(ApiError);
    expect(sim.requests).toHaveLength(5);
  });

  it('retries a GET after a connection reset', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'reset', times: 2 });
    const job = await ontap().getJob(uuid);
    expect(job.id).toBe(uuid);
    expect(sim.requests).toHaveLength(3);
  });

  it('gives up on connection resets after retry.retries with NetworkError', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'reset', times: 10 });
    const error = await rejection(ontap().getJob(uuid));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).timedOut).toBe(false);
    expect((error as NetworkError).method).toBe('GET');
    expect((error as NetworkError).url).toBe(sim.url + jobPath(uuid));
    expect(sim.requests).toHaveLength(3);
  });

  it('retries a refused connection', async () => {
    const closed = await startSimulator();
    const url = closed.url;
    await closed.close();
    const logged: string[] = [];
    const withLogger = createOntapClient({ baseUrl: url, auth: AUTH, retry: FAST_RETRY, logger: { debug: (line) => logged.push(line) } });
    cleanup.push(() => withLogger.close());
    const error = await rejection(withLogger.getJob('1cd8a442-86d1-11e0-ae1c-123478563412'));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toMatch(/ECONNREFUSED/);
    expect(logged.filter((line) => line.includes('retrying'))).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 409, 500])('does not retry a GET answered %s', async (status) => {
    sim.fault({ type: 'status', status, body: { error: { message: 'no', code: '1' } }, times: 10 });
    const error = await rejection(http().request({ method: 'GET', path: '/api/anything', schema: z.unknown() }));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(status);
    expect(sim.requests).toHaveLength(1);
  });

  it('sends exactly one request with retry: false', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status: 503, times: 10 });
    await expect(ontap({ retry: false }).getJob(uuid)).rejects.toBeInstanceOf(ApiError);
    expect(sim.requests).toHaveLength(1);
    sim.clearFaults();
    sim.fault({ type: 'reset', times: 10 });
    await expect(ontap({ retry: false }).getJob(uuid)).rejects.toBeInstanceOf(NetworkError);
    expect(sim.requests).toHaveLength(2);
  });

  it.each([503, 429])('retries a PATCH (cancelJob) answered %s: the server did not act', async (status) => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status, method: 'PATCH', headers: soon(status), times: 1 });
    await ontap().cancelJob(uuid);
    const patches = sim.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(2);
    expect(patches[1]?.url).toBe(`${jobPath(uuid)}?action=cancel`);
    expect(sim.ontap.peek(uuid)?.['state']).toBe('failure');
  });

  it.each([502, 504])('does not resend a request that is not idempotent answered %s: it may have been acted on', async (status) => {
    sim.fault({ type: 'status', status, times: 10 });
    const error = await rejection(http().request({ method: 'PATCH', path: '/api/act', schema: z.unknown() }));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(status);
    expect((error as ApiError).method).toBe('PATCH');
    expect(sim.requests).toHaveLength(1);
  });

  it.each([502, 504])('resends a request marked idempotent answered %s', async (status) => {
    sim.fault({ type: 'status', status, times: 1 });
    sim.fault({ type: 'status', status: 200, body: { done: true } });
    const response = await http().request({ method: 'PATCH', path: '/api/act', schema: z.object({ done: z.boolean() }), idempotent: true });
    expect(response.data).toEqual({ done: true });
    expect(sim.requests.map((r) => r.fault)).toEqual(['status', 'status']);
  });

  it('does not resend a request that is not idempotent after a connection reset: it may have reached the server', async () => {
    sim.fault({ type: 'reset', times: 10 });
    const error = await rejection(http().request({ method: 'PATCH', path: '/api/act', schema: z.unknown() }));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).transient).toBe(true);
    expect(sim.requests).toHaveLength(1);
  });

  it('resends a request marked idempotent after a connection reset', async () => {
    sim.fault({ type: 'reset', times: 1 });
    sim.fault({ type: 'status', status: 200, body: { done: true } });
    const response = await http().request({ method: 'PATCH', path: '/api/act', schema: z.object({ done: z.boolean() }), idempotent: true });
    expect(response.data).toEqual({ done: true });
    expect(sim.requests.map((r) => r.fault)).toEqual(['reset', 'status']);
  });

  it('resends even a request that is not idempotent when the connection was refused: it never reached the server', async () => {
    const closed = await startSimulator();
    const { origin, host } = parseBaseUrl(closed.url, 'url');
    await closed.close();
    const logged: string[] = [];
    const client = new HttpClient({ origin, host, options: resolveClientOptions({ retry: FAST_RETRY, logger: { debug: (line) => logged.push(line) } }) });
    cleanup.push(() => client.close());
    const error = await rejection(client.request({ method: 'POST', path: '/api/act', schema: z.unknown(), body: { a: 1 } }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(logged.filter((line) => line.includes('retrying POST'))).toHaveLength(FAST_RETRY.retries);
  });

  it('honours a Retry-After within retry.maxTimeoutMs before the next attempt (503)', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status: 503, headers: { 'retry-after': '0.12' }, times: 1 });
    await ontap({ retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 150 } }).getJob(uuid);
    expect(sim.requests).toHaveLength(2);
    const [first, second] = sim.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(115);
  });

  it('honours a Retry-After within retry.maxTimeoutMs before the next attempt (429)', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'rate-limit', retryAfter: '0.1', times: 1 });
    await ontap({ retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 150 } }).getJob(uuid);
    const [first, second] = sim.requests;
    expect(sim.requests).toHaveLength(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(95);
  });

  it('does not retry a 429 whose Retry-After exceeds retry.maxTimeoutMs; the error carries retryAfterMs', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'rate-limit', retryAfter: 1, times: 10 });
    const started = performance.now();
    const error = await rejection(ontap().getJob(uuid));
    expect(performance.now() - started).toBeLessThan(500);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(1000);
    expect(sim.requests).toHaveLength(1);
  });

  it('does not retry a 503 whose Retry-After exceeds retry.maxTimeoutMs; the ApiError carries retryAfterMs', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status: 503, headers: { 'retry-after': '30' }, times: 10 });
    const error = await rejection(ontap().getJob(uuid));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(RateLimitError);
    expect((error as ApiError).status).toBe(503);
    expect((error as ApiError).retryAfterMs).toBe(30_000);
    expect(sim.requests).toHaveLength(1);
  });

  it('waits out a Retry-After once before the next attempt, not the Retry-After and then its backoff as well', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status: 503, headers: { 'retry-after': '0.2' }, times: 1 });
    // Backoff 150–300 ms: the next attempt goes when both the backoff and the Retry-After have passed.
    await ontap({ retry: { retries: 1, minTimeoutMs: 150, maxTimeoutMs: 300 } }).getJob(uuid);
    const [first, second] = sim.requests;
    expect(sim.requests).toHaveLength(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(195);
    expect(second!.at - first!.at).toBeLessThan(340);
  });

  it('pauses every request of the client for the Retry-After of any transient answer, a 502 too', async () => {
    const client = ontap({ retry: { retries: 0 } });
    const [a, b] = [runningJob(), runningJob()];
    sim.fault({ type: 'status', status: 502, headers: { 'retry-after': '0.2' }, times: 1 });
    await expect(client.getJob(a)).rejects.toMatchObject({ status: 502, retryAfterMs: 200 });
    await client.getJob(b);
    const [first, second] = sim.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(195);
  });

  it('stops waiting out a Retry-After when the caller aborts, with the signal reason', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status: 503, headers: { 'retry-after': '0.15' }, times: 10 });
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 30);
    const started = performance.now();
    const error = await rejection(ontap({ retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 200 } }).getJob(uuid, { signal: controller.signal }));
    expect(error).toBe(reason);
    expect(performance.now() - started).toBeLessThan(140);
    expect(sim.requests).toHaveLength(1);
  });

  it('signs a retried request again for every attempt', async () => {
    let calls = 0;
    sim.fault({ type: 'status', status: 503, times: 2 });
    sim.fault({ type: 'status', status: 200, body: { ok: true } });
    const client = http({}, { authorize: () => ({ 'x-attempt': String(++calls) }) });
    const response = await client.request({ method: 'GET', path: '/signed', schema: z.object({ ok: z.boolean() }) });
    expect(response.data).toEqual({ ok: true });
    expect(sim.requests.map((r) => r.headers['x-attempt'])).toEqual(['1', '2', '3']);
  });
});

describe('HttpClient endpoints that never answered', () => {
  const QUICK = { minDelayMs: 2, maxDelayMs: 10, timeoutMs: 3_000 } as const;
  const UUID = '1cd8a442-86d1-11e0-ae1c-123478563412';

  /** The URL of a loopback port that was just closed: every connection to it is refused. */
  async function closedUrl(): Promise<string> {
    const closed = await startSimulator();
    await closed.close();
    return closed.url;
  }

  /** A caller dispatcher whose every connect fails as a name lookup (or route) does, with `code`. */
  function failingConnect(code: string): Agent {
    const dispatcher = new Agent({
      connect: (options, callback) => {
        callback(Object.assign(new Error(`getaddrinfo ${code} ${options.hostname}`), { code, syscall: 'getaddrinfo', hostname: options.hostname }), null);
      },
    });
    cleanup.push(() => dispatcher.close());
    return dispatcher;
  }

  function retryLines(): { logger: Logger; retries: () => string[] } {
    const lines: string[] = [];
    return { logger: { debug: (line) => lines.push(line) }, retries: () => lines.filter((line) => line.includes('retrying')) };
  }

  it('ends a wait on a refused endpoint that never answered within the per-request retries, with a permanent NetworkError naming the host', async () => {
    const url = await closedUrl();
    const { logger, retries } = retryLines();
    const client = createOntapClient({ baseUrl: url, auth: AUTH, retry: FAST_RETRY, logger });
    cleanup.push(() => client.close());
    const started = performance.now();
    const error = await rejection(client.waitForJob(UUID, QUICK));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(NetworkError);
    const network = error as NetworkError;
    expect(network.transient).toBe(false);
    expect(network.url).toBe(`${url}${jobPath(UUID)}`);
    expect(network.message).toContain(`cannot reach ${new URL(url).host}: connection refused (ECONNREFUSED); this client has never had an answer from it: check the URL`);
    // a brief blip at start-up is still ridden out: the request was retried before giving up
    expect(retries()).toHaveLength(FAST_RETRY.retries);
  });

  it.each([
    ['ENOTFOUND', 'the host name does not resolve'],
    ['EAI_AGAIN', 'DNS gave no answer for the host name'],
    ['EHOSTUNREACH', 'no route to the host'],
    ['ENETUNREACH', 'the network is unreachable'],
  ])('ends a wait at once on %s from a connect that never reached the host, naming the host and the cause', async (code, reason) => {
    const { logger, retries } = retryLines();
    const client = createOntapClient({ baseUrl: 'https://cluster1.invalid:8443', auth: AUTH, retry: FAST_RETRY, logger, dispatcher: failingConnect(code) });
    cleanup.push(() => client.close());
    const started = performance.now();
    const error = await rejection(client.waitForJob(UUID, QUICK));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).transient).toBe(false);
    expect((error as NetworkError).message).toContain(`cannot reach cluster1.invalid:8443: ${reason} (${code}); this client has never had an answer from it: check the URL`);
    expect(retries()).toHaveLength(FAST_RETRY.retries);
  });

  it('keeps a refused connection transient once the endpoint has answered, so a wait goes on to its deadline', async () => {
    const uuid = runningJob();
    const client = ontap();
    await client.getJob(uuid);
    await sim.close();
    const refused = await rejection(client.getJob(uuid));
    expect(refused).toBeInstanceOf(NetworkError);
    expect((refused as NetworkError).transient).toBe(true);
    expect((refused as NetworkError).message).toMatch(/ECONNREFUSED/);
    expect((refused as NetworkError).message).not.toContain('never had an answer');

    const error = await rejection(client.waitForJob(uuid, { ...QUICK, timeoutMs: 150 }));
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect((error as JobTimeoutError).cause).toBeInstanceOf(NetworkError);
    expect(((error as JobTimeoutError).cause as NetworkError).transient).toBe(true);
  });

  it('counts any HTTP answer, even an error status, as the endpoint having answered', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status: 500 });
    const client = ontap();
    await expect(client.getJob(uuid)).rejects.toBeInstanceOf(ApiError);
    await sim.close();
    const refused = await rejection(client.getJob(uuid));
    expect(refused).toBeInstanceOf(NetworkError);
    expect((refused as NetworkError).transient).toBe(true);
  });
});

describe('HttpClient per-request timeout and abort', () => {
  it('fails a hanging request with NetworkError timedOut after about requestTimeoutMs', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'hang' });
    const started = performance.now();
    const error = await rejection(ontap({ requestTimeoutMs: 100, retry: false }).getJob(uuid));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).timedOut).toBe(true);
    expect((error as NetworkError).message).toMatch(/100 ms/);
    expect((error as NetworkError).message).toMatch(/requestTimeoutMs/);
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(1000);
  });

  it('retries a GET that timed out, as a transient failure', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'hang', times: 1 });
    const job = await ontap({ requestTimeoutMs: 80 }).getJob(uuid);
    expect(job.id).toBe(uuid);
    expect(sim.requests.map((r) => r.fault ?? 'ok')).toEqual(['hang', 'ok']);
  });

  it('times out a body that trickles in slower than the timeout: the timer covers the whole request', async () => {
    const uuid = runningJob();
    // every chunk arrives well within the timeout, so only a whole-request timer can fire
    sim.fault({ type: 'trickle', intervalMs: 10, chunkBytes: 4 });
    const started = performance.now();
    const error = await rejection(ontap({ requestTimeoutMs: 100, retry: false }).getJob(uuid));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).timedOut).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(1000);
  });

  it('reads a trickled body that ends within the timeout', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'trickle', intervalMs: 1, chunkBytes: 64 });
    const job = await ontap({ requestTimeoutMs: 2000, retry: false }).getJob(uuid);
    expect(job.id).toBe(uuid);
  });

  it("rejects with the caller's signal reason when the caller aborts a request in flight", async () => {
    const uuid = runningJob();
    sim.fault({ type: 'hang', times: 10 });
    const controller = new AbortController();
    const reason = new Error('stop now');
    setTimeout(() => controller.abort(reason), 30);
    const started = performance.now();
    const error = await rejection(ontap({ requestTimeoutMs: 5000 }).getJob(uuid, { signal: controller.signal }));
    expect(error).toBe(reason);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(sim.requests).toHaveLength(1);
  });

  it("rejects with the caller's signal reason when the caller aborts with retries off", async () => {
    sim.fault({ type: 'hang', times: 10 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await rejection(http({ retry: false, requestTimeoutMs: 5000 }).request({ method: 'GET', path: '/hang', schema: z.unknown(), signal: controller.signal }));
    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe('AbortError');
  });

  it('sends nothing for a signal that is already aborted', async () => {
    const uuid = runningJob();
    const reason = new Error('already aborted');
    const error = await rejection(ontap().getJob(uuid, { signal: AbortSignal.abort(reason) }));
    expect(error).toBe(reason);
    const noRetry = await rejection(ontap({ retry: false }).getJob(uuid, { signal: AbortSignal.abort(reason) }));
    expect(noRetry).toBe(reason);
    expect(sim.requests).toHaveLength(0);
  });

  it('does not let an aborted signal of an earlier call affect the next call', async () => {
    const uuid = runningJob();
    const client = ontap();
    const controller = new AbortController();
    sim.fault({ type: 'hang' });
    setTimeout(() => controller.abort(), 20);
    await expect(client.getJob(uuid, { signal: controller.signal })).rejects.toBeDefined();
    await expect(client.getJob(uuid)).resolves.toMatchObject({ id: uuid });
  });
});

describe('HttpClient response size cap', () => {
  const big = JSON.stringify({ uuid: '1cd8a442-86d1-11e0-ae1c-123478563412', state: 'running', padding: 'x'.repeat(4000) });

  it('refuses a body whose content-length exceeds maxResponseBytes', async () => {
    sim.fault({ type: 'raw', status: 200, contentType: 'application/json', body: big, headers: { 'content-length': String(Buffer.byteLength(big)) } });
    let error: unknown;
    const uncaught = await uncaughtDuring(async () => {
      error = await rejection(http({ maxResponseBytes: 1024 }).request({ method: 'GET', path: '/big', schema: jobSchema }));
    });
    // the refused body must be dropped quietly: an unhandled stream 'error' would crash the caller's process
    expect(uncaught.map(describeUncaught)).toEqual([]);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/maxResponseBytes/);
    expect((error as InvalidResponseError).message).toMatch(/1024/);
    expect((error as InvalidResponseError).status).toBe(200);
    expect(sim.requests).toHaveLength(1);
  });

  it('refuses a streamed body (no content-length) that grows past maxResponseBytes', async () => {
    sim.fault({ type: 'raw', status: 200, contentType: 'application/json', body: big });
    let error: unknown;
    const uncaught = await uncaughtDuring(async () => {
      error = await rejection(http({ maxResponseBytes: 1024 }).request({ method: 'GET', path: '/big', schema: jobSchema }));
    });
    expect(uncaught.map(describeUncaught)).toEqual([]);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/maxResponseBytes/);
    expect(sim.requests).toHaveLength(1);
  });

  it('refuses an oversized body through the ONTAP client too', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', fields: { padding: 'y'.repeat(5000) } }] });
    let error: unknown;
    const uncaught = await uncaughtDuring(async () => {
      error = await rejection(ontap({ maxResponseBytes: 2048 }).getJob(uuid));
    });
    expect(uncaught.map(describeUncaught)).toEqual([]);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/maxResponseBytes/);
  });

  it('accepts a body of exactly maxResponseBytes, with or without content-length', async () => {
    const size = Buffer.byteLength(big);
    sim.fault({ type: 'raw', status: 200, contentType: 'application/json', body: big, headers: { 'content-length': String(size) } });
    sim.fault({ type: 'raw', status: 200, contentType: 'application/json', body: big });
    const client = http({ maxResponseBytes: size });
    await expect(client.request({ method: 'GET', path: '/a', schema: jobSchema })).resolves.toMatchObject({ status: 200, data: { state: 'running' } });
    await expect(client.request({ method: 'GET', path: '/b', schema: jobSchema })).resolves.toMatchObject({ status: 200 });
  });

  it('keeps the status of an oversized error page, so a huge 503 from a proxy stays a transient ApiError', async () => {
    const page = `<html><body>${'Service Unavailable '.repeat(500)}</body></html>`;
    sim.fault({ type: 'raw', status: 503, contentType: 'text/html', body: page, headers: { 'content-length': String(Buffer.byteLength(page)) } });
    sim.fault({ type: 'raw', status: 503, contentType: 'text/html', body: page });
    const client = http({ maxResponseBytes: 1024, retry: false });
    for (const path of ['/declared', '/streamed']) {
      const error = await rejection(client.request({ method: 'GET', path, schema: jobSchema }));
      expect(error).toBeInstanceOf(ApiError);
      expect(error).not.toBeInstanceOf(InvalidResponseError);
      expect((error as ApiError).status).toBe(503);
    }
  });

  it('keeps working on later requests after refusing an oversized body', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'raw', status: 200, contentType: 'application/json', body: big });
    const client = ontap({ maxResponseBytes: 1024 });
    await expect(client.getJob(uuid)).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(client.getJob(uuid)).resolves.toMatchObject({ id: uuid });
  });
});

describe('HttpClient body validation', () => {
  it('refuses a 200 that is not JSON with InvalidResponseError carrying a snippet', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'raw', status: 200, body: '<html><body>Proxy login</body></html>' });
    const error = await rejection(ontap().getJob(uuid));
    expect(error).toBeInstanceOf(InvalidResponseError);
    const invalid = error as InvalidResponseError;
    expect(invalid.code).toBe('INVALID_RESPONSE');
    expect(invalid.status).toBe(200);
    expect(invalid.method).toBe('GET');
    expect(invalid.url).toBe(sim.url + jobPath(uuid));
    expect(invalid.message).toMatch(/not JSON/);
    expect(invalid.bodySnippet).toBe('<html><body>Proxy login</body></html>');
    expect(invalid.issues).toEqual([]);
    expect(sim.requests).toHaveLength(1);
  });

  it('reads a JSON body after a UTF-8 byte order mark, as fetch().json() does', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'raw', status: 200, contentType: 'application/json', body: `\uFEFF${JSON.stringify({ uuid, state: 'running', message: 'after a BOM' })}` });
    await expect(ontap().getJob(uuid)).resolves.toMatchObject({ id: uuid, state: 'running', message: 'after a BOM' });
  });

  it('reads the vendor details of an error body after a byte order mark', async () => {
    sim.fault({ type: 'raw', status: 400, contentType: 'application/json', body: `\uFEFF${JSON.stringify({ error: { message: 'Invalid value', code: '262179' } })}` });
    const error = (await rejection(ontap().getJob(runningJob()))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, vendorCode: '262179', vendorMessage: 'Invalid value' });
  });

  it('drops only one byte order mark: a second one is no JSON', async () => {
    sim.fault({ type: 'raw', status: 200, contentType: 'application/json', body: '\uFEFF\uFEFF{}' });
    const error = (await rejection(http().request({ method: 'GET', path: '/x', schema: z.unknown() }))) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain('not JSON');
  });

  it('cuts the body snippet to 512 characters', async () => {
    sim.fault({ type: 'raw', status: 200, body: `not json ${'z'.repeat(2000)}` });
    const error = (await rejection(http().request({ method: 'GET', path: '/x', schema: z.unknown() }))) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.bodySnippet).toHaveLength(512);
    expect(error.bodySnippet.startsWith('not json zzz')).toBe(true);
  });

  it('refuses a body that fails its schema, listing each issue with its path', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'raw', status: 200, contentType: 'application/json', body: JSON.stringify({ uuid: 42, description: 'x' }) });
    const error = await rejection(ontap().getJob(uuid));
    expect(error).toBeInstanceOf(InvalidResponseError);
    const invalid = error as InvalidResponseError;
    expect(invalid.status).toBe(200);
    expect(invalid.message).toMatch(/schema/);
    expect(invalid.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining([['uuid'], ['state']]));
    for (const issue of invalid.issues) expect(issue.message).toEqual(expect.any(String));
    expect(invalid.message).toContain('uuid:');
    expect(invalid.bodySnippet).toContain('"uuid":42');
    expect(sim.requests).toHaveLength(1);
  });

  it('gives nested issue paths with array indexes', async () => {
    sim.fault({ type: 'raw', status: 200, contentType: 'application/json', body: JSON.stringify({ records: [{ uuid: 'a', state: 'running' }, { uuid: 'b' }] }) });
    const schema = z.looseObject({ records: z.array(jobSchema) });
    const error = (await rejection(http().request({ method: 'GET', path: '/list', schema }))) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.issues).toEqual([{ path: ['records', 1, 'state'], message: expect.any(String) }]);
  });

  it('lets unknown fields through to the parsed data', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', fields: { future_field: { nested: [1, 2] }, other: 'kept' } }] });
    const job = await ontap().getJob(uuid);
    expect(job.raw).toMatchObject({ uuid, state: 'running', future_field: { nested: [1, 2] }, other: 'kept' });

    const response = await http().request({ method: 'GET', path: jobPath(uuid), schema: jobSchema });
    expect(response.status).toBe(200);
    expect(response.data).toMatchObject({ uuid, state: 'running', future_field: { nested: [1, 2] }, other: 'kept' });
  });

  it('reads an empty 2xx body as undefined', async () => {
    sim.fault({ type: 'raw', status: 200, body: '' });
    sim.fault({ type: 'raw', status: 200, body: '' });
    const client = http();
    await expect(client.request({ method: 'PATCH', path: '/x', schema: z.undefined() })).resolves.toMatchObject({ status: 200, data: undefined });
    await expect(client.request({ method: 'GET', path: '/x', schema: jobSchema })).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('sends a JSON body with its content type', async () => {
    sim.fault({ type: 'status', status: 200, body: { done: true } });
    await http().request({ method: 'POST', path: '/post', schema: z.unknown(), body: { a: 1, b: 'two' } });
    expect(sim.requests[0]?.body).toBe('{"a":1,"b":"two"}');
    expect(sim.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it.each(['truncate', 'reset-mid-body'] as const)('reports a %s body as a transient NetworkError, not an InvalidResponseError', async (type) => {
    const uuid = runningJob();
    sim.fault({ type });
    const error = await rejection(ontap({ retry: false }).getJob(uuid));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).not.toBeInstanceOf(InvalidResponseError);
    expect((error as NetworkError).timedOut).toBe(false);
  });

  it.each(['truncate', 'reset-mid-body'] as const)('retries a GET whose body was cut short (%s)', async (type) => {
    const uuid = runningJob();
    sim.fault({ type });
    const job = await ontap().getJob(uuid);
    expect(job.id).toBe(uuid);
    expect(sim.requests.map((r) => r.fault ?? 'ok')).toEqual([type, 'ok']);
  });
});

describe('HttpClient error bodies', () => {
  it('turns an ONTAP error body on 400 into ApiError with the vendor details', async () => {
    const uuid = runningJob();
    sim.fault({
      type: 'status',
      status: 400,
      body: { error: { message: 'Invalid value for field', code: '262179', target: 'fields' } },
      headers: { 'x-request-id': 'req-4711' },
    });
    const error = await rejection(ontap().getJob(uuid));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    expect(error).not.toBeInstanceOf(RateLimitError);
    const api = error as ApiError;
    expect(api).toMatchObject({
      code: 'API_ERROR',
      name: 'ApiError',
      status: 400,
      vendorCode: '262179',
      vendorMessage: 'Invalid value for field',
      target: 'fields',
      requestId: 'req-4711',
      method: 'GET',
      url: sim.url + jobPath(uuid),
      retryAfterMs: undefined,
    });
    expect(api.message).toContain('answered 400');
    expect(api.message).toContain('Invalid value for field');
    expect(api.message).toContain('vendor code 262179');
    expect(api.message).toContain('target fields');
    expect(api.message).toContain('request id req-4711');
  });

  it('reads a numeric ONTAP error code as text', async () => {
    sim.fault({ type: 'status', status: 400, body: { error: { message: 'bad', code: 4 } } });
    const error = (await rejection(ontap().cancelJob(runningJob()))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.vendorCode).toBe('4');
    expect(error.method).toBe('PATCH');
  });

  it('reports ONTAP refusing an action (the simulator says 458784) as ApiError with vendorCode', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }], cancellable: false });
    const error = (await rejection(ontap().cancelJob(uuid))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.vendorCode).toBe('458784');
    expect(error.vendorMessage).toMatch(/does not support cancel/);
  });

  it('turns a 404 of a job into JobNotFoundError with the ApiError as cause', async () => {
    const uuid = '1cd8a442-86d1-11e0-ae1c-123478563412';
    const error = await rejection(ontap().getJob(uuid));
    expect(error).toBeInstanceOf(JobNotFoundError);
    const cause = (error as JobNotFoundError).cause as ApiError;
    expect(cause).toBeInstanceOf(ApiError);
    expect(cause.status).toBe(404);
    expect(cause.vendorCode).toBe('4');
    expect(cause.target).toBe('uuid');
  });

  it('answers 401 for wrong credentials with AuthenticationError, an ApiError', async () => {
    sim.ontap.credentials = { username: 'admin', password: 'a-different-password' };
    const uuid = runningJob();
    const error = await rejection(ontap().getJob(uuid));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'AUTHENTICATION', name: 'AuthenticationError', status: 401, vendorCode: '6' });
    expect(sim.requests).toHaveLength(1);
  });

  it('accepts the right credentials', async () => {
    sim.ontap.credentials = { ...AUTH };
    const uuid = runningJob();
    await expect(ontap().getJob(uuid)).resolves.toMatchObject({ id: uuid });
  });

  it('answers 403 with AuthenticationError', async () => {
    sim.fault({ type: 'status', status: 403, body: { error: { message: 'forbidden', code: '5' } } });
    const error = await rejection(ontap().getJob(runningJob()));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as ApiError).status).toBe(403);
    expect((error as ApiError).vendorMessage).toBe('forbidden');
  });

  it('answers 429 with RateLimitError carrying retryAfterMs from seconds', async () => {
    sim.fault({ type: 'rate-limit', retryAfter: 120 });
    const error = await rejection(ontap().getJob(runningJob()));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterMs: 120_000, vendorMessage: 'Too many requests' });
  });

  it('answers 429 with RateLimitError carrying retryAfterMs from an HTTP date', async () => {
    const at = new Date(Date.now() + 60_000);
    sim.fault({ type: 'rate-limit', retryAfter: at.toUTCString() });
    const error = (await rejection(ontap().getJob(runningJob()))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(sim.requests).toHaveLength(1);
  });

  it('answers 429 without Retry-After with RateLimitError and no retryAfterMs at once, without retrying in place', async () => {
    sim.fault({ type: 'rate-limit', times: 10 });
    const error = (await rejection(ontap().getJob(runningJob()))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBeUndefined();
    expect(sim.requests).toHaveLength(1);
  });

  it('survives an HTML 502 page from a proxy: ApiError 502 with the status text', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'raw', status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', times: 10 });
    const error = await rejection(ontap({ retry: false }).getJob(uuid));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ status: 502, vendorMessage: 'Bad Gateway', vendorCode: undefined });
    expect((error as Error).message).toContain('answered 502');
  });

  it('reads an error body in another shape as an ApiError without vendor details', async () => {
    sim.fault({ type: 'status', status: 400, body: { message: 'not ONTAP-shaped' } });
    const error = (await rejection(ontap().getJob(runningJob()))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.vendorCode).toBeUndefined();
    expect(error.vendorMessage).toBeUndefined();
  });

  it('does not follow a redirect to another origin: ApiError 302 and no request there', async () => {
    const other = await startSimulator();
    cleanup.push(() => other.close());
    const uuid = other.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'status', status: 302, headers: { location: `${other.url}${jobPath(uuid)}` }, times: 10 });
    const error = await rejection(ontap().getJob(uuid));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(302);
    expect(sim.requests).toHaveLength(1);
    expect(other.requests).toHaveLength(0);
  });

  it('does not follow a redirect on the same origin either', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status: 301, headers: { location: jobPath(uuid) } });
    const error = (await rejection(http().request({ method: 'GET', path: '/moved', schema: z.unknown() }))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(301);
    expect(sim.requests).toHaveLength(1);
  });
});

describe('HttpClient logging', () => {
  function recordingLogger(): { logger: Logger; calls: { level: string; args: unknown[] }[] } {
    const calls: { level: string; args: unknown[] }[] = [];
    const at =
      (level: string) =>
      (...args: unknown[]): void => {
        calls.push({ level, args });
      };
    return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, calls };
  }

  it('writes one debug line per request with method, path and status', async () => {
    const uuid = runningJob();
    const { logger, calls } = recordingLogger();
    const client = ontap({ logger, retry: false });
    await client.getJob(uuid);
    await client.getJob(uuid);
    await client.cancelJob(uuid);
    expect(calls).toHaveLength(3);
    const path = jobPath(uuid);
    expect(calls.map((c) => c.level)).toEqual(['debug', 'debug', 'debug']);
    expect(calls[0]?.args[0]).toMatch(new RegExp(`GET ${path} 200 in \\d+ ms`));
    expect(calls[0]?.args[1]).toEqual({ method: 'GET', path, status: 200 });
    expect(calls[2]?.args[0]).toContain(`PATCH ${path}?action=cancel 200`);
    expect(calls[2]?.args[1]).toEqual({ method: 'PATCH', path: `${path}?action=cancel`, status: 200 });
  });

  it('logs an error status and each retry', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status: 503, times: 1 });
    const { logger, calls } = recordingLogger();
    await ontap({ logger }).getJob(uuid);
    const lines = calls.map((c) => String(c.args[0]));
    expect(lines.filter((l) => /^jobwait: GET \S+ \d{3} in/.test(l)).map((l) => l.split(' ')[3])).toEqual(['503', '200']);
    expect(lines.filter((l) => l.includes('retrying'))).toHaveLength(1);
  });

  it('logs each attempt that got no answer, with its socket code, as one debug line beside the answers', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status: 503, times: 1 });
    sim.fault({ type: 'reset', times: 1 });
    const { logger, calls } = recordingLogger();
    await ontap({ logger }).getJob(uuid);
    const fields = calls.filter((c) => !String(c.args[0]).includes('retrying')).map((c) => c.args[1] as Record<string, unknown>);
    expect(fields.map((f) => f['status'] ?? f['code'])).toEqual([503, 'UND_ERR_SOCKET', 200]);
    expect(fields[1]).toEqual({ method: 'GET', path: jobPath(uuid), code: 'UND_ERR_SOCKET' });
    expect(String(calls.find((c) => (c.args[1] as Record<string, unknown>)['code'])?.args[0])).toMatch(/^jobwait: GET \S+ failed in \d+ ms: /);
  });

  it('never hands the password, the Basic value or user:password to the logger', async () => {
    const password = 'Log-S3cret-pass';
    const basic = Buffer.from(`admin:${password}`).toString('base64');
    const uuid = runningJob();
    sim.fault({ type: 'status', status: 503, body: { error: { message: `echo Basic ${basic} ${password}` } }, times: 1 });
    sim.fault({ type: 'reset', times: 1 });
    const { logger, calls } = recordingLogger();
    const client = createOntapClient({ baseUrl: sim.url, auth: { username: 'admin', password }, retry: FAST_RETRY, logger });
    cleanup.push(() => client.close());
    await client.getJob(uuid);
    await client.cancelJob(uuid);
    expect(calls.length).toBeGreaterThanOrEqual(4);
    const text = JSON.stringify(calls);
    expect(text).not.toContain(password);
    expect(text).not.toContain(basic);
    expect(text).not.toContain(`admin:${password}`);
    // the echoed values arrived at the client and were redacted on their way to the log
    expect(text).toContain('[REDACTED]');
  });

  it('works with a logger that has no debug method', async () => {
    const uuid = runningJob();
    const warn = vi.fn();
    await expect(ontap({ logger: { warn } }).getJob(uuid)).resolves.toMatchObject({ id: uuid });
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('HttpClient request budget', () => {
  it('pauses every request of the client after a 429 until its Retry-After passes, and no other client', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'rate-limit', retryAfter: '0.2', times: 1 });
    const paused = ontap();
    await expect(paused.getJob(uuid)).rejects.toBeInstanceOf(RateLimitError);
    const limitedAt = sim.requests[0]?.at ?? 0;
    const other = ontap();
    await other.getJob(uuid);
    const otherAt = sim.requests[1]?.at ?? 0;
    await paused.getJob(uuid);
    const resumedAt = sim.requests[2]?.at ?? 0;
    expect(otherAt - limitedAt).toBeLessThan(150);
    expect(resumedAt - limitedAt).toBeGreaterThanOrEqual(190);
  });

  it('pauses the client on a 503 only when it carries Retry-After', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'status', status: 503, headers: { 'retry-after': '0.2' }, times: 1 });
    const client = ontap({ retry: false });
    await expect(client.getJob(uuid)).rejects.toBeInstanceOf(ApiError);
    await client.getJob(uuid);
    expect((sim.requests[1]?.at ?? 0) - (sim.requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(190);
    sim.fault({ type: 'status', status: 503, times: 1 });
    await expect(client.getJob(uuid)).rejects.toBeInstanceOf(ApiError);
    const before = Date.now();
    await client.getJob(uuid);
    expect(Date.now() - before).toBeLessThan(150);
  });

  it('keeps at most maxConcurrentRequests requests in flight, across all calls of the client', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'delay', ms: 40, times: 6 });
    const client = ontap({ maxConcurrentRequests: 2 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => client.getJob(uuid)));
    // three rounds of two 40 ms requests
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    const arrivals = sim.requests.map((r) => r.at - started).sort((a, b) => a - b);
    expect((arrivals[2] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(35);
  });

  it('spaces requests to requestsPerSecond', async () => {
    const uuid = runningJob();
    const client = ontap({ requestsPerSecond: 20 });
    // A first request opens the connection, so the arrivals timed below are not shifted by its set-up
    // (the server sees arrivals, not starts: a cold first request arrives late and shrinks the span).
    await client.getJob(uuid);
    const before = sim.requests.length;
    await Promise.all(Array.from({ length: 4 }, () => client.getJob(uuid)));
    const times = sim.requests.slice(before).map((r) => r.at);
    // 50 ms apart: the fourth starts 150 ms after the first (less 10 ms for the timers' rounding)
    expect((times[3] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(140);
  });

  it('lets a queued request leave when its signal aborts', async () => {
    const uuid = runningJob();
    sim.fault({ type: 'delay', ms: 60, times: 1 });
    const client = ontap({ maxConcurrentRequests: 1 });
    const first = client.getJob(uuid);
    const controller = new AbortController();
    const queued = client.getJob(uuid, { signal: controller.signal });
    controller.abort(new Error('gone'));
    await expect(queued).rejects.toThrow('gone');
    await first;
    await client.getJob(uuid);
    expect(sim.requests).toHaveLength(2);
  });

  it('refuses a bad budget with InvalidArgumentError', () => {
    expect(() => ontap({ maxConcurrentRequests: 0 })).toThrow(InvalidArgumentError);
    expect(() => ontap({ maxConcurrentRequests: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => ontap({ requestsPerSecond: 0 })).toThrow(InvalidArgumentError);
    expect(() => ontap({ requestsPerSecond: Number.NaN })).toThrow(InvalidArgumentError);
  });
});
