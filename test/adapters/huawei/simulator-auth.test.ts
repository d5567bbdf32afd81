import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatSdkDate, signRequest, signRequestOver } from '../../../adapters/huawei/signer.js';
import { SDK_DATE_TOLERANCE_MS, checkHuaweiAuth, type HuaweiGatewayAuth } from '../../../adapters/huawei/simulator-auth.js';
import { createCasClient, type CasClientOptions } from '../../../adapters/cas/index.js';
import { createCceClient, type CceClientOptions } from '../../../adapters/cce/index.js';
import { ApiError, AuthenticationError, JobNotFoundError } from '../../../src/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';

const PROJECT = 'proj-0123';
const AK = 'GATEWAY-AK-1';
const SK = 'gateway-secret-key-1';
const STS = 'gateway-sts-token-1';
const TOKEN = 'gateway-iam-token-1';
const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);
const BASE_URL = 'http://gw.example.com:8080/api/v3/projects/proj-0123/jobs/job-1?limit=20&offset=0';

interface HandSigned {
  method?: string;
  url?: string;
  date?: number;
  accessKey?: string;
  secretKey?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Sign over these header names (lower-case) instead of the ones jobwait's signer picks. */
  signedNames?: string[];
  /** Changes the request after signing, before it is "sent". */
  tamper?: (parts: { url: string; headers: Record<string, string>; body: string }) => void;
}

/** A request signed like a client signs it, optionally altered after signing. */
function handSigned(options: HandSigned = {}): Request {
  const method = options.method ?? 'GET';
  const url = new URL(options.url ?? BASE_URL);
  const body = options.body ?? '';
  const headers: Record<string, string> = {
    host: url.host,
    'x-sdk-date': formatSdkDate(new Date(options.date ?? NOW)),
    'x-project-id': PROJECT,
    ...options.headers,
  };
  const signable = { method, path: url.pathname, query: url.search.slice(1), headers, body };
  const [accessKey, secretKey] = [options.accessKey ?? AK, options.secretKey ?? SK];
  const signed = options.signedNames ? signRequestOver(signable, options.signedNames, accessKey, secretKey) : signRequest(signable, accessKey, secretKey);
  const parts: { url: string; headers: Record<string, string>; body: string } = { url: url.toString(), headers: { ...headers, authorization: signed.authorization }, body };
  options.tamper?.(parts);
  // A Request built by hand (as msw builds one in a setup of your own) has no Host: the gateway takes the URL's.
  const { host: _host, ...sent } = parts.headers;
  return new Request(parts.url, { method, headers: sent, ...(method === 'GET' ? {} : { body: parts.body }) });
}

const AKSK: HuaweiGatewayAuth = { accessKey: AK, secretKey: SK };

async function expectRefused(response: Response | undefined, reason?: RegExp): Promise<void> {
  expect(response).toBeDefined();
  const res = response as Response;
  expect(res.status).toBe(401);
  expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
  const body = (await res.json()) as { error_code?: string; error_msg?: string };
  expect(body.error_code).toBe('APIGW.0301');
  if (reason) expect(body.error_msg).toMatch(reason);
}

