import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCasClient, type CasClient } from '../../adapters/cas/index.js';
import { createCceClient } from '../../adapters/cce/index.js';
import { createOntapClient, type OntapClient } from '../../adapters/ontap/index.js';
import { InvalidArgumentError, type JobClient } from '../../src/index.js';
import { startSimulator, type Simulator } from '../../src/testing/index.js';

const ONTAP_UUID = '1c1b4e2a-7f3d-4b5e-9a1c-2d3e4f5a6b7c';
const CAS_JOB = 'JOB474362ef-091d-429f-9b3e-c9246b37dee6';
const CCE_JOB = 'cce-job-5c8f9a2e-1b4d-4e6f-8a0b-3c2d1e0f9a8b';
const PROJECT = '063a3158b1a34710b36ad208b9497d00';
const ONTAP_PASSWORD = 'Ontap-Passw0rd-hostile-input';
const HUAWEI_TOKEN = 'huawei-token-hostile-input-0123456789';
/** Put into URLs to check that no message echoes it. */
const URL_PASSWORD = 'UrlPassw0rdThatMustNotLeak';

type VendorName = 'ontap' | 'cas' | 'cce';

interface Vendor {
  name: VendorName;
  /** A legal id of this vendor. */
  validId: string;
  /** The option that takes the server's address. */
  urlOption: 'baseUrl' | 'endpoint';
  /** Options that make a working client, but the address. */
  base: Record<string, unknown>;
  create(options: Record<string, unknown>): JobClient;
  /** Scripts a job under `id` that is terminal (succeeded) on its first poll. */
  addDoneJob(sim: Simulator, id: string): void;
  /** The path the simulator records for a GET of the job `encodedId` (already percent-encoded). */
  jobPath(encodedId: string, encodedProject?: string): string;
}

const VENDORS: Vendor[] = [
  {
    name: 'ontap',
    validId: ONTAP_UUID,
    urlOption: 'baseUrl',
    base: { auth: { username: 'admin', password: ONTAP_PASSWORD }, retry: false },
    create: (options) => createOntapClient(options as never),
    addDoneJob: (sim, id) => void sim.ontap.addJob({ uuid: id, steps: [{ state: 'success', code: 0 }] }),
    jobPath: (id) => `/api/cluster/jobs/${id}`,
  },
  {
    name: 'cas',
    validId: CAS_JOB,
    urlOption: 'endpoint',
    base: { projectId: PROJECT, auth: { token: HUAWEI_TOKEN }, retry: false },
    create: (options) => createCasClient(options as never),
    addDoneJob: (sim, id) => void sim.cas.addJob({ jobId: id, steps: [{ status: 'SUCCEEDED' }] }),
    jobPath: (id, project = PROJECT) => `/v2/${project}/cas/jobs/${id}`,
  },
  {
    name: 'cce',
    validId: CCE_JOB,
    urlOption: 'endpoint',
    base: { projectId: PROJECT, auth: { token: HUAWEI_TOKEN }, retry: false },
    create: (options) => createCceClient(options as never),
    addDoneJob: (sim, id) => void sim.cce.addJob({ uid: id, steps: [{ phase: 'Success' }] }),
    jobPath: (id, project = PROJECT) => `/api/v3/projects/${project}/jobs/${id}`,
  },
];

const HUAWEI_VENDORS = VENDORS.filter((v) => v.name !== 'ontap');

interface HostileValue {
  label: string;
  value: unknown;
}

