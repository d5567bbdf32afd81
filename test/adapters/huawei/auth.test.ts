import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHuaweiAuthorizer } from '../../../adapters/huawei/auth.js';
import { formatSdkDate, signRequest } from '../../../adapters/huawei/signer.js';
import { createCasClient, type CasClientOptions } from '../../../adapters/cas/index.js';
import { createCceClient, type CceClientOptions } from '../../../adapters/cce/index.js';
import { AuthenticationError, InvalidArgumentError } from '../../../src/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import type { RequestToSign } from '../../../src/transport/http-client.js';

const PROJECT = 'proj-0123';
const AK = 'AK-TEST-0001';
const SK = 'SK-test-secret-0001';
const STS = 'STS-temporary-token-0001';
const TOKEN = 'iam-token-0001';
const FIXED = new Date('2024-03-05T06:07:08.999Z');
const FAST_RETRY = { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 5 };

const request = (overrides: Partial<RequestToSign> = {}): RequestToSign => ({
  method: 'GET',
  path: '/api/v3/projects/proj-0123/jobs/job-1',
  host: 'cce.example.com:8443',
  headers: { accept: 'application/json', 'user-agent': 'jobwait/test' },
  body: '',
  ...overrides,
});

/** A clock near the real time (the simulated gateway allows 15 minutes) that moves `stepMs` each call. */
function steppingClock(stepMs: number): { clock: () => Date; calls: Date[] } {
  let at = Date.now() - 60_000;
  const calls: Date[] = [];
  return {
    calls,
    clock: () => {
      const date = new Date(at);
      at += stepMs;
      calls.push(date);
      return date;
    },
  };
}

describe('the token authorizer', () => {
  it('adds X-Auth-Token and nothing else', () => {
    const authorizer = createHuaweiAuthorizer({ token: TOKEN }, PROJECT, () => FIXED);
    expect(authorizer.authorize(request())).toEqual({ 'x-auth-token': TOKEN });
  });

  it('lists the token as the secret to cut out of errors and describes itself without it', () => {
    const authorizer = createHuaweiAuthorizer({ token: TOKEN }, PROJECT, () => FIXED);
    expect(authorizer.secrets).toEqual([TOKEN]);
    expect(JSON.stringify(authorizer.describe)).not.toContain(TOKEN);
  });
});

