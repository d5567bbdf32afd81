import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SHIPPED_VENDORS } from '../../adapters/registry.js';
import { CORE_ENTRIES } from './core-entries.js';
import { startSimulator, type Simulator } from '../../src/testing/index.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const consumer = (file: string): string => join(root, 'test', 'consumer', file);

interface ConsumerResult {
  format: string;
  notFound: boolean;
  code: string;
  state: string;
  isTerminal: boolean;
}

describe('the built package, imported through its exports map as a consumer would', () => {
  let sim: Simulator;
  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does)');
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  const consumerEnv = (): NodeJS.ProcessEnv => ({ ...process.env, SIM_URL: sim.url, JOB_UUID: sim.ontap.addJob() });

  test('a CommonJS consumer gets one class identity across jobwait and jobwait/ontap, without require(esm)', async () => {
    // Node >= 20.19 can require ES modules; 20.18 cannot. Turning the feature off proves the CJS
    // build needs no ESM-only package at run time.
    const flags = (process.features as { require_module?: boolean }).require_module ? ['--no-experimental-require-module'] : [];
    const { stdout } = await run(process.execPath, [...flags, consumer('consumer.cjs')], { cwd: root, env: consumerEnv() });
    const result = JSON.parse(stdout) as ConsumerResult;
    expect(result).toEqual({ format: 'cjs', notFound: true, code: 'JOB_NOT_FOUND', state: 'succeeded', isTerminal: true });
  });

  test('an ES module consumer gets one class identity across jobwait and jobwait/ontap', async () => {
    const { stdout } = await run(process.execPath, [consumer('consumer.mjs')], { cwd: root, env: consumerEnv() });
    const result = JSON.parse(stdout) as ConsumerResult;
    expect(result).toEqual({ format: 'esm', notFound: true, code: 'JOB_NOT_FOUND', state: 'succeeded', isTerminal: true });
  });

  test('the declarations type-check for both an ESM and a CommonJS TypeScript consumer', async () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(run(process.execPath, [tsc, '-p', consumer('tsconfig.json')], { cwd: root })).resolves.toBeDefined();
  }, 60_000);

  test('every entry of the exports map exists in both formats with its declarations', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { import: { types: string; default: string }; require: { types: string; default: string } }>;
    };
    const entries = Object.entries(pkg.exports).filter(([key]) => key !== './package.json');
    expect(entries.map(([key]) => key)).toEqual(['.', ...SHIPPED_VENDORS.map((vendor) => `./${vendor.name}`), ...CORE_ENTRIES.map((entry) => `./${entry.name}`)]);
    for (const [, target] of entries) {
      if (typeof target === 'string') throw new Error('expected conditional exports');
      for (const file of [target.import.types, target.import.default, target.require.types, target.require.default]) {
        expect(existsSync(join(root, file)), file).toBe(true);
      }
    }
  });

  test("both builds send package.json's version in the default User-Agent", async () => {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    // One request to a loopback server that records the header; the client comes from the entry.
    const body = (load: string): string => `(async () => {
      const { createServer } = require('node:http');
      const { createOntapClient } = ${load};
      const server = createServer((request, response) => { response.writeHead(404).end(); console.log(request.headers['user-agent']); });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const client = createOntapClient({ baseUrl: 'http://127.0.0.1:' + server.address().port, auth: { username: 'u', password: 'p' }, retry: false });
      await client.getJob('1cd8a442-86d1-11e0-ae1c-123478563412').catch(() => {});
      await client.close();
      server.close();
    })()`;
    const cjs = await run(process.execPath, ['-e', body("require('jobwait/ontap')")], { cwd: root });
    const esm = await run(process.execPath, ['--input-type=module', '-e', `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); ${body("await import('jobwait/ontap')")}`], { cwd: root });
    expect([cjs.stdout.trim(), esm.stdout.trim()]).toEqual([`jobwait/${version}`, `jobwait/${version}`]);
  });

  // msw's own CommonJS build requires an ES module, so `jobwait/testing` from CommonJS needs
  // Node >= 20.19 (require(esm)); the library entries need nothing of the kind.
  test('the CommonJS entries of cas, cce and testing load', async () => {
    const script = "for (const m of ['jobwait/cas','jobwait/cce','jobwait/testing']) { const x = require(m); if (Object.keys(x).length === 0) throw new Error(m) } console.log('ok')";
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: root });
    expect(stdout.trim()).toBe('ok');
  });
});