describe('checkHuaweiAuth with hand-built requests', () => {
  it('lets every request pass when the gateway demands nothing', async () => {
    expect(await checkHuaweiAuth(new Request(BASE_URL), undefined, NOW)).toBeUndefined();
  });

  it('lets a request with the right token pass', async () => {
    expect(await checkHuaweiAuth(new Request(BASE_URL, { headers: { 'x-auth-token': TOKEN } }), { token: TOKEN }, NOW)).toBeUndefined();
  });

  it('refuses a wrong or missing token with 401 APIGW.0301', async () => {
    await expectRefused(await checkHuaweiAuth(new Request(BASE_URL, { headers: { 'x-auth-token': `${TOKEN}x` } }), { token: TOKEN }, NOW));
    await expectRefused(await checkHuaweiAuth(new Request(BASE_URL), { token: TOKEN }, NOW));
  });

  it('lets a correctly signed GET pass', async () => {
    expect(await checkHuaweiAuth(handSigned(), AKSK, NOW)).toBeUndefined();
  });

  it('lets a correctly signed POST with a body pass', async () => {
    expect(await checkHuaweiAuth(handSigned({ method: 'POST', body: '{"a":"一"}', headers: { 'content-type': 'application/json' } }), AKSK, NOW)).toBeUndefined();
  });

  it("lets a request pass that signs content-type too, as Huawei's SDKs do", async () => {
    const request = handSigned({ headers: { 'content-type': 'application/json' }, signedNames: ['content-type', 'host', 'x-project-id', 'x-sdk-date'] });
    expect(request.headers.get('authorization')).toContain('SignedHeaders=content-type;host;x-project-id;x-sdk-date,');
    expect(await checkHuaweiAuth(request, AKSK, NOW)).toBeUndefined();
  });

  it('lets a request pass that signs X-Sdk-Date alone, as the published vectors do', async () => {
    expect(await checkHuaweiAuth(handSigned({ signedNames: ['x-sdk-date'] }), AKSK, NOW)).toBeUndefined();
  });

  it('lets a request pass that signs a header jobwait would leave out, with an underscore in its name', async () => {
    const request = handSigned({ headers: { x_trace: 't-1' }, signedNames: ['host', 'x-sdk-date', 'x_trace'] });
    expect(await checkHuaweiAuth(request, AKSK, NOW)).toBeUndefined();
  });

  it('refuses a request whose SignedHeaders leaves out x-sdk-date, even when the signature matches', async () => {
    await expectRefused(await checkHuaweiAuth(handSigned({ signedNames: ['host', 'x-project-id'] }), AKSK, NOW), /x-sdk-date is not among the signed headers/);
  });

  it('refuses a request whose signed content-type was changed after signing', async () => {
    const request = handSigned({
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
      signedNames: ['content-type', 'host', 'x-sdk-date'],
      tamper: ({ headers }) => void (headers['content-type'] = 'text/plain'),
    });
    await expectRefused(await checkHuaweiAuth(request, AKSK, NOW), /signature/);
  });

  it('refuses a signature of the right length with one character changed', async () => {
    const request = handSigned({
      tamper: ({ headers }) => void (headers['authorization'] = (headers['authorization'] ?? '').replace(/.$/, (c) => (c === '0' ? '1' : '0'))),
    });
    await expectRefused(await checkHuaweiAuth(request, AKSK, NOW), /signature/);
  });

  it('refuses a request without an Authorization header', async () => {
    await expectRefused(await checkHuaweiAuth(new Request(BASE_URL, { headers: { 'x-sdk-date': formatSdkDate(new Date(NOW)) } }), AKSK, NOW), /authorization/i);
  });

  it('refuses an Authorization header of another scheme', async () => {
    await expectRefused(await checkHuaweiAuth(new Request(BASE_URL, { headers: { authorization: 'Basic YTpi' } }), AKSK, NOW));
  });

  it('refuses an unknown access key', async () => {
    await expectRefused(await checkHuaweiAuth(handSigned({ accessKey: 'OTHER-AK' }), AKSK, NOW), /access key/);
  });

  it('refuses a signature made with another secret key', async () => {
    await expectRefused(await checkHuaweiAuth(handSigned({ secretKey: `${SK}x` }), AKSK, NOW), /signature/);
  });

  it('accepts an X-Sdk-Date up to 15 minutes away from its clock, either way', async () => {
    expect(SDK_DATE_TOLERANCE_MS).toBe(15 * 60_000);
    expect(await checkHuaweiAuth(handSigned({ date: NOW - 14 * 60_000 }), AKSK, NOW)).toBeUndefined();
    expect(await checkHuaweiAuth(handSigned({ date: NOW + 14 * 60_000 }), AKSK, NOW)).toBeUndefined();
    expect(await checkHuaweiAuth(handSigned({ date: NOW - SDK_DATE_TOLERANCE_MS }), AKSK, NOW)).toBeUndefined();
  });

  it('refuses an X-Sdk-Date more than 15 minutes away from its clock, either way', async () => {
    await expectRefused(await checkHuaweiAuth(handSigned({ date: NOW - SDK_DATE_TOLERANCE_MS - 1_000 }), AKSK, NOW), /X-Sdk-Date/);
    await expectRefused(await checkHuaweiAuth(handSigned({ date: NOW + 20 * 60_000 }), AKSK, NOW), /X-Sdk-Date/);
  });

  it('refuses a malformed X-Sdk-Date even when the signature covers it', async () => {
    await expectRefused(await checkHuaweiAuth(handSigned({ headers: { 'x-sdk-date': '2024-06-01T12:00:00Z' } }), AKSK, NOW), /X-Sdk-Date/);
  });

  it('refuses a request from which a signed header was dropped', async () => {
    const request = handSigned({ tamper: ({ headers }) => void delete headers['x-project-id'] });
    await expectRefused(await checkHuaweiAuth(request, AKSK, NOW), /x-project-id is missing/);
  });

  it('refuses a request whose signed header was changed', async () => {
    const request = handSigned({ tamper: ({ headers }) => void (headers['x-project-id'] = 'proj-other') });
    await expectRefused(await checkHuaweiAuth(request, AKSK, NOW), /signature/);
  });

  it('refuses a request whose SignedHeaders list was shortened', async () => {
    const request = handSigned({ tamper: ({ headers }) => void (headers['authorization'] = (headers['authorization'] ?? '').replace('host;x-project-id;', 'host;')) });
    await expectRefused(await checkHuaweiAuth(request, AKSK, NOW));
  });

  it('refuses a request whose path was changed after signing', async () => {
    const request = handSigned({ tamper: (parts) => void (parts.url = parts.url.replace('/jobs/job-1', '/jobs/job-2')) });
    await expectRefused(await checkHuaweiAuth(request, AKSK, NOW), /signature/);
  });

  it('refuses a request whose query was changed after signing', async () => {
    const request = handSigned({ tamper: (parts) => void (parts.url = parts.url.replace('offset=0', 'offset=1')) });
    await expectRefused(await checkHuaweiAuth(request, AKSK, NOW), /signature/);
  });

  it('refuses a POST whose body was changed after signing', async () => {
    const request = handSigned({ method: 'POST', body: '{"a":1}', tamper: (parts) => void (parts.body = '{"a":2}') });
    await expectRefused(await checkHuaweiAuth(request, AKSK, NOW), /signature/);
  });

  it('refuses a request signed for another host', async () => {
    const request = handSigned({ headers: { host: 'evil.example.com' } });
    await expectRefused(await checkHuaweiAuth(request, AKSK, NOW), /signature/);
  });

  it('demands the security token it was given, and accepts the request that carries and signs it', async () => {
    const auth: HuaweiGatewayAuth = { accessKey: AK, secretKey: SK, securityToken: STS };
    expect(await checkHuaweiAuth(handSigned({ headers: { 'x-security-token': STS } }), auth, NOW)).toBeUndefined();
    await expectRefused(await checkHuaweiAuth(handSigned(), auth, NOW), /security token/);
    await expectRefused(await checkHuaweiAuth(handSigned({ headers: { 'x-security-token': `${STS}x` } }), auth, NOW), /security token/);
  });
});