describe('the AK/SK authorizer', () => {
  it('adds host, x-sdk-date, x-project-id and authorization, and nothing else', () => {
    const added = createHuaweiAuthorizer({ accessKey: AK, secretKey: SK }, PROJECT, () => FIXED).authorize(request());
    expect(Object.keys(added).sort()).toEqual(['authorization', 'host', 'x-project-id', 'x-sdk-date']);
    expect(added['host']).toBe('cce.example.com:8443');
    expect(added['x-project-id']).toBe(PROJECT);
  });

  it('dates the request from the injected clock as YYYYMMDDTHHMMSSZ', () => {
    const added = createHuaweiAuthorizer({ accessKey: AK, secretKey: SK }, PROJECT, () => FIXED).authorize(request());
    expect(added['x-sdk-date']).toBe('20240305T060708Z');
  });

  it('signs the request headers it is given and the ones it adds, and the signature verifies', () => {
    const req = request();
    const added = createHuaweiAuthorizer({ accessKey: AK, secretKey: SK }, PROJECT, () => FIXED).authorize(req);
    const { authorization: _authorization, ...sent } = added;
    const expected = signRequest({ method: 'GET', path: req.path, query: '', headers: { ...req.headers, ...sent }, body: '' }, AK, SK);
    expect(added['authorization']).toBe(expected.authorization);
    expect(added['authorization']).toMatch(/^SDK-HMAC-SHA256 Access=AK-TEST-0001, SignedHeaders=accept;host;user-agent;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/);
  });

  it('signs the query of the path apart from the path', () => {
    const req = request({ path: '/v2/proj-0123/cas/jobs/JOB-1?limit=20&offset=0' });
    const added = createHuaweiAuthorizer({ accessKey: AK, secretKey: SK }, PROJECT, () => FIXED).authorize(req);
    const { authorization: _authorization, ...sent } = added;
    const expected = signRequest({ method: 'GET', path: '/v2/proj-0123/cas/jobs/JOB-1', query: 'offset=0&limit=20', headers: { ...req.headers, ...sent }, body: '' }, AK, SK);
    expect(added['authorization']).toBe(expected.authorization);
    expect(expected.canonicalRequest.split('\n').slice(1, 3)).toEqual(['/v2/proj-0123/cas/jobs/JOB-1/', 'limit=20&offset=0']);
  });

  it('signs the body of a request that has one', () => {
    const authorizer = createHuaweiAuthorizer({ accessKey: AK, secretKey: SK }, PROJECT, () => FIXED);
    const one = authorizer.authorize(request({ method: 'POST', body: '{"a":1}' }));
    const other = authorizer.authorize(request({ method: 'POST', body: '{"a":2}' }));
    expect(one['authorization']).not.toBe(other['authorization']);
  });

  it('adds x-security-token with a temporary credential and signs it', () => {
    const added = createHuaweiAuthorizer({ accessKey: AK, secretKey: SK, securityToken: STS }, PROJECT, () => FIXED).authorize(request());
    expect(Object.keys(added).sort()).toEqual(['authorization', 'host', 'x-project-id', 'x-sdk-date', 'x-security-token']);
    expect(added['x-security-token']).toBe(STS);
    expect(added['authorization']).toMatch(/SignedHeaders=accept;host;user-agent;x-project-id;x-sdk-date;x-security-token,/);
    const otherToken = createHuaweiAuthorizer({ accessKey: AK, secretKey: SK, securityToken: `${STS}-other` }, PROJECT, () => FIXED).authorize(request());
    expect(otherToken['authorization']).not.toBe(added['authorization']);
  });

  it('asks the clock once per request, so each request is dated and signed anew', () => {
    const { clock, calls } = steppingClock(1_000);
    const authorizer = createHuaweiAuthorizer({ accessKey: AK, secretKey: SK }, PROJECT, clock);
    const first = authorizer.authorize(request());
    const second = authorizer.authorize(request());
    expect(calls).toHaveLength(2);
    expect(first['x-sdk-date']).toBe(formatSdkDate(calls[0] as Date));
    expect(second['x-sdk-date']).toBe(formatSdkDate(calls[1] as Date));
    expect(second['x-sdk-date']).not.toBe(first['x-sdk-date']);
    expect(second['authorization']).not.toBe(first['authorization']);
  });

  it('lists the secret key and the security token as secrets and describes itself by the access key alone', () => {
    const authorizer = createHuaweiAuthorizer({ accessKey: AK, secretKey: SK, securityToken: STS }, PROJECT, () => FIXED);
    expect(authorizer.secrets).toEqual(expect.arrayContaining([SK, STS]));
    expect(authorizer.describe).toEqual({ auth: 'aksk', accessKey: AK });
  });
});