/** Ids (and project ids) that must never reach a URL. `valid` is a legal id of the vendor, to build near misses. */
function hostileIds(valid: string): HostileValue[] {
  return [
    { label: 'a slash (a/b)', value: 'a/b' },
    { label: 'the dot-dot segment', value: '..' },
    { label: 'the dot segment', value: '.' },
    { label: 'a query (?x=1)', value: '?x=1' },
    { label: 'a fragment (#frag)', value: '#frag' },
    { label: 'an encoded dot-dot (%2e%2e)', value: '%2e%2e' },
    { label: 'a lone percent sign', value: '%' },
    { label: 'a single space', value: ' ' },
    { label: 'an inner space (a b)', value: 'a b' },
    { label: 'a line feed', value: '\n' },
    { label: 'a NUL character', value: '\u0000' },
    { label: 'a DEL character', value: '\u007f' },
    { label: 'a 10 KB id', value: 'x'.repeat(10_240) },
    { label: 'the empty string', value: '' },
    { label: 'a legal id followed by /../other', value: `${valid}/../other` },
    { label: 'a legal id behind ../', value: `../${valid}` },
    { label: 'a legal id with a query', value: `${valid}?fields=*` },
    { label: 'a legal id with a fragment', value: `${valid}#x` },
    { label: 'a legal id with an encoded slash', value: `${valid}%2F..` },
    { label: 'a legal id with a trailing line feed', value: `${valid}\n` },
    { label: 'a legal id with CRLF and a header', value: `${valid}\r\nX-Injected: 1` },
    { label: 'a legal id padded with spaces', value: ` ${valid} ` },
    { label: 'a legal id with a tab', value: `${valid}\t` },
    { label: 'a legal id with a non-ASCII letter', value: `${valid}é` },
    { label: 'a number (cast)', value: 42 },
    { label: 'null (cast)', value: null },
    { label: 'undefined (cast)', value: undefined },
    { label: 'true (cast)', value: true },
    { label: 'an object whose toString is a legal id (cast)', value: { toString: () => valid } },
    { label: 'an array holding a legal id (cast)', value: [valid] },
    { label: 'a String object holding a legal id (cast)', value: new String(valid) },
  ];
}

type Outcome = { how: 'throws'; error: unknown } | { how: 'rejects'; error: unknown } | { how: 'resolves'; value: unknown };

/** How a call ends: it throws synchronously, or its result (awaited) rejects or resolves. */
async function outcomeOf(call: () => unknown): Promise<Outcome> {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    return { how: 'throws', error };
  }
  try {
    return { how: 'resolves', value: await result };
  } catch (error) {
    return { how: 'rejects', error };
  }
}

/** Asserts an InvalidArgumentError that stays short and never carries raw control characters (log injection). */
function expectInvalidArgument(error: unknown, argument?: string): InvalidArgumentError {
  expect(error).toBeInstanceOf(InvalidArgumentError);
  const invalid = error as InvalidArgumentError;
  expect(invalid.code).toBe('INVALID_ARGUMENT');
  if (argument !== undefined) expect(invalid.argument).toBe(argument);
  expect(invalid.message.length).toBeLessThan(300);
  // eslint-disable-next-line no-control-regex
  expect(invalid.message).not.toMatch(/[\u0000-\u001f\u007f]/);
  return invalid;
}

async function expectRejectsInvalid(call: () => unknown, argument?: string): Promise<InvalidArgumentError> {
  const outcome = await outcomeOf(call);
  expect(outcome.how).toBe('rejects');
  return expectInvalidArgument((outcome as { error: unknown }).error, argument);
}

let sim: Simulator;
const clients: JobClient[] = [];

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(async () => {
  await sim?.close();
});

beforeEach(() => {
  sim.reset();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
});

function connect(vendor: Vendor, extra: Record<string, unknown> = {}): JobClient {
  const client = vendor.create({ ...vendor.base, [vendor.urlOption]: sim.url, ...extra });
  clients.push(client);
  return client;
}

describe.each(VENDORS)('hostile ids on the $name client', (vendor) => {
  it('sends a request for a legal id (so an empty request log below means the id was stopped)', async () => {
    vendor.addDoneJob(sim, vendor.validId);
    const client = connect(vendor);
    const job = await client.getJob(vendor.validId);
    expect(job.id).toBe(vendor.validId);
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]?.path).toBe(vendor.jobPath(vendor.validId));
  });

  it.each(hostileIds(vendor.validId))('refuses $label in getJob and waitForJob with InvalidArgumentError before any request', async ({ value }) => {
    vendor.addDoneJob(sim, vendor.validId);
    const client = connect(vendor);
    await expectRejectsInvalid(() => client.getJob(value as string));
    await expectRejectsInvalid(() => client.getJob(value as string, { signal: new AbortController().signal }));
    await expectRejectsInvalid(() => client.waitForJob(value as string, { timeoutMs: 1_000, minDelayMs: 10 }));
    expect(sim.requests).toHaveLength(0);
  });

  it.each(hostileIds(vendor.validId))(
    'refuses $label in watchJob: at the call when it is not a non-empty string, else at the first next()',
    async ({ value }) => {
      vendor.addDoneJob(sim, vendor.validId);
      const client = connect(vendor);
      const outcome = await outcomeOf(() => client.watchJob(value as string, { timeoutMs: 1_000, minDelayMs: 10 }));
      if (typeof value !== 'string' || value === '') {
        // The core checks that an id is a non-empty string when the watch is made.
        expect(outcome.how).toBe('throws');
        expectInvalidArgument((outcome as { error: unknown }).error, 'id');
      } else {
        // The vendor's id format is checked by getJob, so it surfaces at the first poll.
        expect(outcome.how).toBe('resolves');
        const watch = (outcome as { value: AsyncIterableIterator<unknown> }).value;
        await expectRejectsInvalid(() => watch.next());
        expect(await watch.next()).toEqual({ done: true, value: undefined });
      }
      expect(sim.requests).toHaveLength(0);
    },
  );
});

