import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createCasClient } from '../../adapters/cas/index.js';
import { createCceClient } from '../../adapters/cce/index.js';
import { createOntapClient } from '../../adapters/ontap/index.js';
import { NetworkError, type Job, type JobClient, type Logger, type RetryOptions, type TlsOptions } from '../../src/index.js';
import { startSimulator, type Simulator } from '../../src/testing/index.js';
import { rejectionOf } from '../helpers/promises.js';

const pem = (name: string): string => readFileSync(new URL(`../fixtures/tls/${name}.pem`, import.meta.url), 'utf8');

const CA = pem('ca');
const SERVER_CERT = pem('server');
const SERVER_KEY = pem('server-key');
const CLIENT_CERT = pem('client');
const CLIENT_KEY = pem('client-key');
const SELF_SIGNED_CERT = pem('self-signed');
const SELF_SIGNED_KEY = pem('self-signed-key');

const ONTAP_USER = 'admin';
const ONTAP_PASSWORD = 'Ontap-Passw0rd-for-tls-tests';
const HUAWEI_TOKEN = 'huawei-token-for-tls-tests-0123456789';
const PROJECT = '063a3158b1a34710b36ad208b9497d00';

/** A line from the middle of a PEM body: if any part of a key leaks, this is what shows. */
function pemBodyLines(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'));
}

interface ConnectOptions {
  tls?: TlsOptions;
  logger?: Logger;
  retry?: RetryOptions | false;
}

interface Vendor {
  name: 'ontap' | 'cas' | 'cce';
  connect(url: string, options: ConnectOptions): JobClient;
  /** Scripts a job that succeeds on its second poll and returns its id. */
  addJob(sim: Simulator): string;
  /** The credential this vendor's client holds. */
  secret: string;
}

const VENDORS: Vendor[] = [
  {
    name: 'ontap',
    connect: (url, options) => createOntapClient({ baseUrl: url, auth: { username: ONTAP_USER, password: ONTAP_PASSWORD }, retry: false, ...options }),
    addJob: (sim) => sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'success', code: 0 }] }),
    secret: ONTAP_PASSWORD,
  },
  {
    name: 'cas',
    connect: (url, options) => createCasClient({ endpoint: url, projectId: PROJECT, auth: { token: HUAWEI_TOKEN }, retry: false, ...options }),
    addJob: (sim) => sim.cas.addJob({ steps: [{ status: 'RUNNING' }, { status: 'SUCCEEDED' }] }),
    secret: HUAWEI_TOKEN,
  },
  {
    name: 'cce',
    connect: (url, options) => createCceClient({ endpoint: url, projectId: PROJECT, auth: { token: HUAWEI_TOKEN }, retry: false, ...options }),
    addJob: (sim) => sim.cce.addJob({ steps: [{ phase: 'Running' }, { phase: 'Success' }] }),
    secret: HUAWEI_TOKEN,
  },
];

/** Makes a simulator demand the credentials the clients above send, so "it passed" means the request really got through. */
function requireCredentials(sim: Simulator): void {
  sim.reset();
  sim.ontap.credentials = { username: ONTAP_USER, password: ONTAP_PASSWORD };
  sim.cas.auth = { token: HUAWEI_TOKEN };
  sim.cce.auth = { token: HUAWEI_TOKEN };
}

let selfSignedSim: Simulator;
let caSignedSim: Simulator;
let mutualSim: Simulator;

beforeAll(async () => {
  [selfSignedSim, caSignedSim, mutualSim] = await Promise.all([
    startSimulator({ tls: { key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT } }),
    startSimulator({ tls: { key: SERVER_KEY, cert: SERVER_CERT } }),
    startSimulator({ tls: { key: SERVER_KEY, cert: SERVER_CERT, ca: CA, requestCert: true } }),
  ]);
});

afterAll(async () => {
  await Promise.all([selfSignedSim?.close(), caSignedSim?.close(), mutualSim?.close()]);
});

const clients: JobClient[] = [];
let emitWarning: MockInstance<(...args: unknown[]) => void>;

beforeEach(() => {
  for (const sim of [selfSignedSim, caSignedSim, mutualSim]) requireCredentials(sim);
  // Every test watches Node's process warnings (and keeps them off the console).
  emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined) as unknown as MockInstance<(...args: unknown[]) => void>;
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  emitWarning.mockRestore();
});

function connect(vendor: Vendor, sim: Simulator, options: ConnectOptions = {}): JobClient {
  const client = vendor.connect(sim.url, options);
  clients.push(client);
  return client;
}

