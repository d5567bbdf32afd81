import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { startConnectProxy, type ConnectProxy } from '../helpers/connect-proxy.js';
import { FAST, root, runCli, useSimulator } from './run-cli.js';

const fixture = (name: string): string => join(root, 'test', 'fixtures', 'tls', `${name}.pem`);

describe('jobwait behind a proxy, from the real bin', () => {
  const cli = useSimulator({ tls: { key: readFileSync(fixture('server-key'), 'utf8'), cert: readFileSync(fixture('server'), 'utf8') } });
  let proxy: ConnectProxy;
  beforeAll(async () => {
    proxy = await startConnectProxy();
  });
  afterAll(() => proxy?.close());
  afterEach(() => {
    proxy.tunnels.length = 0;
  });

  const env = cli.ontapEnv;
  const target = (): string => new URL(cli.sim.url).host;

  test('HTTPS_PROXY is honoured by default, with --ca verifying the server through the tunnel', async () => {
    const result = await runCli(['get', 'ontap', cli.sim.ontap.addJob(), '--ca', fixture('ca')], { env: { ...env(), HTTPS_PROXY: proxy.url } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(proxy.tunnels.map((tunnel) => tunnel.target)).toEqual([target()]);
  });

  test('NO_PROXY bypasses the proxy of HTTPS_PROXY', async () => {
    const result = await runCli(['get', 'ontap', cli.sim.ontap.addJob(), '--ca', fixture('ca')], { env: { ...env(), HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(proxy.tunnels).toHaveLength(0);
  });

  test('--proxy URL sends the requests through that proxy, whatever the environment says', async () => {
    const result = await runCli(['wait', 'ontap', cli.sim.ontap.addJob(), '--ca', fixture('ca'), '--proxy', proxy.url, ...FAST], {
      env: { ...env(), NO_PROXY: '*' },
    });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(proxy.tunnels.every((tunnel) => tunnel.target === target())).toBe(true);
  });
});

describe('TLS settings through a proxy (the README: --ca, --insecure and ONTAP\'s --cert/--key apply through it), from the real bin', () => {
  // The simulator demands a client certificate signed by the test CA.
  const pem = (name: string): string => readFileSync(fixture(name), 'utf8');
  const mutual = useSimulator({ tls: { key: pem('server-key'), cert: pem('server'), ca: pem('ca'), requestCert: true } });
  let proxy: ConnectProxy;
  beforeAll(async () => {
    proxy = await startConnectProxy();
  });
  afterAll(() => proxy?.close());

  const get = (...flags: string[]) => runCli(['get', 'ontap', mutual.sim.ontap.addJob(), '--proxy', proxy.url, ...flags], { env: mutual.ontapEnv() });
  const certificate = ['--cert', fixture('client'), '--key', fixture('client-key')];

  test('--cert/--key authenticate the client inside the tunnel, and --insecure (no --ca) skips the server\'s verification there', async () => {
    const byCa = await get('--ca', fixture('ca'), ...certificate);
    expect(byCa.stderr).toBe('');
    expect(byCa.code).toBe(EXIT.SUCCEEDED);
    const insecure = await get('--insecure', ...certificate);
    expect(insecure.code, insecure.stderr).toBe(EXIT.SUCCEEDED);
    expect(proxy.tunnels.length).toBeGreaterThanOrEqual(2);
    // Without the certificate, or without a way to trust the server, the same request fails.
    expect((await get('--ca', fixture('ca'))).code).toBe(EXIT.API_ERROR);
    expect((await get(...certificate)).code).toBe(EXIT.API_ERROR);
  });
});
