import { inspect } from 'node:util';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOntapClient, type OntapClient, type OntapClientOptions } from '../../../adapters/ontap/index.js';
import { ApiError, AuthenticationError, InvalidArgumentError, InvalidResponseError, JobFailedError, JobwaitError, NetworkError } from '../../../src/errors/index.js';
import type { Job } from '../../../src/model/job.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import type { Logger } from '../../../src/transport/logger.js';
import { rejectionOf as rejection } from '../../helpers/promises.js';
import { faces, leakedSecrets } from '../../helpers/faces.js';

const USERNAME = 'admin';
const PASSWORD = 'S3cr3t-P@ss-word';
const USER_PASS = `${USERNAME}:${PASSWORD}`;
const BASIC = Buffer.from(USER_PASS, 'utf8').toString('base64');
const AUTHORIZATION = `Basic ${BASIC}`;
const FORBIDDEN = [PASSWORD, BASIC, USER_PASS, encodeURIComponent(PASSWORD)];

let sim: Simulator;
let client: OntapClient;
let logged: unknown[][];

const logger: Logger = {
  debug: (...args) => void logged.push(args),
  info: (...args) => void logged.push(args),
  warn: (...args) => void logged.push(args),
  error: (...args) => void logged.push(args),
};

function makeClient(options: Partial<OntapClientOptions> = {}): OntapClient {
  return createOntapClient({
    baseUrl: sim.url,
    auth: { username: USERNAME, password: PASSWORD },
    retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 20 },
    logger,
    ...options,
  });
}

beforeEach(async () => {
  sim = await startSimulator();
  logged = [];
  client = makeClient();
});

afterEach(async () => {
  await client.close();
  await sim.close();
});



function expectNoSecret(value: unknown): void {
  for (const [face, text] of Object.entries(faces(value))) {
    for (const secret of FORBIDDEN) {
      expect(text.includes(secret), `${face} holds ${JSON.stringify(secret)}:\n${text.slice(0, 2000)}`).toBe(false);
    }
  }
}

function expectCleanLogsAndClient(): void {
  expectNoSecret(logged);
  expectNoSecret(client);
  const text = JSON.stringify(logged);
  for (const secret of FORBIDDEN) expect(text).not.toContain(secret);
}

/** Errors whose texts the vendor filled with echoes of the credentials. */
const ECHO = `Authorization: ${AUTHORIZATION}; password=${PASSWORD}; user=${USER_PASS}`;