describe('invalid Huawei credentials', () => {
  const invalid: [string, unknown][] = [
    ['both a token and an access key pair', { token: TOKEN, accessKey: AK, secretKey: SK }],
    ['a token and a secret key', { token: TOKEN, secretKey: SK }],
    ['an empty token', { token: '' }],
    ['a token that is not a string', { token: 12345 }],
    ['a token with a space', { token: 'abc def' }],
    ['a token with a line break (header injection)', { token: 'abc\r\nx-evil: 1' }],
    ['a token with non-ASCII characters', { token: 'tökén' }],
    ['an access key without a secret key', { accessKey: AK }],
    ['an empty secret key', { accessKey: AK, secretKey: '' }],
    ['a secret key that is not a string', { accessKey: AK, secretKey: 42 }],
    ['an empty access key', { accessKey: '', secretKey: SK }],
    ['an access key with a line break', { accessKey: 'AK\nX', secretKey: SK }],
    ['an access key that is not a string', { accessKey: 7, secretKey: SK }],
    ['a secret key without an access key', { secretKey: SK }],
    ['an empty security token', { accessKey: AK, secretKey: SK, securityToken: '' }],
    ['a security token with a line break', { accessKey: AK, secretKey: SK, securityToken: 'sts\r\nx: y' }],
    ['a security token that is not a string', { accessKey: AK, secretKey: SK, securityToken: 99 }],
    ['an empty object', {}],
    ['null', null],
    ['a bare string', TOKEN],
    ['nothing', undefined],
  ];

  it.each(invalid)('refuses %s with InvalidArgumentError in the authorizer', (_what, auth) => {
    let thrown: unknown;
    try {
      createHuaweiAuthorizer(auth, PROJECT, () => FIXED);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect((thrown as InvalidArgumentError).code).toBe('INVALID_ARGUMENT');
    expect((thrown as InvalidArgumentError).argument).toMatch(/^auth/);
  });

  describe('through the clients', () => {
    let sim: Simulator;
    beforeEach(async () => {
      sim = await startSimulator();
    });
    afterEach(async () => {
      await sim.close();
    });

    it.each(invalid)('refuses %s when a CCE or CAS client is created, before any request', (_what, auth) => {
      const cce = (): unknown => createCceClient({ endpoint: sim.url, projectId: PROJECT, auth } as unknown as CceClientOptions);
      const cas = (): unknown => createCasClient({ endpoint: sim.url, projectId: PROJECT, auth } as unknown as CasClientOptions);
      expect(cce).toThrow(InvalidArgumentError);
      expect(cas).toThrow(InvalidArgumentError);
      expect(sim.requests).toHaveLength(0);
    });
  });

  it('does not echo a malformed token or secret in the InvalidArgumentError message', () => {
    const thrown = (auth: unknown): Error => {
      try {
        createHuaweiAuthorizer(auth, PROJECT, () => FIXED);
      } catch (error) {
        return error as Error;
      }
      throw new Error('expected the authorizer to refuse the credentials');
    };
    for (const auth of [{ token: 'TOKEN with-a-space-s3cret' }, { token: 'TOKEN-s3cret', accessKey: AK, secretKey: 'SK s3cret' }, { accessKey: 'AK s3cret', secretKey: 'x' }]) {
      const error = thrown(auth);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.message).not.toContain('s3cret');
      expect(JSON.stringify(error)).not.toContain('s3cret');
    }
  });
});