describe('hostile ids in the ONTAP job actions', () => {
  it('sends a PATCH for a legal uuid (so an empty request log below means the uuid was stopped)', async () => {
    sim.ontap.addJob({ uuid: ONTAP_UUID, steps: [{ state: 'running' }] });
    const ontap = connect(VENDORS[0] as Vendor) as OntapClient;
    await ontap.pauseJob(ONTAP_UUID);
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`PATCH /api/cluster/jobs/${ONTAP_UUID}?action=pause`]);
  });

  it.each(hostileIds(ONTAP_UUID))('refuses $label in cancelJob, pauseJob and resumeJob with InvalidArgumentError before any request', async ({ value }) => {
    sim.ontap.addJob({ uuid: ONTAP_UUID, steps: [{ state: 'running' }] });
    const ontap = connect(VENDORS[0] as Vendor) as OntapClient;
    await expectRejectsInvalid(() => ontap.cancelJob(value as string), 'uuid');
    await expectRejectsInvalid(() => ontap.pauseJob(value as string), 'uuid');
    await expectRejectsInvalid(() => ontap.resumeJob(value as string), 'uuid');
    expect(sim.requests).toHaveLength(0);
  });
});

describe('hostile CAS instance ids', () => {
  const cases = hostileIds('instance-1').filter((c) => c.value !== undefined);

  it.each(cases)('refuses $label as instanceId in getJob and waitForJob (rejects) and in watchJob (throws at the call)', async ({ value }) => {
    sim.cas.addJob({ jobId: CAS_JOB, steps: [{ status: 'SUCCEEDED' }] });
    const cas = connect(VENDORS[1] as Vendor) as CasClient;
    await expectRejectsInvalid(() => cas.getJob(CAS_JOB, { instanceId: value as string }), 'instanceId');
    await expectRejectsInvalid(() => cas.waitForJob(CAS_JOB, { instanceId: value as string, timeoutMs: 1_000, minDelayMs: 10 }), 'instanceId');
    const watch = await outcomeOf(() => cas.watchJob(CAS_JOB, { instanceId: value as string, timeoutMs: 1_000, minDelayMs: 10 }));
    expect(watch.how).toBe('throws');
    expectInvalidArgument((watch as { error: unknown }).error, 'instanceId');
    expect(sim.requests).toHaveLength(0);
  });
});

describe.each(HUAWEI_VENDORS)('hostile project ids of the $name client', (vendor) => {
  it.each(hostileIds(PROJECT))('refuses $label as projectId when the client is made', ({ value }) => {
    const outcome = (): unknown => vendor.create({ ...vendor.base, endpoint: sim.url, projectId: value });
    expect(outcome).toThrow(InvalidArgumentError);
    try {
      outcome();
    } catch (error) {
      expectInvalidArgument(error, 'projectId');
    }
    expect(sim.requests).toHaveLength(0);
  });
});

