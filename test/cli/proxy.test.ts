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