/** An undici Agent that changes each request after the client signed it: a tampering proxy. */
class TamperingAgent extends Agent {
  readonly #tamper: (options: Dispatcher.DispatchOptions) => Dispatcher.DispatchOptions;
  constructor(tamper: (options: Dispatcher.DispatchOptions) => Dispatcher.DispatchOptions) {
    super();
    this.#tamper = tamper;
  }
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return super.dispatch(this.#tamper(options), handler);
  }
}

describe('the simulated gateway with a real client', () => {
  let sim: Simulator;
  let cceJob: string;
  let casJob: string;
  const toClose: { close(): Promise<void> }[] = [];

  beforeEach(async () => {
    sim = await startSimulator();
    sim.cce.auth = { accessKey: AK, secretKey: SK };
    sim.cas.auth = { accessKey: AK, secretKey: SK };
    cceJob = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    casJob = sim.cas.addJob({ steps: [{ status: 'RUNNING' }] });
  });
  afterEach(async () => {
    for (const resource of toClose.splice(0)) await resource.close();
    await sim.close();
  });

  const clientsWith = (options: Partial<CceClientOptions & CasClientOptions>): [string, () => Promise<unknown>][] => {
    const base = { endpoint: sim.url, projectId: PROJECT, auth: { accessKey: AK, secretKey: SK }, retry: false as const, ...options };
    const cce = createCceClient(base);
    const cas = createCasClient(base);
    toClose.push(cce, cas);
    return [
      ['cce', () => cce.getJob(cceJob)],
      ['cas', () => cas.getJob(casJob)],
    ];
  };

  async function expectGatewayRefusal(get: () => Promise<unknown>): Promise<void> {
    let error: unknown;
    try {
      await get();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).not.toBeInstanceOf(JobNotFoundError);
    const auth = error as AuthenticationError;
    expect(auth.code).toBe('AUTHENTICATION');
    expect(auth.status).toBe(401);
    expect(auth.vendorCode).toBe('APIGW.0301');
    expect(auth.requestId).toMatch(/^[0-9a-f]{32}$/);
  }

  it('lets a correctly signed request of both clients pass', async () => {
    for (const [, get] of clientsWith({})) await expect(get()).resolves.toMatchObject({ state: 'running' });
    expect(sim.requests.length).toBeGreaterThanOrEqual(2);
    for (const request of sim.requests) expect(request.headers['authorization']).toMatch(/^SDK-HMAC-SHA256 Access=GATEWAY-AK-1, /);
  });

  it('lets a request dated 10 minutes behind pass (within the 15-minute window)', async () => {
    for (const [, get] of clientsWith({ clock: () => new Date(Date.now() - 10 * 60_000) })) await expect(get()).resolves.toMatchObject({ state: 'running' });
  });

  it('turns a wrong secret key into AuthenticationError APIGW.0301 with a request id', async () => {
    for (const [, get] of clientsWith({ auth: { accessKey: AK, secretKey: `${SK}-wrong` } })) await expectGatewayRefusal(get);
  });

  it('turns a wrong access key into AuthenticationError APIGW.0301', async () => {
    for (const [, get] of clientsWith({ auth: { accessKey: 'WRONG-AK', secretKey: SK } })) await expectGatewayRefusal(get);
  });

  it('turns an X-Sdk-Date 20 minutes behind into AuthenticationError APIGW.0301', async () => {
    for (const [, get] of clientsWith({ clock: () => new Date(Date.now() - 20 * 60_000) })) await expectGatewayRefusal(get);
  });

  it('turns an X-Sdk-Date 20 minutes ahead into AuthenticationError APIGW.0301', async () => {
    for (const [, get] of clientsWith({ clock: () => new Date(Date.now() + 20 * 60_000) })) await expectGatewayRefusal(get);
  });

  it('turns a signed header dropped on the way into AuthenticationError APIGW.0301', async () => {
    const agent = new TamperingAgent((options) => {
      const headers = { ...(options.headers as Record<string, string>) };
      delete headers['x-project-id'];
      return { ...options, headers };
    });
    toClose.push(agent);
    for (const [, get] of clientsWith({ dispatcher: agent })) await expectGatewayRefusal(get);
    for (const request of sim.requests) expect(request.headers).not.toHaveProperty('x-project-id');
  });

  it('turns a path changed on the way into AuthenticationError APIGW.0301, not the other job', async () => {
    const otherCce = sim.cce.addJob({ steps: [{ phase: 'Success' }] });
    const otherCas = sim.cas.addJob({ steps: [{ status: 'SUCCEEDED' }] });
    const agent = new TamperingAgent((options) => ({ ...options, path: options.path.replace(cceJob, otherCce).replace(casJob, otherCas) }));
    toClose.push(agent);
    for (const [, get] of clientsWith({ dispatcher: agent })) await expectGatewayRefusal(get);
    expect(sim.requests.map((r) => r.path.split('/').at(-1))).toEqual([otherCce, otherCas]);
  });

  it('turns a query changed on the way into AuthenticationError APIGW.0301', async () => {
    const agent = new TamperingAgent((options) => ({ ...options, path: options.path.includes('?') ? options.path.replace('offset=0', 'offset=00') : `${options.path}?x=1` }));
    toClose.push(agent);
    for (const [, get] of clientsWith({ dispatcher: agent })) await expectGatewayRefusal(get);
    expect(sim.requests.map((r) => r.url.split('?')[1])).toEqual(['x=1', 'limit=20&offset=00']);
  });

  it('turns a Host changed on the way into AuthenticationError APIGW.0301: the gateway signs the Host it received', async () => {
    const agent = new TamperingAgent((options) => ({ ...options, headers: { ...(options.headers as Record<string, string>), host: 'other.example.com' } }));
    toClose.push(agent);
    for (const [, get] of clientsWith({ dispatcher: agent })) await expectGatewayRefusal(get);
    for (const request of sim.requests) expect(request.headers['host']).toBe('other.example.com');
  });

  it('passes the same requests through an Agent that changes nothing (the tampering tests are sound)', async () => {
    const agent = new TamperingAgent((options) => options);
    toClose.push(agent);
    for (const [, get] of clientsWith({ dispatcher: agent })) await expect(get()).resolves.toMatchObject({ state: 'running' });
  });

  it('turns a wrong token into AuthenticationError', async () => {
    sim.cce.auth = { token: TOKEN };
    sim.cas.auth = { token: TOKEN };
    for (const [, get] of clientsWith({ auth: { token: `${TOKEN}-wrong` } })) {
      await expectGatewayRefusal(get);
    }
  });

  it('lets the right token pass', async () => {
    sim.cce.auth = { token: TOKEN };
    sim.cas.auth = { token: TOKEN };
    for (const [, get] of clientsWith({ auth: { token: TOKEN } })) await expect(get()).resolves.toMatchObject({ state: 'running' });
  });

  it('does not retry a refused signature', async () => {
    const cce = createCceClient({ endpoint: sim.url, projectId: PROJECT, auth: { accessKey: AK, secretKey: 'wrong-secret' }, retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 5 } });
    toClose.push(cce);
    const error = await cce.getJob(cceJob).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(sim.requests).toHaveLength(1);
  });
});