/** Addresses no client may take; `url` is the simulator's `http://127.0.0.1:<port>`. */
function hostileUrls(url: string): HostileValue[] {
  const withCredentials = url.replace('http://', `http://admin:${URL_PASSWORD}@`);
  return [
    { label: 'a user and password in the URL', value: withCredentials },
    { label: 'a password without a user in the URL', value: url.replace('http://', `http://:${URL_PASSWORD}@`) },
    { label: 'a user without a password in the URL', value: url.replace('http://', 'http://admin@') },
    { label: 'a URL object with credentials', value: new URL(withCredentials) },
    { label: 'credentials and an invalid port', value: `http://admin:${URL_PASSWORD}@127.0.0.1:99999` },
    { label: 'a password in the query', value: `${url}/?password=${URL_PASSWORD}` },
    { label: 'a query without a path', value: `${url}?x=1` },
    { label: 'a password in the fragment', value: `${url}/#${URL_PASSWORD}` },
    { label: 'an ftp: URL', value: 'ftp://127.0.0.1/' },
    { label: 'a file: URL', value: 'file:///etc/passwd' },
    { label: 'a javascript: URL', value: 'javascript:alert(1)' },
    { label: 'a ws: URL', value: url.replace('http://', 'ws://') },
    { label: 'a text that is not a URL', value: 'not a url' },
    { label: 'a host and port without a scheme', value: '127.0.0.1:8080' },
    { label: 'the empty string', value: '' },
    { label: 'a number (cast)', value: 443 },
    { label: 'null (cast)', value: null },
    { label: 'undefined (cast)', value: undefined },
    { label: 'a plain object (cast)', value: { href: url } },
  ];
}

describe.each(VENDORS)('hostile addresses of the $name client', (vendor) => {
  it('accepts the plain simulator address and a base path (so the refusals below are about the hostile part)', () => {
    expect(() => connect(vendor)).not.toThrow();
    expect(() => connect(vendor, { [vendor.urlOption]: `${sim.url}/prefix/` })).not.toThrow();
  });

  it.each(hostileUrls('http://127.0.0.1:1'))(`refuses $label with InvalidArgumentError that never echoes a password`, ({ value }) => {
    let thrown: unknown;
    try {
      clients.push(vendor.create({ ...vendor.base, [vendor.urlOption]: value }));
    } catch (error) {
      thrown = error;
    }
    const error = expectInvalidArgument(thrown, vendor.urlOption);
    for (const view of [error.message, String(error.stack), inspect(error, { depth: Infinity, showHidden: true }), JSON.stringify(error)]) {
      expect(view).not.toContain(URL_PASSWORD);
      expect(view).not.toContain(encodeURIComponent(URL_PASSWORD));
    }
  });
});

describe('hostile credentials', () => {
  it.each([
    { label: 'a username with a colon', auth: { username: 'ad:min', password: ONTAP_PASSWORD }, argument: 'auth.username' },
    { label: 'a username with CRLF', auth: { username: 'admin\r\nX-Injected: 1', password: ONTAP_PASSWORD }, argument: 'auth.username' },
    { label: 'an empty username', auth: { username: '', password: ONTAP_PASSWORD }, argument: 'auth.username' },
    { label: 'a password that is not a string', auth: { username: 'admin', password: 12345678 }, argument: 'auth.password' },
    { label: 'no auth at all', auth: undefined, argument: 'auth' },
  ])('the ONTAP client refuses $label', ({ auth, argument }) => {
    let thrown: unknown;
    try {
      clients.push(createOntapClient({ baseUrl: sim.url, auth } as never));
    } catch (error) {
      thrown = error;
    }
    expect(expectInvalidArgument(thrown, argument).message).not.toContain(ONTAP_PASSWORD);
  });

  it.each(HUAWEI_VENDORS.flatMap((vendor) => [
    { vendor, label: 'a token with CRLF', auth: { token: `${HUAWEI_TOKEN}\r\nX-Injected: 1` }, argument: 'auth.token' },
    { vendor, label: 'a token with a space', auth: { token: `${HUAWEI_TOKEN} x` }, argument: 'auth.token' },
    { vendor, label: 'an empty token', auth: { token: '' }, argument: 'auth.token' },
    { vendor, label: 'an access key with a line feed', auth: { accessKey: 'AK\nX', secretKey: 'secret-key-0123456789' }, argument: 'auth.accessKey' },
    { vendor, label: 'a token and a key pair at once', auth: { token: HUAWEI_TOKEN, accessKey: 'AK', secretKey: 'secret-key-0123456789' }, argument: 'auth' },
  ]))('the $vendor.name client refuses $label', ({ vendor, auth, argument }) => {
    let thrown: unknown;
    try {
      clients.push(vendor.create({ ...vendor.base, endpoint: sim.url, auth }));
    } catch (error) {
      thrown = error;
    }
    const error = expectInvalidArgument(thrown, argument);
    expect(error.message).not.toContain(HUAWEI_TOKEN);
    expect(error.message).not.toContain('secret-key-0123456789');
  });
});