describe('credentials never leak', () => {
  it('sends the credentials to the server (so an echo is a real echo)', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    await client.getJob(uuid);
    expect(sim.requests[0]?.headers['authorization']).toBe(AUTHORIZATION);
    expectCleanLogsAndClient();
  });

  it('keeps them out of a 401 AuthenticationError for mismatched credentials', async () => {
    sim.ontap.credentials = { username: USERNAME, password: 'another-password' };
    const uuid = sim.ontap.addJob();
    const error = await rejection(client.getJob(uuid));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expectNoSecret(error);
    expectCleanLogsAndClient();
  });

  it('keeps them out of a 401 whose body echoes them', async () => {
    sim.fault({ type: 'status', status: 401, body: { error: { message: `bad credentials: ${ECHO}`, code: PASSWORD, target: AUTHORIZATION } }, headers: { 'x-request-id': `req-${PASSWORD}` } });
    const error = (await rejection(client.getJob(sim.ontap.addJob()))) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.vendorMessage).toContain('[REDACTED]');
    expect(error.vendorCode).toBe('[REDACTED]');
    expect(error.target).toContain('[REDACTED]');
    expect(error.requestId).toBe('req-[REDACTED]');
    expectNoSecret(error);
    expectCleanLogsAndClient();
  });

  it('keeps them out of a 400 ApiError whose vendor message, code and target echo them', async () => {
    const uuid = sim.ontap.addJob();
    sim.fault({ type: 'status', status: 400, body: { error: { message: ECHO, code: USER_PASS, target: `header ${AUTHORIZATION}` } } });
    const error = (await rejection(client.getJob(uuid))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.vendorMessage).toContain('[REDACTED]');
    expect(error.target).toContain('[REDACTED]');
    expectNoSecret(error);
    expectCleanLogsAndClient();
  });

  it('keeps them out of a 500 whose JSON body echoes the Authorization header and the password', async () => {
    const uuid = sim.ontap.addJob();
    sim.fault({ type: 'status', status: 500, body: { error: { message: `internal error handling ${ECHO}`, code: '1' } } });
    const error = (await rejection(client.getJob(uuid))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(500);
    expect(error.vendorMessage).toContain('[REDACTED]');
    expectNoSecret(error);
    expectCleanLogsAndClient();
  });

  it('keeps them out of a 500 whose text body echoes them', async () => {
    sim.fault({ type: 'raw', status: 500, contentType: 'text/plain', body: ECHO });
    const error = await rejection(client.getJob(sim.ontap.addJob()));
    expect(error).toBeInstanceOf(ApiError);
    expectNoSecret(error);
    expectCleanLogsAndClient();
  });

  it('keeps them out of retried 503s whose body echoes them (the retry log line quotes the error)', async () => {
    sim.fault({ type: 'status', status: 503, body: { error: { message: ECHO } }, times: 5 });
    const error = await rejection(client.getJob(sim.ontap.addJob()));
    expect(error).toBeInstanceOf(ApiError);
    expect(sim.requests).toHaveLength(2);
    expect(logged.some((args) => String(args[0]).includes('retrying'))).toBe(true);
    expectNoSecret(error);
    expectCleanLogsAndClient();
  });

  it.each([
    ['the echo with text around it', `echo: ${ECHO}`],
    ['the bare password', PASSWORD],
    ['the bare Basic value', BASIC],
    ['the Authorization header', AUTHORIZATION],
    ['user:password', USER_PASS],
  ])('keeps them out of an InvalidResponseError for a non-JSON 200 that is %s', async (_name, body) => {
    sim.fault({ type: 'raw', status: 200, contentType: 'text/plain', body });
    const error = (await rejection(client.getJob(sim.ontap.addJob()))) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.bodySnippet).toContain('[REDACTED]');
    expectNoSecret(error);
    expectCleanLogsAndClient();
  });

  it('keeps the first half of a password out of the body snippet when the password crosses the cut', async () => {
    // The snippet is 512 characters: put the password across that boundary.
    const body = `${'x'.repeat(512 - 6)}${PASSWORD} and more`;
    sim.fault({ type: 'raw', status: 200, contentType: 'text/plain', body });
    const error = (await rejection(client.getJob(sim.ontap.addJob()))) as InvalidResponseError;
    expect(error.bodySnippet).not.toContain(PASSWORD.slice(0, 6));
    expectNoSecret(error);
  });

  it('keeps them out of an InvalidResponseError for a 200 that fails its schema while echoing them', async () => {
    sim.fault({ type: 'status', status: 200, body: { uuid: 1, echo: ECHO, [PASSWORD]: AUTHORIZATION } });
    const error = (await rejection(client.getJob(sim.ontap.addJob()))) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.issues.length).toBeGreaterThan(0);
    expectNoSecret(error);
    expectCleanLogsAndClient();
  });

  it('keeps them out of a NetworkError for a reset connection', async () => {
    sim.fault({ type: 'reset', times: 5 });
    const error = await rejection(client.getJob(sim.ontap.addJob()));
    expect(error).toBeInstanceOf(NetworkError);
    expectNoSecret(error);
    expectCleanLogsAndClient();
  });

  it('keeps them out of a NetworkError for a refused connection', async () => {
    const gone = await startSimulator();
    const url = gone.url;
    await gone.close();
    const refused = createOntapClient({ baseUrl: url, auth: { username: USERNAME, password: PASSWORD }, retry: false, logger });
    try {
      const error = await rejection(refused.getJob('1cd8a442-86d1-11e0-ae1c-123478563412'));
      expect(error).toBeInstanceOf(NetworkError);
      expectNoSecret(error);
      expectNoSecret(refused);
      expectNoSecret(logged);
    } finally {
      await refused.close();
    }
  });

  it('keeps them out of a NetworkError for a timeout', async () => {
    await client.close();
    client = makeClient({ requestTimeoutMs: 50, retry: false });
    sim.fault({ type: 'hang' });
    const error = (await rejection(client.getJob(sim.ontap.addJob()))) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.timedOut).toBe(true);
    expectNoSecret(error);
    expectCleanLogsAndClient();
  });

  it('keeps them out of a cut-short body', async () => {
    sim.fault({ type: 'reset-mid-body', times: 5 });
    const error = await rejection(client.getJob(sim.ontap.addJob()));
    expect(error).toBeInstanceOf(NetworkError);
    expectNoSecret(error);
    expectCleanLogsAndClient();
  });

  it('keeps them out of a PATCH error echoing them', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'status', status: 400, method: 'PATCH', body: { error: { message: ECHO, code: '458784' } } });
    const error = await rejection(client.cancelJob(uuid));
    expect(error).toBeInstanceOf(ApiError);
    expectNoSecret(error);
    expectCleanLogsAndClient();
  });

  it('shows the client without credentials in util.inspect and JSON.stringify', () => {
    const shown = inspect(client, { depth: 10, showHidden: true });
    expect(shown).toContain(sim.url);
    expect(shown).toContain(USERNAME);
    expect(JSON.parse(JSON.stringify(client))).toEqual({ vendor: 'ontap', baseUrl: sim.url, username: USERNAME });
    expect(Object.keys(client).join(' ')).not.toMatch(/auth|password/i);
    expectNoSecret(client);
  });

  it('refuses a baseUrl with credentials without echoing the password', () => {
    for (const baseUrl of [
      `http://${USERNAME}:${PASSWORD}@127.0.0.1:9`,
      `https://${USERNAME}:${encodeURIComponent(PASSWORD)}@cluster.example.com`,
      new URL(`https://${USERNAME}:${encodeURIComponent(PASSWORD)}@cluster.example.com/base`),
    ]) {
      let error: unknown;
      try {
        createOntapClient({ baseUrl, auth: { username: USERNAME, password: PASSWORD } });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('baseUrl');
      expect((error as Error).message).toMatch(/credentials/);
      expectNoSecret(error);
    }
  });

  it('refuses malformed auth without echoing the password', () => {
    for (const auth of [
      { username: `${USERNAME}:${PASSWORD}`, password: PASSWORD },
      { username: '', password: PASSWORD },
      { username: `a\n${PASSWORD}`, password: PASSWORD },
    ]) {
      let error: unknown;
      try {
        createOntapClient({ baseUrl: sim.url, auth });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toBeInstanceOf(JobwaitError);
      expectNoSecret(error);
    }
  });
});