describe('the simulated gateway with the body a GET arrives with', () => {
  let sim: Simulator;
  let job: string;

  beforeEach(async () => {
    sim = await startSimulator();
    sim.cce.auth = AKSK;
    job = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
  });
  afterEach(async () => {
    await sim.close();
  });

  /** Sends a GET with a body, signed like Huawei's Node SDK signs it: over content-type and the body's hash. */
  async function signedGet(signedBody: string, sentBody = signedBody): Promise<{ status: number; body: { error_code?: string; metadata?: { uid?: string } } }> {
    const url = new URL(`${sim.url}/api/v3/projects/${PROJECT}/jobs/${job}`);
    const headers: Record<string, string> = { 'content-type': 'application/json', host: url.host, 'x-project-id': PROJECT, 'x-sdk-date': formatSdkDate(new Date()) };
    const signed = signRequestOver({ method: 'GET', path: url.pathname, headers, body: signedBody }, ['content-type', 'host', 'x-project-id', 'x-sdk-date'], AK, SK);
    const res = await undiciRequest(url, { method: 'GET', headers: { ...headers, authorization: signed.authorization }, body: sentBody });
    return { status: res.statusCode, body: (await res.body.json()) as { error_code?: string; metadata?: { uid?: string } } };
  }

  it('lets a GET pass whose body {} is signed, as Huawei\'s Node SDK sends it', async () => {
    const answer = await signedGet('{}');
    expect(answer.status).toBe(200);
    expect(answer.body.metadata?.uid).toBe(job);
    expect(sim.requests[0]?.body).toBe('{}');
  });

  it('refuses a GET whose body was changed after signing', async () => {
    const answer = await signedGet('{}', '{"a":1}');
    expect(answer.status).toBe(401);
    expect(answer.body.error_code).toBe('APIGW.0301');
  });

  it('refuses a GET that was signed as empty but arrives with a body', async () => {
    const answer = await signedGet('', '{}');
    expect(answer.status).toBe(401);
    expect(answer.body.error_code).toBe('APIGW.0301');
  });
});