interface BadOption {
  label: string;
  options: unknown;
  argument: string;
}

const looksLikeASignal = { aborted: false, reason: undefined, addEventListener: () => undefined, removeEventListener: () => undefined };

const BAD_WAIT_OPTIONS: BadOption[] = [
  { label: 'timeoutMs -1', options: { timeoutMs: -1 }, argument: 'timeoutMs' },
  { label: 'timeoutMs 0', options: { timeoutMs: 0 }, argument: 'timeoutMs' },
  { label: 'timeoutMs NaN', options: { timeoutMs: Number.NaN }, argument: 'timeoutMs' },
  { label: 'timeoutMs -Infinity', options: { timeoutMs: -Infinity }, argument: 'timeoutMs' },
  { label: "timeoutMs '5' (a string, cast)", options: { timeoutMs: '5' }, argument: 'timeoutMs' },
  { label: 'minDelayMs 0', options: { minDelayMs: 0 }, argument: 'minDelayMs' },
  { label: 'minDelayMs -5', options: { minDelayMs: -5 }, argument: 'minDelayMs' },
  { label: 'minDelayMs NaN', options: { minDelayMs: Number.NaN }, argument: 'minDelayMs' },
  { label: 'minDelayMs Infinity', options: { minDelayMs: Infinity }, argument: 'minDelayMs' },
  { label: "minDelayMs '10' (a string, cast)", options: { minDelayMs: '10' }, argument: 'minDelayMs' },
  { label: 'maxDelayMs below minDelayMs', options: { minDelayMs: 500, maxDelayMs: 100 }, argument: 'maxDelayMs' },
  { label: 'maxDelayMs 0', options: { maxDelayMs: 0 }, argument: 'maxDelayMs' },
  { label: 'maxDelayMs NaN', options: { maxDelayMs: Number.NaN }, argument: 'maxDelayMs' },
  { label: 'maxDelayMs Infinity', options: { maxDelayMs: Infinity }, argument: 'maxDelayMs' },
  { label: 'notFoundGraceMs -1', options: { notFoundGraceMs: -1 }, argument: 'notFoundGraceMs' },
  { label: 'notFoundGraceMs NaN', options: { notFoundGraceMs: Number.NaN }, argument: 'notFoundGraceMs' },
  { label: 'a signal that only looks like an AbortSignal', options: { signal: looksLikeASignal }, argument: 'signal' },
  { label: 'an AbortController instead of its signal', options: { signal: new AbortController() }, argument: 'signal' },
  { label: 'onProgress that is not a function', options: { onProgress: 'log' }, argument: 'onProgress' },
  { label: 'until that is not a function', options: { until: true }, argument: 'until' },
  { label: "throwOnFailure 'false' (a string, cast)", options: { throwOnFailure: 'false' }, argument: 'throwOnFailure' },
  { label: 'options that are null (cast)', options: null, argument: 'options' },
  { label: 'options that are a string (cast)', options: 'fast', argument: 'options' },
];

describe.each(VENDORS)('wait options out of range on the $name client', (vendor) => {
  it('waits for a legal job with legal options (so the refusals below are about the options)', async () => {
    vendor.addDoneJob(sim, vendor.validId);
    const job = await connect(vendor).waitForJob(vendor.validId, { timeoutMs: Infinity, minDelayMs: 1, maxDelayMs: 1, notFoundGraceMs: 0 });
    expect(job.state).toBe('succeeded');
    expect(sim.requests.length).toBeGreaterThan(0);
  });

  it.each(BAD_WAIT_OPTIONS)('refuses $label: waitForJob rejects and watchJob throws at the call, before any request', async ({ options, argument }) => {
    // A job that ends at the first poll: a missed check shows as a resolved wait, not a hang.
    vendor.addDoneJob(sim, vendor.validId);
    const client = connect(vendor);
    await expectRejectsInvalid(() => client.waitForJob(vendor.validId, options as never), argument);
    const watch = await outcomeOf(() => client.watchJob(vendor.validId, options as never));
    if (watch.how === 'resolves') await (watch.value as AsyncIterableIterator<unknown>).return?.();
    expect(watch.how).toBe('throws');
    expectInvalidArgument((watch as { error: unknown }).error, argument);
    expect(sim.requests).toHaveLength(0);
  });
});

