import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCasClient } from '../../../adapters/cas/index.js';
import { createCceClient } from '../../../adapters/cce/index.js';
import type { HuaweiAuth } from '../../../adapters/huawei/auth.js';
import type { HuaweiClientOptions } from '../../../adapters/huawei/client-options.js';
import { ApiError, AuthenticationError, InvalidResponseError, JobFailedError, JobTimeoutError, NetworkError, type Job } from '../../../src/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import type { Logger } from '../../../src/transport/logger.js';
import { rejectionOf } from '../../helpers/promises.js';
import { faces, leakedSecrets } from '../../helpers/faces.js';

const TOKEN = 'TOKEN-very-secret-123';
const SECRET_KEY = 'SK-very-secret-456';
const SECURITY_TOKEN = 'STS-very-secret-789';
const ACCESS_KEY = 'AK-public-id-000';
const PROJECT = 'proj-0123';
/** A signature-shaped value a server echoes back. */
const ECHOED_SIGNATURE = createHash('sha256').update('an echoed signature').digest('hex');
const SIGNATURE_VALUE = /Signature=[0-9a-f]{16,}/i;

interface Credentials {
  name: string;
  auth: HuaweiAuth;
  /** What this client knows and must never show. */
  secrets: string[];
}

const CREDENTIALS: Credentials[] = [
  { name: 'a token', auth: { token: TOKEN }, secrets: [TOKEN] },
  { name: 'an access key pair with a security token', auth: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, securityToken: SECURITY_TOKEN }, secrets: [SECRET_KEY, SECURITY_TOKEN] },
];

interface Client {
  getJob(id: string): Promise<unknown>;
  waitForJob(id: string, options?: { timeoutMs?: number; minDelayMs?: number; maxDelayMs?: number }): Promise<unknown>;
  close(): Promise<void>;
}

interface Context {
  sim: Simulator;
  creds: Credentials;
  jobId: string;
  client: Client;
  /** A second client of the same vendor and credentials with other options. */
  connect(extra: Partial<HuaweiClientOptions>): Client;
}

/** Text that echoes every credential of the client and an Authorization header. */
function echo(creds: Credentials): string {
  return `rejected credentials ${creds.secrets.join(' and ')}; Authorization: SDK-HMAC-SHA256 Access=${ACCESS_KEY}, SignedHeaders=host;x-sdk-date, Signature=${ECHOED_SIGNATURE}`;
}



function expectClean(value: unknown, secrets: readonly string[]): void {
  for (const [face, text] of Object.entries(faces(value))) {
    for (const secret of secrets) expect(text, `${face} holds a credential`).not.toContain(secret);
    expect(text, `${face} holds a signature`).not.toMatch(SIGNATURE_VALUE);
  }
}

type Scenario = [string, (ctx: Context) => Promise<unknown>, (error: unknown) => void];