describe('Huawei auth through a real client and the simulated gateway', () => {
  let sim: Simulator;
  const toClose: { close(): Promise<void> }[] = [];

  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(async () => {
    for (const client of toClose.splice(0)) await client.close();
    await sim.close();
  });

  function cceClient(options: Partial<CceClientOptions> = {}): ReturnType<typeof createCceClient> {
    const client = createCceClient({ endpoint: sim.url, projectId: PROJECT, auth: { token: TOKEN }, retry: FAST_RETRY, ...options });
    toClose.push(client);
    return client;
  }
  function casClient(options: Partial<CasClientOptions> = {}): ReturnType<typeof createCasClient> {
    const client = createCasClient({ endpoint: sim.url, projectId: PROJECT, auth: { token: TOKEN }, retry: FAST_RETRY, ...options });
    toClose.push(client);
    return client;
  }

  it('sends X-Auth-Token and no signing headers with a token', async () => {
    sim.cce.auth = { token: TOKEN };
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    await cceClient().getJob(uid);
    const headers = sim.requests[0]?.headers ?? {};
    expect(headers['x-auth-token']).toBe(TOKEN);
    for (const name of ['authorization', 'x-sdk-date', 'x-project-id', 'x-security-token']) expect(headers).not.toHaveProperty(name);
  });

  it('sends host, x-sdk-date from the clock, x-project-id and a signed authorization with an access key pair', async () => {
    sim.cce.auth = { accessKey: AK, secretKey: SK };
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 30_000);
    await expect(cceClient({ auth: { accessKey: AK, secretKey: SK }, clock: () => now }).getJob(uid)).resolves.toMatchObject({ state: 'running' });
    const recorded = sim.requests[0];
    const headers = recorded?.headers ?? {};
    expect(headers['host']).toBe(new URL(sim.url).host);
    expect(headers['x-sdk-date']).toBe(formatSdkDate(now));
    expect(headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers['x-project-id']).toBe(PROJECT);
    expect(headers['authorization']).toMatch(/^SDK-HMAC-SHA256 Access=AK-TEST-0001, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/);
    expect(headers).not.toHaveProperty('x-auth-token');
    expect(headers).not.toHaveProperty('x-security-token');
    // the canonical form gets a trailing "/", the wire path does not
    expect(recorded?.path).toBe(`/api/v3/projects/${PROJECT}/jobs/${uid}`);
  });

  it('sends and signs x-security-token with a temporary credential, and the gateway accepts it', async () => {
    sim.cas.auth = { accessKey: AK, secretKey: SK, securityToken: STS };
    const id = sim.cas.addJob({ steps: [{ status: 'RUNNING' }] });
    await expect(casClient({ auth: { accessKey: AK, secretKey: SK, securityToken: STS } }).getJob(id)).resolves.toMatchObject({ state: 'running' });
    const headers = sim.requests[0]?.headers ?? {};
    expect(headers['x-security-token']).toBe(STS);
    expect(headers['authorization']).toMatch(/SignedHeaders=[a-z0-9;-]*x-sdk-date;x-security-token,/);
  });

  it('is refused by a gateway that expects another security token', async () => {
    sim.cas.auth = { accessKey: AK, secretKey: SK, securityToken: 'STS-the-gateway-expects' };
    const id = sim.cas.addJob({ steps: [{ status: 'RUNNING' }] });
    const error = await casClient({ auth: { accessKey: AK, secretKey: SK, securityToken: STS } }).getJob(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
  });

  it('takes the date per request: two requests from an advancing clock carry two dates', async () => {
    sim.cce.auth = { accessKey: AK, secretKey: SK };
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    const { clock, calls } = steppingClock(2_000);
    const client = cceClient({ auth: { accessKey: AK, secretKey: SK }, clock });
    await client.getJob(uid);
    await client.getJob(uid);
    const dates = sim.requests.map((r) => r.headers['x-sdk-date']);
    expect(dates).toEqual(calls.map(formatSdkDate));
    expect(new Set(dates).size).toBe(2);
  });

  it.each(['cce', 'cas'] as const)('signs a retried %s request again with a new date, and the retry passes the gateway', async (vendor) => {
    const { clock, calls } = steppingClock(3_000);
    const auth = { accessKey: AK, secretKey: SK };
    sim.fault({ type: 'status', status: 503, times: 1 });
    let result: Promise<unknown>;
    if (vendor === 'cce') {
      sim.cce.auth = auth;
      result = cceClient({ auth, clock, retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 5 } }).getJob(sim.cce.addJob({ steps: [{ phase: 'Running' }] }));
    } else {
      sim.cas.auth = auth;
      result = casClient({ auth, clock, retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 5 } }).getJob(sim.cas.addJob({ steps: [{ status: 'RUNNING' }] }));
    }
    await expect(result).resolves.toMatchObject({ state: 'running' });
    expect(sim.requests).toHaveLength(2);
    const [first, second] = sim.requests as [(typeof sim.requests)[number], (typeof sim.requests)[number]];
    expect(first.fault).toBe('status');
    expect(second.fault).toBeUndefined();
    expect(calls).toHaveLength(2);
    expect(first.headers['x-sdk-date']).toBe(formatSdkDate(calls[0] as Date));
    expect(second.headers['x-sdk-date']).toBe(formatSdkDate(calls[1] as Date));
    expect(second.headers['x-sdk-date']).not.toBe(first.headers['x-sdk-date']);
    expect(second.headers['authorization']).not.toBe(first.headers['authorization']);
  });
});