const BAD_CLIENT_OPTIONS: BadOption[] = [
  { label: 'requestTimeoutMs -1', options: { requestTimeoutMs: -1 }, argument: 'requestTimeoutMs' },
  { label: 'requestTimeoutMs 0', options: { requestTimeoutMs: 0 }, argument: 'requestTimeoutMs' },
  { label: 'requestTimeoutMs NaN', options: { requestTimeoutMs: Number.NaN }, argument: 'requestTimeoutMs' },
  { label: 'requestTimeoutMs Infinity', options: { requestTimeoutMs: Infinity }, argument: 'requestTimeoutMs' },
  { label: "requestTimeoutMs '1000' (a string, cast)", options: { requestTimeoutMs: '1000' }, argument: 'requestTimeoutMs' },
  { label: 'retry.retries 1.5', options: { retry: { retries: 1.5 } }, argument: 'retry.retries' },
  { label: 'retry.retries -1', options: { retry: { retries: -1 } }, argument: 'retry.retries' },
  { label: 'retry.retries NaN', options: { retry: { retries: Number.NaN } }, argument: 'retry.retries' },
  { label: 'retry.minTimeoutMs -1', options: { retry: { minTimeoutMs: -1 } }, argument: 'retry.minTimeoutMs' },
  { label: 'retry.maxTimeoutMs below retry.minTimeoutMs', options: { retry: { minTimeoutMs: 500, maxTimeoutMs: 100 } }, argument: 'retry.maxTimeoutMs' },
  { label: 'maxResponseBytes 0', options: { maxResponseBytes: 0 }, argument: 'maxResponseBytes' },
  { label: 'maxResponseBytes 1.5', options: { maxResponseBytes: 1.5 }, argument: 'maxResponseBytes' },
  { label: 'maxResponseBytes -1', options: { maxResponseBytes: -1 }, argument: 'maxResponseBytes' },
  { label: 'a userAgent with a line feed', options: { userAgent: 'jobwait\nX-Injected: 1' }, argument: 'userAgent' },
  { label: 'a userAgent with CRLF', options: { userAgent: 'jobwait\r\nX-Injected: 1' }, argument: 'userAgent' },
  { label: 'a userAgent with a NUL', options: { userAgent: 'jobwait\u0000' }, argument: 'userAgent' },
  { label: 'a userAgent that is not a string (cast)', options: { userAgent: 42 }, argument: 'userAgent' },
  { label: 'a dispatcher that is not a Dispatcher (cast)', options: { dispatcher: {} }, argument: 'dispatcher' },
];

const BAD_CAS_OPTIONS: BadOption[] = [
  { label: 'taskPageSize 0', options: { taskPageSize: 0 }, argument: 'taskPageSize' },
  { label: 'taskPageSize 1001', options: { taskPageSize: 1001 }, argument: 'taskPageSize' },
  { label: 'taskPageSize 1.5', options: { taskPageSize: 1.5 }, argument: 'taskPageSize' },
  { label: 'taskPageSize NaN', options: { taskPageSize: Number.NaN }, argument: 'taskPageSize' },
  { label: "taskPageSize '20' (a string, cast)", options: { taskPageSize: '20' }, argument: 'taskPageSize' },
];

describe.each(VENDORS)('client options out of range on the $name client', (vendor) => {
  const cases = vendor.name === 'cas' ? [...BAD_CLIENT_OPTIONS, ...BAD_CAS_OPTIONS] : BAD_CLIENT_OPTIONS;

  it('accepts the boundary values (so the refusals below are about the range)', () => {
    const edge = { requestTimeoutMs: 1, retry: { retries: 0, minTimeoutMs: 0, maxTimeoutMs: 0 }, maxResponseBytes: 1, userAgent: 'my-tool/1.0 (+https://example.com)' };
    expect(() => connect(vendor, edge)).not.toThrow();
    expect(() => connect(vendor, { retry: { retries: 100 }, requestTimeoutMs: 2_147_483_647 })).not.toThrow();
    if (vendor.name === 'cas') {
      expect(() => connect(vendor, { taskPageSize: 1 })).not.toThrow();
      expect(() => connect(vendor, { taskPageSize: 1000 })).not.toThrow();
    }
  });

  it.each(cases)('refuses $label with InvalidArgumentError when the client is made', ({ options, argument }) => {
    let thrown: unknown;
    try {
      clients.push(vendor.create({ ...vendor.base, [vendor.urlOption]: sim.url, ...(options as object) }));
    } catch (error) {
      thrown = error;
    }
    expectInvalidArgument(thrown, argument);
    expect(sim.requests).toHaveLength(0);
  });

  it('refuses options that are not an object', () => {
    for (const options of [null, undefined, 'https://127.0.0.1', 42]) {
      let thrown: unknown;
      try {
        clients.push(vendor.create(options as never));
      } catch (error) {
        thrown = error;
      }
      expectInvalidArgument(thrown);
    }
  });
});

