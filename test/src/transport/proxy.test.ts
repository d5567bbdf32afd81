import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent } from 'undici';
import { createOntapClient, type OntapClient, type OntapClientOptions } from '../../../adapters/ontap/index.js';
import { ApiError, InvalidArgumentError, NetworkError } from '../../../src/errors/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { startConnectProxy, type ConnectProxy } from '../../helpers/connect-proxy.js';
import { rejectionOf } from '../../helpers/promises.js';

const pem = (name: string): string => readFileSync(new URL(`../../fixtures/tls/${name}.pem`, import.meta.url), 'utf8');
const CA = pem('ca');
const AUTH = { username: 'admin', password: 'pw-for-proxy-tests' };
const PROXY_PASSWORD = 'proxy-pa55word-never-shown';

let proxy: ConnectProxy;
let httpsSim: Simulator;
let mutualSim: Simulator;
let selfSignedSim: Simulator;
const clients: OntapClient[] = [];

beforeAll(async () => {
  proxy = await startConnectProxy();
  [httpsSim, mutualSim, selfSignedSim] = await Promise.all([
    startSimulator({ tls: { key: pem('server-key'), cert: pem('server') } }),
    startSimulator({ tls: { key: pem('server-key'), cert: pem('server'), ca: CA, requestCert: true } }),
    startSimulator({ tls: { key: pem('self-signed-key'), cert: pem('self-signed') } }),
  ]);
});

afterAll(async () => {
  await Promise.all([proxy?.close(), httpsSim?.close(), mutualSim?.close(), selfSignedSim?.close()]);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  proxy.tunnels.length = 0;
  for (const client of clients.splice(0)) await client.close();
});

function ontap(sim: Simulator, options: Partial<OntapClientOptions>): OntapClient {
  const client = createOntapClient({ baseUrl: sim.url, auth: AUTH, retry: false, logger: { warn: () => undefined }, ...options });
  clients.push(client);
  return client;
}

const target = (sim: Simulator): string => new URL(sim.url).host;
const succeeding = (sim: Simulator): string => sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'success', code: 0 }] });

