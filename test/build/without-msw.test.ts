// The package as a global install (`npm i -g`, `npx`) has it: its runtime dependencies and nothing
// else, so no msw. `jobwait demo` and `jobwait simulate` must work there (the README promises "no
// cluster or cloud account needed"), and `jobwait/testing` must say what to install rather than
// throw a bare ERR_MODULE_NOT_FOUND.
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { root } from '../cli/run-cli.js';

const run = promisify(execFile);

describe('the package installed with its runtime dependencies alone (no msw)', () => {
  let dir = '';
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does)');
    dir = mkdtempSync(join(tmpdir(), 'jobwait-no-msw-'));
    // A copy, not a link: a link's real path would find the repository's node_modules, msw included.
    cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
    cpSync(join(root, 'package.json'), join(dir, 'package.json'));
    mkdirSync(join(dir, 'node_modules'));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of Object.keys(pkg.dependencies)) symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('has no msw to find', async () => {
    const { stdout } = await run(process.execPath, ['-e', "import('msw').then(() => console.log('found'), (e) => console.log(e.code))"], { cwd: dir });
    expect(stdout.trim()).toBe('ERR_MODULE_NOT_FOUND');
  });

  test('runs `jobwait demo` to its end, exit 0', async () => {
    const { stdout } = await run(process.execPath, [join(dir, 'dist', 'cli.js'), 'demo'], { cwd: dir, env: { PATH: process.env['PATH'] ?? '' }, timeout: 30_000 });
    expect(stdout).toContain('Every outcome matches its script');
  }, 40_000);

  test('`jobwait worker` says in one line to install bullmq and ioredis, and exits 2', async () => {
    const result = await run(process.execPath, [join(dir, 'dist', 'cli.js'), 'worker', 'ontap'], { cwd: dir, env: { PATH: process.env['PATH'] ?? '' } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^jobwait: .*jobwait worker needs the packages bullmq and ioredis: npm install bullmq ioredis/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('runs `jobwait simulate`, which serves the simulator until it is stopped', async () => {
    const child = spawn(process.execPath, [join(dir, 'dist', 'cli.js'), 'simulate', '--json'], { cwd: dir, env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
      const line = JSON.parse(String(first.value)) as { type: string; url: string };
      expect(line.type).toBe('simulator');
      expect(line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);

  test.each([
    ['ESM', "import('./dist/testing.js').then((m) => m.startSimulator())"],
    ['CommonJS', "require('./dist/testing.cjs').startSimulator()"],
  ])('loads jobwait/testing from %s, and starting a simulator says what to install', async (_format, code) => {
    const script = `Promise.resolve().then(() => ${code}).then(() => console.log('started'), (e) => console.log(e.message))`;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: dir });
    expect(stdout.trim()).toBe('jobwait/testing needs msw, its optional peer dependency: npm install --save-dev msw');
  });
});