const SCENARIOS: Scenario[] = [
  [
    'a 401 from the gateway for other credentials',
    async ({ sim, client, jobId }) => {
      sim.cce.auth = { accessKey: 'OTHER-AK', secretKey: 'other-secret-key' };
      sim.cas.auth = { accessKey: 'OTHER-AK', secretKey: 'other-secret-key' };
      return rejectionOf(client.getJob(jobId));
    },
    (error) => expect(error).toMatchObject({ status: 401, vendorCode: 'APIGW.0301' }),
  ],
  [
    'a 401 whose body and request id echo the credentials',
    async ({ sim, creds, client, jobId }) => {
      sim.fault({ type: 'status', status: 401, body: { error_code: 'APIGW.0301', error_msg: echo(creds) }, headers: { 'x-request-id': `rid-${creds.secrets[0]}` } });
      return rejectionOf(client.getJob(jobId));
    },
    (error) => {
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as ApiError).vendorMessage).toContain('[REDACTED]');
      expect((error as ApiError).requestId).toBe('rid-[REDACTED]');
    },
  ],
  [
    'a 400 whose code, message and request_id echo the credentials',
    async ({ sim, creds, client, jobId }) => {
      sim.fault({ type: 'status', status: 400, body: { error_code: creds.secrets[0], error_msg: echo(creds), request_id: creds.secrets.at(-1) } });
      return rejectionOf(client.getJob(jobId));
    },
    (error) => {
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 400, vendorCode: '[REDACTED]', requestId: '[REDACTED]' });
      expect((error as ApiError).vendorMessage).toMatch(/rejected credentials \[REDACTED\]/);
      expect((error as ApiError).vendorMessage).toContain('Signature=[REDACTED]');
    },
  ],
  [
    'a 500 whose nested error echoes the credentials',
    async ({ sim, creds, client, jobId }) => {
      sim.fault({ type: 'status', status: 500, body: { error: { code: 'SYS.500', message: echo(creds) } } });
      return rejectionOf(client.getJob(jobId));
    },
    (error) => {
      expect(error).toMatchObject({ status: 500, vendorCode: 'SYS.500' });
      expect((error as ApiError).vendorMessage).toContain('[REDACTED]');
    },
  ],
  [
    'a 400 with a plain-text body that echoes the credentials',
    async ({ sim, creds, client, jobId }) => {
      sim.fault({ type: 'status', status: 400, body: echo(creds) });
      return rejectionOf(client.getJob(jobId));
    },
    (error) => expect(error).toMatchObject({ status: 400 }),
  ],
  [
    'a 503 echoing the credentials on every retry (logged as a retry)',
    async ({ sim, creds, client, jobId }) => {
      sim.fault({ type: 'status', status: 503, times: 2, body: { error_code: 'APIGW.0500', error_msg: echo(creds) } });
      return rejectionOf(client.getJob(jobId));
    },
    (error) => {
      expect(error).toMatchObject({ status: 503 });
      expect((error as ApiError).vendorMessage).toContain('[REDACTED]');
    },
  ],
  [
    'a 200 whose body is not JSON and echoes the credentials',
    async ({ sim, creds, client, jobId }) => {
      sim.fault({ type: 'raw', status: 200, body: `<html>${echo(creds)}</html>`, contentType: 'text/html' });
      return rejectionOf(client.getJob(jobId));
    },
    (error) => {
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as InvalidResponseError).bodySnippet).toContain('[REDACTED]');
    },
  ],
  [
    'a 200 JSON body that fails the schema and echoes the credentials',
    async ({ sim, creds, client, jobId }) => {
      sim.fault({ type: 'status', status: 200, body: { kind: 42, job: 42, tasks: 'x', status: { phase: 7 }, echo: echo(creds), [creds.secrets[0] as string]: 1 } });
      return rejectionOf(client.getJob(jobId));
    },
    (error) => {
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as InvalidResponseError).bodySnippet).toContain('[REDACTED]');
    },
  ],
  [
    'a connection reset on every try',
    async ({ sim, client, jobId }) => {
      sim.fault({ type: 'reset', times: 2 });
      return rejectionOf(client.getJob(jobId));
    },
    (error) => expect(error).toBeInstanceOf(NetworkError),
  ],
  [
    'a request timeout',
    async ({ sim, connect, jobId }) => {
      sim.fault({ type: 'hang' });
      return rejectionOf(connect({ requestTimeoutMs: 50, retry: false }).getJob(jobId));
    },
    (error) => {
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).timedOut).toBe(true);
    },
  ],
  [
    'a wait that times out on echoing 503s',
    async ({ sim, creds, client, jobId }) => {
      sim.fault({ type: 'status', status: 503, times: Infinity, body: { error_code: 'APIGW.0500', error_msg: echo(creds) } });
      return rejectionOf(client.waitForJob(jobId, { timeoutMs: 120, minDelayMs: 10, maxDelayMs: 20 }));
    },
    (error) => {
      expect(error).toBeInstanceOf(JobTimeoutError);
      expect(inspect(error, { depth: 10 })).toContain('[REDACTED]'); // the echo is in the cause, redacted
    },
  ],
];