/** A password with every character JSON escapes: a quote, a backslash, a slash and a non-ASCII letter. */
const HARD_PASSWORD = 'Pa"ss\\Wo/rd-\u00e4-42';
const HARD_USER_PASS = `${USERNAME}:${HARD_PASSWORD}`;
const HARD_BASIC = Buffer.from(HARD_USER_PASS, 'utf8').toString('base64');
const HARD_SECRETS = [HARD_PASSWORD, HARD_USER_PASS, HARD_BASIC];

/** JSON as the servers of other languages write it. */
const SERVER_JSON: [string, (value: unknown) => string][] = [
  ['JSON.stringify (\\" and \\\\)', (value) => JSON.stringify(value)],
  ['PHP and Java (\\/ too)', (value) => JSON.stringify(value).replace(/\//g, '\\/')],
  ["Python's ensure_ascii (\\u00e4)", (value) => JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
  ['every character of the echo as \\u escapes in upper-case hex', (value) => JSON.stringify(value).replace(/(?<=login refused: )[^,]*?(?= \()/g, (echo) => [...JSON.parse(`"${echo}"`) as string].map((c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`).join(''))],
];

/** A text that echoes every credential of the ONTAP client: the password, user:password and the Basic value. */
const hardEcho = (password = HARD_PASSWORD): string => `login refused: ${password} (as ${USERNAME}:${password}, Basic ${Buffer.from(`${USERNAME}:${password}`, 'utf8').toString('base64')})`;

function expectNoHardSecret(value: unknown, secrets: readonly string[] = HARD_SECRETS): void {
  for (const [face, text] of Object.entries(faces(value))) {
    expect(leakedSecrets(text, secrets), `${face} shows a credential:\n${text.slice(0, 2000)}`).toEqual([]);
  }
}

describe('credentials a server echoes in another encoding never leak', () => {
  let hard: OntapClient;

  beforeEach(() => {
    sim.ontap.credentials = { username: USERNAME, password: HARD_PASSWORD };
    hard = createOntapClient({ baseUrl: sim.url, auth: { username: USERNAME, password: HARD_PASSWORD }, retry: false, logger });
  });

  afterEach(async () => {
    await hard.close();
  });

  it('would see a credential behind any escape (the check of these tests)', () => {
    expect(leakedSecrets(JSON.stringify({ a: HARD_PASSWORD }), HARD_SECRETS)).toEqual([HARD_PASSWORD]);
    expect(leakedSecrets(inspect({ a: JSON.stringify(HARD_PASSWORD) }), HARD_SECRETS)).toEqual([HARD_PASSWORD]);
    expect(leakedSecrets(encodeURIComponent(HARD_BASIC), HARD_SECRETS)).toEqual([HARD_BASIC]);
    expect(leakedSecrets('Pa"ss\\Wo/rd-a-42', HARD_SECRETS)).toEqual([]);
  });

  it.each(SERVER_JSON)('keeps them out of a failed job, its snapshots and its error when the job text echoes them as %s', async (_style, serialize) => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const body = serialize({ uuid, state: 'failure', message: hardEcho(), code: 917927, error: { code: '917927', message: hardEcho(), arguments: [{ code: '1', message: hardEcho() }] } });
    expect(body).not.toContain(HARD_PASSWORD); // the body holds the echo escaped, never as is
    const snapshots: Job[] = [];
    const error = await rejection(
      hard.waitForJob(uuid, {
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
    const { job } = error as JobFailedError;
    expect(job.message).toContain('login refused: [REDACTED]');
    expect(job.error?.message).toContain('login refused: [REDACTED]');
    expect(snapshots.at(-1)?.state).toBe('failed');
    expectNoHardSecret(error);
    expectNoHardSecret(job);
    expectNoHardSecret(job.raw);
    expectNoHardSecret(snapshots);
    expectNoHardSecret(logged);
  });

  it('keeps them out of the snippet of a cut-short JSON body that echoes them escaped', async () => {
    const body = JSON.stringify({ uuid: 'x', message: hardEcho() }).replace(/\//g, '\\/').slice(0, -3);
    sim.fault({ type: 'raw', status: 200, contentType: 'application/json', body });
    const error = (await rejection(hard.getJob(sim.ontap.addJob()))) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain('not JSON');
    expect(error.bodySnippet).toContain('login refused: [REDACTED]');
    expectNoHardSecret(error);
  });

  it('keeps them out of the snippet and issues of a JSON body that fails its schema while echoing them escaped', async () => {
    sim.fault({ type: 'status', status: 200, body: { uuid: 42, state: hardEcho(), [HARD_PASSWORD]: { [HARD_BASIC]: hardEcho() } } });
    const error = (await rejection(hard.getJob(sim.ontap.addJob()))) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.bodySnippet).toContain('[REDACTED]');
    expectNoHardSecret(error);
  });

  it('keeps them out of an error body that echoes them percent-encoded and escaped', async () => {
    const echo = `${hardEcho()}; query was ?password=${encodeURIComponent(HARD_PASSWORD)}&auth=${encodeURIComponent(HARD_BASIC).replace(/%[0-9A-F]{2}/g, (c) => c.toLowerCase())}`;
    sim.fault({ type: 'raw', status: 400, contentType: 'application/json', body: JSON.stringify({ error: { message: echo, code: '2', target: JSON.stringify({ password: HARD_PASSWORD }) } }).replace(/\//g, '\\/') });
    const error = (await rejection(hard.getJob(sim.ontap.addJob()))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.vendorMessage).toContain('password=[REDACTED]&auth=[REDACTED]');
    expectNoHardSecret(error);
    expectNoHardSecret(logged);
  });

  it("keeps the Authorization header out of the NetworkError of a caller's dispatcher whose error quotes the request", async () => {
    const agent = new Agent();
    const quoting = agent.compose(() => (options) => {
      const headers = options.headers as Record<string, string>;
      throw Object.assign(new Error(`proxy refused ${options.method} with authorization: ${headers['authorization']} (${JSON.stringify(headers)})`), {
        code: 'E_PROXY_REFUSED',
        authorization: headers['authorization'],
        request: { headers },
      });
    });
    const client = createOntapClient({ baseUrl: sim.url, auth: { username: USERNAME, password: HARD_PASSWORD }, retry: false, logger, dispatcher: quoting });
    try {
      const error = (await rejection(client.getJob(sim.ontap.addJob()))) as NetworkError;
      expect(error).toBeInstanceOf(NetworkError);
      expect(error.message).toContain('proxy refused GET with authorization: Basic [REDACTED]');
      expect(error.message).toContain('E_PROXY_REFUSED');
      expect((error.cause as { code?: unknown }).code).toBe('E_PROXY_REFUSED');
      expect(sim.requests).toHaveLength(0);
      expectNoHardSecret(error);
      expectNoHardSecret(logged);
    } finally {
      await client.close();
      await agent.close();
    }
  });
});

describe('short credentials never leak', () => {
  /** Three characters: shorter than a redactor cuts inside words. */
  const SHORT = 'Zq7';

  it('keeps a 3-character password out of a 401 whose body echoes it, and states what it guarantees', async () => {
    sim.ontap.credentials = { username: USERNAME, password: 'another-password' };
    const client = createOntapClient({ baseUrl: sim.url, auth: { username: USERNAME, password: SHORT }, retry: false, logger });
    try {
      sim.fault({ type: 'status', status: 401, body: { error: { message: `password "${SHORT}" is wrong for ${USERNAME}; ${SHORT}. (${encodeURIComponent(SHORT)})`, code: SHORT, target: `Zq7x Zq7_` } } });
      const error = (await rejection(client.getJob(sim.ontap.addJob()))) as AuthenticationError;
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.vendorMessage).toBe('password "[REDACTED]" is wrong for admin; [REDACTED]. ([REDACTED])');
      expect(error.vendorCode).toBe('[REDACTED]');
      // Inside a word it stands for no credential, and is left alone (see the README's Security).
      expect(error.target).toBe('Zq7x Zq7_');
      for (const [face, text] of Object.entries(faces(error))) expect(text, face).not.toMatch(/(?<![\w%])Zq7(?!\w)/);
      expectNoHardSecret(error, [`${USERNAME}:${SHORT}`, Buffer.from(`${USERNAME}:${SHORT}`).toString('base64')]);
    } finally {
      await client.close();
    }
  });

  it('keeps a 1-character password out of a failed job that echoes it as a token', async () => {
    const client = createOntapClient({ baseUrl: sim.url, auth: { username: USERNAME, password: '~' }, retry: false, logger });
    try {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'failure', message: 'user admin with password ~ has no rights', error: { code: '1', message: 'password: "~"' } }] });
      const error = (await rejection(client.waitForJob(uuid, { timeoutMs: 2_000 }))) as JobFailedError;
      expect(error).toBeInstanceOf(JobFailedError);
      expect(error.job.message).toBe('user admin with password [REDACTED] has no rights');
      expect(error.job.error?.message).toBe('password: "[REDACTED]"');
    } finally {
      await client.close();
    }
  });
});