/** The jobwait warnings sent to `process.emitWarning`. */
function jobwaitWarnings(): unknown[][] {
  return emitWarning.mock.calls.filter((call) => {
    const options = call[1];
    return typeof options === 'object' && options !== null && (options as { code?: unknown }).code === 'JOBWAIT_WARNING';
  });
}

const FAST_WAIT = { minDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 } as const;

interface UntrustedServer {
  label: string;
  sim: () => Simulator;
  /** The OpenSSL verification code Node reports for it. */
  code: string;
}

const UNTRUSTED: UntrustedServer[] = [
  { label: 'a self-signed certificate', sim: () => selfSignedSim, code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
  { label: 'a certificate from an unknown CA', sim: () => caSignedSim, code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
];

describe('the HTTPS simulators', () => {
  it('serve HTTPS on 127.0.0.1', () => {
    for (const sim of [selfSignedSim, caSignedSim, mutualSim]) expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe.each(VENDORS)('the $name client over HTTPS', (vendor) => {
  describe.each(UNTRUSTED)('against a server with $label and no tls option', (server) => {
    it('getJob rejects with a NetworkError that names the verification failure and says to trust the CA with tls.ca', async () => {
      const sim = server.sim();
      const id = vendor.addJob(sim);
      const error = await rejectionOf(connect(vendor, sim).getJob(id));
      expect(error).toBeInstanceOf(NetworkError);
      const { message } = error as NetworkError;
      expect(message).toContain(server.code);
      expect(message).toContain('tls.ca');
      expect(message).not.toContain(vendor.secret);
      expect((error as NetworkError).url.startsWith(`${sim.url}/`)).toBe(true);
      // The handshake failed: no HTTP request reached the server.
      expect(sim.requests).toHaveLength(0);
    });

    it('getJob marks that NetworkError as not transient, and no per-request retry repeats it', async () => {
      const sim = server.sim();
      const id = vendor.addJob(sim);
      // With request retries on (the first retry would come 200 to 400 ms later), a certificate refusal is not asked again.
      const client = connect(vendor, sim, { retry: { retries: 2, minTimeoutMs: 200, maxTimeoutMs: 200 } });
      const started = performance.now();
      const error = await rejectionOf(client.getJob(id));
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).transient).toBe(false);
      expect((error as NetworkError).timedOut).toBe(false);
      expect(performance.now() - started).toBeLessThan(150);
    });

    it('waitForJob ends at once with that NetworkError instead of polling until its deadline', async () => {
      const sim = server.sim();
      const id = vendor.addJob(sim);
      const onProgress = vi.fn();
      const started = performance.now();
      const error = await rejectionOf(connect(vendor, sim).waitForJob(id, { timeoutMs: 2_000, minDelayMs: 10, maxDelayMs: 20, onProgress }));
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).transient).toBe(false);
      expect((error as Error).message).toContain('tls.ca');
      expect((error as Error).message).toContain(server.code);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(onProgress).not.toHaveBeenCalled();
      expect(sim.requests).toHaveLength(0);
    });

    it('watchJob rejects its first next() with that NetworkError and then is done', async () => {
      const sim = server.sim();
      const id = vendor.addJob(sim);
      const watch = connect(vendor, sim).watchJob(id, { timeoutMs: 2_000, minDelayMs: 10, maxDelayMs: 20 });
      const error = await rejectionOf(watch.next());
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as Error).message).toContain('tls.ca');
      expect(await watch.next()).toEqual({ done: true, value: undefined });
    });

    it('keeps verification on for an empty tls object and for tls without ca', async () => {
      const sim = server.sim();
      const id = vendor.addJob(sim);
      for (const tls of [{}, { rejectUnauthorized: true }, { servername: '127.0.0.1' }] satisfies TlsOptions[]) {
        const error = await rejectionOf(connect(vendor, sim, { tls }).getJob(id));
        expect(error).toBeInstanceOf(NetworkError);
        expect((error as Error).message).toContain(server.code);
      }
      expect(sim.requests).toHaveLength(0);
      expect(jobwaitWarnings()).toHaveLength(0);
    });
  });

  it('trusts the CA-signed server when tls.ca is the test CA, and waits a job to success end to end', async () => {
    const id = vendor.addJob(caSignedSim);
    const logger = { warn: vi.fn() };
    const job: Job = await connect(vendor, caSignedSim, { tls: { ca: CA }, logger }).waitForJob(id, FAST_WAIT);
    expect(job.state).toBe('succeeded');
    expect(job.id).toBe(id);
    expect(caSignedSim.requests.length).toBeGreaterThanOrEqual(2);
    // Verification was on: nothing to warn about.
    expect(logger.warn).not.toHaveBeenCalled();
    expect(jobwaitWarnings()).toHaveLength(0);
  });

  it('trusts the CA-signed server when tls.ca is a Buffer or a list holding the test CA', async () => {
    const id = vendor.addJob(caSignedSim);
    const asBuffer = await connect(vendor, caSignedSim, { tls: { ca: Buffer.from(CA) } }).getJob(id);
    expect(asBuffer.id).toBe(id);
    const asList = await connect(vendor, caSignedSim, { tls: { ca: [SELF_SIGNED_CERT, CA] } }).getJob(id);
    expect(asList.id).toBe(id);
  });

  it('trusts the self-signed server when tls.ca is that very certificate', async () => {
    const id = vendor.addJob(selfSignedSim);
    const job = await connect(vendor, selfSignedSim, { tls: { ca: SELF_SIGNED_CERT } }).waitForJob(id, FAST_WAIT);
    expect(job.state).toBe('succeeded');
    expect(selfSignedSim.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('does not trust the self-signed server because of the test CA, nor the CA-signed server because of the self-signed certificate', async () => {
    const selfId = vendor.addJob(selfSignedSim);
    const wrongCa = await rejectionOf(connect(vendor, selfSignedSim, { tls: { ca: CA } }).getJob(selfId));
    expect(wrongCa).toBeInstanceOf(NetworkError);
    expect((wrongCa as Error).message).toContain('tls.ca');
    const caId = vendor.addJob(caSignedSim);
    const wrongSelf = await rejectionOf(connect(vendor, caSignedSim, { tls: { ca: SELF_SIGNED_CERT } }).getJob(caId));
    expect(wrongSelf).toBeInstanceOf(NetworkError);
    expect((wrongSelf as Error).message).toContain('tls.ca');
    expect(selfSignedSim.requests).toHaveLength(0);
    expect(caSignedSim.requests).toHaveLength(0);
  });

  it('refuses a servername the certificate does not list, with a message about the certificate name and tls.servername', async () => {
    const id = vendor.addJob(caSignedSim);
    const error = await rejectionOf(connect(vendor, caSignedSim, { tls: { ca: CA, servername: 'example.com' } }).getJob(id));
    expect(error).toBeInstanceOf(NetworkError);
    const { message } = error as Error;
    expect(message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(message).toContain('example.com');
    expect(message).toContain('does not name this host');
    expect(message).toContain('tls.servername');
    expect((error as NetworkError).transient).toBe(false);
    // A wait ends at once on it, too.
    const waited = await rejectionOf(connect(vendor, caSignedSim, { tls: { ca: CA, servername: 'example.com' } }).waitForJob(id, { timeoutMs: 2_000, minDelayMs: 10 }));
    expect(waited).toBeInstanceOf(NetworkError);
    expect((waited as Error).message).toContain('tls.servername');
    expect(caSignedSim.requests).toHaveLength(0);
  });

  it('verifies against servername localhost when connecting by IP to a certificate that lists it', async () => {
    const id = vendor.addJob(caSignedSim);
    const job = await connect(vendor, caSignedSim, { tls: { ca: CA, servername: 'localhost' } }).getJob(id);
    expect(job.id).toBe(id);
    expect(caSignedSim.requests).toHaveLength(1);
  });

  describe.each([
    { label: 'the self-signed server', sim: () => selfSignedSim },
    { label: 'the CA-signed server', sim: () => caSignedSim },
  ])('with rejectUnauthorized false against $label', (server) => {
    it('connects, and warns once through logger.warn however many requests it makes', async () => {
      const sim = server.sim();
      const id = vendor.addJob(sim);
      const logger = { warn: vi.fn(), debug: vi.fn() };
      const client = connect(vendor, sim, { tls: { rejectUnauthorized: false }, logger });
      const job = await client.waitForJob(id, FAST_WAIT);
      expect(job.state).toBe('succeeded');
      await client.getJob(id);
      await client.getJob(id);
      expect(sim.requests.length).toBeGreaterThanOrEqual(4);
      expect(logger.debug.mock.calls.length).toBeGreaterThanOrEqual(4);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      const [message] = logger.warn.mock.calls[0] as [string];
      expect(message).toContain('rejectUnauthorized');
      expect(message).toContain(sim.url);
      expect(message).toContain('tls.ca');
      expect(message).not.toContain(vendor.secret);
      // With a logger, Node's process warnings stay quiet.
      expect(jobwaitWarnings()).toHaveLength(0);
    });

    it('without a logger warns once through process.emitWarning with code JOBWAIT_WARNING, and a second client warns once more', async () => {
      const sim = server.sim();
      const id = vendor.addJob(sim);
      const first = connect(vendor, sim, { tls: { rejectUnauthorized: false } });
      expect((await first.waitForJob(id, FAST_WAIT)).state).toBe('succeeded');
      await first.getJob(id);
      await first.getJob(id);
      expect(jobwaitWarnings()).toHaveLength(1);
      const [message] = jobwaitWarnings()[0] as [unknown];
      expect(String(message)).toContain('rejectUnauthorized');
      expect(String(message)).toContain(sim.url);

      const second = connect(vendor, sim, { tls: { rejectUnauthorized: false } });
      await second.getJob(id);
      await second.getJob(id);
      await first.getJob(id);
      expect(jobwaitWarnings()).toHaveLength(2);
    });

    it('a logger without a warn method falls back to process.emitWarning, once', async () => {
      const sim = server.sim();
      const id = vendor.addJob(sim);
      const logger = { debug: vi.fn() };
      const client = connect(vendor, sim, { tls: { rejectUnauthorized: false }, logger });
      await client.getJob(id);
      await client.getJob(id);
      expect(jobwaitWarnings()).toHaveLength(1);
    });
  });

  it('with rejectUnauthorized false still sends the client certificate the mutual-TLS server demands', async () => {
    const id = vendor.addJob(mutualSim);
    const job = await connect(vendor, mutualSim, { tls: { rejectUnauthorized: false, cert: CLIENT_CERT, key: CLIENT_KEY } }).getJob(id);
    expect(job.id).toBe(id);
  });

  describe('against a server that demands a client certificate signed by its CA', () => {
    it('refuses a client without a certificate with a NetworkError, and the request never reaches the server', async () => {
      const id = vendor.addJob(mutualSim);
      const error = await rejectionOf(connect(vendor, mutualSim, { tls: { ca: CA } }).getJob(id));
      expect(error).toBeInstanceOf(NetworkError);
      expect(mutualSim.requests).toHaveLength(0);
    });

    it('refuses a client certificate not signed by its CA (the self-signed pair) with a NetworkError', async () => {
      const id = vendor.addJob(mutualSim);
      const error = await rejectionOf(connect(vendor, mutualSim, { tls: { ca: CA, cert: SELF_SIGNED_CERT, key: SELF_SIGNED_KEY } }).getJob(id));
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as Error).message).not.toContain(pemBodyLines(SELF_SIGNED_KEY)[5]);
      expect(mutualSim.requests).toHaveLength(0);
    });

    it('accepts tls { ca, cert, key } with the CA-signed client certificate, and waitForJob succeeds end to end', async () => {
      const id = vendor.addJob(mutualSim);
      const job = await connect(vendor, mutualSim, { tls: { ca: CA, cert: CLIENT_CERT, key: CLIENT_KEY } }).waitForJob(id, FAST_WAIT);
      expect(job.state).toBe('succeeded');
      expect(job.id).toBe(id);
      expect(mutualSim.requests.length).toBeGreaterThanOrEqual(2);
    });
  });

  it('keeps TLS keys, certificates and credentials out of util.inspect, JSON.stringify and String of the client', () => {
    const client = connect(vendor, mutualSim, { tls: { ca: CA, cert: CLIENT_CERT, key: CLIENT_KEY, servername: 'localhost' } });
    const views = [
      inspect(client),
      inspect(client, { depth: Infinity, showHidden: true, getters: true }),
      inspect({ nested: { client } }, { depth: Infinity, showHidden: true }),
      JSON.stringify(client),
      JSON.stringify({ nested: [client] }),
      String(client),
      `${Object.keys(client).join(',')}`,
    ];
    for (const view of views) {
      expect(view).not.toContain('PRIVATE KEY');
      expect(view).not.toContain('CERTIFICATE');
      for (const line of pemBodyLines(CLIENT_KEY)) expect(view).not.toContain(line);
      expect(view).not.toContain(vendor.secret);
    }
    // The views still describe the client (so the test would notice a view that shows nothing at all).
    expect(inspect(client)).toContain(mutualSim.url);
    expect(JSON.parse(JSON.stringify(client))).toMatchObject({ vendor: vendor.name });
  });
});