const VENDORS = ['cce', 'cas'] as const;

describe.each(VENDORS)('the %s client keeps Huawei credentials secret', (vendor) => {
  describe.each(CREDENTIALS)('with $name', (creds) => {
    let sim: Simulator;
    let logged: unknown[][];
    let ctx: Context;
    const toClose: Client[] = [];

    const logger: Logger = {
      debug: (...args) => void logged.push(args),
      info: (...args) => void logged.push(args),
      warn: (...args) => void logged.push(args),
      error: (...args) => void logged.push(args),
    };

    beforeEach(async () => {
      sim = await startSimulator();
      logged = [];
      sim.cce.auth = 'token' in creds.auth ? { token: creds.auth.token } : { ...creds.auth };
      sim.cas.auth = sim.cce.auth;
      const jobId = vendor === 'cce' ? sim.cce.addJob({ steps: [{ phase: 'Running' }] }) : sim.cas.addJob({ steps: [{ status: 'RUNNING' }] });
      const connect = (extra: Partial<HuaweiClientOptions>): Client => {
        const options = { endpoint: sim.url, projectId: PROJECT, auth: { ...creds.auth }, retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 5 }, logger, ...extra };
        const client = vendor === 'cce' ? createCceClient(options) : createCasClient(options);
        toClose.push(client);
        return client;
      };
      ctx = { sim, creds, jobId, connect, client: connect({}) };
    });

    afterEach(async () => {
      for (const client of toClose.splice(0)) await client.close();
      await sim.close();
    });

    it('reaches the job with these credentials when nothing goes wrong (the baseline of these tests)', async () => {
      await expect(ctx.client.getJob(ctx.jobId)).resolves.toMatchObject({ state: 'running' });
      expect(logged.length).toBeGreaterThan(0);
      expectClean(logged, creds.secrets);
    });

    it('shows no credential in util.inspect or JSON.stringify of the client', () => {
      expectClean(ctx.client, creds.secrets);
      expectClean({ nested: { client: ctx.client } }, creds.secrets);
      expect(inspect(ctx.client)).toMatch(vendor === 'cce' ? /^CceClient / : /^CasClient /);
      expect(JSON.parse(JSON.stringify(ctx.client))).toMatchObject({ vendor, projectId: PROJECT });
    });

    it.each(SCENARIOS)('shows no credential or signature in the error of %s, nor in anything logged', async (_what, drive, check) => {
      const error = await drive(ctx);
      check(error);
      expectClean(error, creds.secrets);
      expectClean(logged, creds.secrets);
      expectClean(ctx.client, creds.secrets);
    });

    if ('accessKey' in creds.auth) {
      it('redacts the real Authorization header of the request when a 400 echoes it back', async () => {
        const fixed = new Date(Date.now() - 5_000);
        const client = ctx.connect({ clock: () => fixed });
        await client.getJob(ctx.jobId);
        const authorization = sim.requests.at(-1)?.headers['authorization'] ?? '';
        const signature = /Signature=([0-9a-f]{64})$/.exec(authorization)?.[1];
        expect(signature).toBeDefined();
        sim.fault({ type: 'status', status: 400, body: { error_code: 'APIGW.0301', error_msg: `bad request, you sent Authorization: ${authorization}` } });
        const error = await rejectionOf(client.getJob(ctx.jobId));
        // the same request at the same date carries the same signature: the echo is the real one
        expect(sim.requests.at(-1)?.headers['authorization']).toBe(authorization);
        expect(error).toBeInstanceOf(AuthenticationError);
        expect((error as ApiError).vendorMessage).toContain('Signature=[REDACTED]');
        expectClean(error, [...creds.secrets, signature as string]);
        expectClean(logged, [...creds.secrets, signature as string]);
      });
    }
  });
});