describe('ids that only look hostile but are legal', () => {
  it.each([
    { vendor: 'cas' as const, id: 'JOB1.2:3', encoded: 'JOB1.2%3A3' },
    { vendor: 'cas' as const, id: 'a..b', encoded: 'a..b' },
    { vendor: 'cas' as const, id: 'J-1_2.3:4:5', encoded: 'J-1_2.3%3A4%3A5' },
    { vendor: 'cas' as const, id: `J${'x'.repeat(127)}`, encoded: `J${'x'.repeat(127)}` },
    { vendor: 'cce' as const, id: 'JOB1.2:3', encoded: 'JOB1.2%3A3' },
    { vendor: 'cce' as const, id: 'a..b', encoded: 'a..b' },
    { vendor: 'cce' as const, id: 'J-1_2.3:4:5', encoded: 'J-1_2.3%3A4%3A5' },
    { vendor: 'cce' as const, id: `J${'x'.repeat(127)}`, encoded: `J${'x'.repeat(127)}` },
    { vendor: 'ontap' as const, id: ONTAP_UUID.toUpperCase(), encoded: ONTAP_UUID.toUpperCase() },
  ])('the $vendor client accepts $id and sends it percent-encoded as one path segment', async ({ vendor: name, id, encoded }) => {
    const vendor = VENDORS.find((v) => v.name === name) as Vendor;
    vendor.addDoneJob(sim, id);
    const client = connect(vendor);
    const job = await client.waitForJob(id, { minDelayMs: 1, timeoutMs: 2_000 });
    expect(job.id).toBe(id);
    expect(job.state).toBe('succeeded');
    expect(sim.requests.length).toBeGreaterThan(0);
    for (const request of sim.requests) expect(request.path).toBe(vendor.jobPath(encoded));
  });

  it('refuses a Huawei id one character over the 128 limit, so the 128-character id above is the real edge', async () => {
    for (const vendor of HUAWEI_VENDORS) {
      await expectRejectsInvalid(() => connect(vendor).getJob(`J${'x'.repeat(128)}`), 'jobId');
    }
    expect(sim.requests).toHaveLength(0);
  });

  it.each(HUAWEI_VENDORS)('the $name client accepts a project id with "." and ":" and percent-encodes it in the path', async (vendor) => {
    const project = 'proj.1:2-x_y';
    vendor.addDoneJob(sim, vendor.validId);
    const job = await connect(vendor, { projectId: project }).getJob(vendor.validId);
    expect(job.id).toBe(vendor.validId);
    expect(sim.requests.map((r) => r.path)).toEqual([vendor.jobPath(vendor.validId, 'proj.1%3A2-x_y')]);
  });

  it.each(HUAWEI_VENDORS)('the $name client signs a request for an id with ":" so that the gateway accepts it (AK/SK)', async (vendor) => {
    const auth = { accessKey: 'HPUAL3XZ2KQ7EXAMPLE', secretKey: 'sk-Zq9vW2mN8rT4yB6cEXAMPLEsecret' };
    if (vendor.name === 'cas') sim.cas.auth = auth;
    else sim.cce.auth = auth;
    vendor.addDoneJob(sim, 'JOB1.2:3');
    const job = await connect(vendor, { auth }).getJob('JOB1.2:3');
    expect(job.id).toBe('JOB1.2:3');
    expect(sim.requests.map((r) => r.path)).toEqual([vendor.jobPath('JOB1.2%3A3')]);
    expect(sim.requests[0]?.headers['authorization']).toMatch(/^SDK-HMAC-SHA256 /);
  });
});