describe('the proxy option', () => {
  it('sends every request through the proxy URL, in a CONNECT tunnel where tls.ca still verifies the server', async () => {
    const client = ontap(httpsSim, { proxy: proxy.url, tls: { ca: CA } });
    const job = await client.waitForJob(succeeding(httpsSim), { minDelayMs: 1, maxDelayMs: 5 });
    expect(job.state).toBe('succeeded');
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(proxy.tunnels.every((tunnel) => tunnel.target === target(httpsSim))).toBe(true);
  });

  it('verifies the server through the tunnel: without tls.ca an untrusted certificate still fails', async () => {
    const client = ontap(httpsSim, { proxy: proxy.url });
    const error = await rejectionOf(client.getJob(succeeding(httpsSim)));
    expect(error).toBeInstanceOf(NetworkError);
    expect(proxy.tunnels).toHaveLength(1);
  });

  it('presents the client certificate through the proxy, and rejectUnauthorized: false applies there too', async () => {
    const mutual = ontap(mutualSim, { proxy: proxy.url, tls: { ca: CA, cert: pem('client'), key: pem('client-key') } });
    expect((await mutual.getJob(succeeding(mutualSim))).state).toBe('running');
    const withoutCert = ontap(mutualSim, { proxy: proxy.url, tls: { ca: CA } });
    expect(await rejectionOf(withoutCert.getJob(succeeding(mutualSim)))).toBeInstanceOf(NetworkError);
    const insecure = ontap(selfSignedSim, { proxy: proxy.url, tls: { rejectUnauthorized: false } });
    expect((await insecure.getJob(succeeding(selfSignedSim))).state).toBe('running');
    expect(proxy.tunnels.map((tunnel) => tunnel.target)).toEqual([target(mutualSim), target(mutualSim), target(selfSignedSim)]);
  });

  it("'env' reads HTTPS_PROXY, and NO_PROXY bypasses it", async () => {
    vi.stubEnv('HTTPS_PROXY', proxy.url);
    vi.stubEnv('https_proxy', '');
    vi.stubEnv('NO_PROXY', '');
    vi.stubEnv('no_proxy', '');
    const proxied = ontap(httpsSim, { proxy: 'env', tls: { ca: CA } });
    expect((await proxied.getJob(succeeding(httpsSim))).state).toBe('running');
    expect(proxy.tunnels.map((tunnel) => tunnel.target)).toEqual([target(httpsSim)]);

    vi.stubEnv('NO_PROXY', 'example.com,127.0.0.1');
    const bypassing = ontap(httpsSim, { proxy: 'env', tls: { ca: CA } });
    expect((await bypassing.getJob(succeeding(httpsSim))).state).toBe('running');
    expect(proxy.tunnels).toHaveLength(1);
  });

  it('connects directly by default, whatever HTTPS_PROXY says', async () => {
    vi.stubEnv('HTTPS_PROXY', proxy.url);
    const client = ontap(httpsSim, { tls: { ca: CA } });
    expect((await client.getJob(succeeding(httpsSim))).state).toBe('running');
    expect(proxy.tunnels).toHaveLength(0);
  });

  it("sends the proxy URL's user and password as Proxy-Authorization, and never prints the password", async () => {
    const url = new URL(proxy.url);
    url.username = 'me';
    url.password = PROXY_PASSWORD;
    const warnings: string[] = [];
    const client = ontap(selfSignedSim, { proxy: url.href, logger: { warn: (message) => warnings.push(message) } });
    const error = (await rejectionOf(client.getJob(succeeding(selfSignedSim)))) as NetworkError;
    expect(proxy.tunnels[0]?.authorization).toBe(`Basic ${Buffer.from(`me:${PROXY_PASSWORD}`).toString('base64')}`);
    expect(error).toBeInstanceOf(NetworkError);
    // An answer that quotes the password (a server or proxy echoing what it saw) is cut too.
    const echoing = ontap(httpsSim, { proxy: url.href, tls: { ca: CA } });
    httpsSim.fault({ type: 'status', status: 500, body: { error: { code: '1', message: `seen ${PROXY_PASSWORD} and ${encodeURIComponent(PROXY_PASSWORD)}` } } });
    const answered = await rejectionOf(echoing.getJob(succeeding(httpsSim)));
    expect(answered).toBeInstanceOf(ApiError);
    const shown = [error.message, String(error.stack), JSON.stringify(error), JSON.stringify(client), ...warnings, String(answered), JSON.stringify(answered)].join('\n');
    expect(shown).not.toContain(PROXY_PASSWORD);
  });

  it('refuses a proxy that is not an http(s) URL or whose password does not decode, without quoting it, and a proxy beside a dispatcher', () => {
    const bad = (): OntapClient => createOntapClient({ baseUrl: httpsSim.url, auth: AUTH, proxy: `ftp://me:${PROXY_PASSWORD}@proxy` });
    expect(bad).toThrow(InvalidArgumentError);
    expect(bad).toThrow('Invalid proxy: must be an http: or https: URL');
    expect(() => createOntapClient({ baseUrl: httpsSim.url, auth: AUTH, proxy: `not a url ${PROXY_PASSWORD}` })).toThrow(/^(?!.*pa55word)Invalid proxy: must be a proxy URL/);
    expect(() => createOntapClient({ baseUrl: httpsSim.url, auth: AUTH, proxy: `http://me:${PROXY_PASSWORD}%zz@proxy:3128` })).toThrow(
      /^(?!.*pa55word)Invalid proxy: must be a proxy URL whose user and password are percent-encoded/,
    );
    vi.stubEnv('HTTPS_PROXY', 'socks://proxy:1080');
    expect(() => createOntapClient({ baseUrl: httpsSim.url, auth: AUTH, proxy: 'env' })).toThrow('Invalid HTTPS_PROXY: must be an http: or https: URL');
    const dispatcher = new Agent();
    expect(() => createOntapClient({ baseUrl: httpsSim.url, auth: AUTH, proxy: proxy.url, dispatcher })).toThrow('Invalid proxy: cannot be given with a dispatcher');
    return dispatcher.close();
  });
});