describe('the secret checks of this file', () => {
  it('would catch a credential or a signature that reaches an error', () => {
    const leaky = new Error(`token ${TOKEN}`);
    expect(() => expectClean(leaky, [TOKEN])).toThrow();
    expect(() => expectClean({ header: `Signature=${ECHOED_SIGNATURE}` }, [])).toThrow();
    expect(() => expectClean(new Error('fine'), [TOKEN])).not.toThrow();
  });
});

/** Secrets with the characters JSON escapes (`/` is common in secret keys and security tokens). */
const SLASHED = { accessKey: ACCESS_KEY, secretKey: 'SK/with"slash\\and-\u00e4/123', securityToken: 'STS/with/slashes+and=pad/456==' };
const SLASHED_TOKEN = 'TOKEN/with"slash\\789/';

/** How a server's JSON writes an echo: as JSON.stringify does, with `\/` (PHP, Java), or with every character as `\u` escapes. */
const STYLES: [string, (value: unknown) => string][] = [
  ['JSON.stringify', (value) => JSON.stringify(value)],
  ['\\/ for every slash', (value) => JSON.stringify(value).replace(/\//g, '\\/')],
  ['\\u escapes for every non-alphanumeric character', (value) => JSON.stringify(value).replace(/\\(["\\])|[^A-Za-z0-9 {}:,[\]"]/g, (c, escaped?: string) => `\\u${(escaped ?? c).charCodeAt(0).toString(16).padStart(4, '0')}`)],
];

describe.each(VENDORS)('the %s client keeps secrets with slashes and quotes out of job texts however the server escaped them', (vendor) => {
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator();
  });

  afterEach(async () => {
    await sim.close();
  });

  const cases: [string, HuaweiAuth, string[]][] = [
    ['an access key pair with a security token', SLASHED, [SLASHED.secretKey, SLASHED.securityToken]],
    ['a token', { token: SLASHED_TOKEN }, [SLASHED_TOKEN]],
  ];

  describe.each(cases)('with %s', (_name, auth, secrets) => {
    it.each(STYLES)('redacts the echo in the failed job, its snapshots and its error when the server writes it as %s', async (_style, serialize) => {
      sim.cce.auth = auth;
      sim.cas.auth = auth;
      const echo = `login refused for ${secrets.join(' and ')}`;
      const jobId = vendor === 'cce' ? sim.cce.addJob({ steps: [{ phase: 'Running' }] }) : sim.cas.addJob({ steps: [{ status: 'RUNNING' }] });
      const failed =
        vendor === 'cce'
          ? { metadata: { uid: jobId }, status: { phase: 'Failed', reason: 'InstallFailed', message: echo } }
          : {
              job: { JOB_ID: jobId, EXECUTION_STATUS: 'FAILED' },
              tasks: [{ TASK_ID: 'Task-1', TASK_NAME: 'deploy', TASK_INDEX: 1, TASK_STATUS: 'FAILED', MESSAGES: JSON.stringify({ Message: 'ECC00011', Detail: echo }) }],
              task_count: 1,
            };
      const body = serialize(failed);
      const options = { endpoint: sim.url, projectId: PROJECT, auth, retry: false as const };
      const client = vendor === 'cce' ? createCceClient(options) : createCasClient(options);
      const snapshots: Job[] = [];
      try {
        const error = await rejectionOf(
          client.waitForJob(jobId, {
            minDelayMs: 1,
            maxDelayMs: 5,
            timeoutMs: 5_000,
            onProgress: (job) => {
              snapshots.push(job);
              if (snapshots.length === 1) sim.fault({ type: 'raw', status: 200, contentType: 'application/json', body });
            },
          }),
        );
        expect(error).toBeInstanceOf(JobFailedError);
        expect((error as JobFailedError).message).toContain('login refused for [REDACTED]');
        for (const value of [error, snapshots, (error as JobFailedError).job.raw]) {
          for (const [face, text] of Object.entries(faces(value))) expect(leakedSecrets(text, secrets), `${face}:\n${text.slice(0, 1500)}`).toEqual([]);
        }
      } finally {
        await client.close();
      }
    });
  });
});
