import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('`npm run check:package`: the packed tarball holds only dist/ and the docs, and passes publint and attw', async () => {
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does)');
  const { stdout } = await run(process.execPath, [join(root, 'scripts', 'check-package.mjs')], { cwd: root, env: { ...process.env, NO_COLOR: '1' } }).catch(
    (error: { stdout?: string; stderr?: string }) => {
      throw new Error(`check-package failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    },
  );
  expect(stdout).toContain('ok  only dist/, README.md, LICENSE and package.json');
  expect(stdout).toContain('ok  publint: All good!');
  expect(stdout).toMatch(/ok {2}attw: no problems/);
  expect(stdout).not.toContain('FAIL');
  expect(stdout.trim().split('\n').at(-1)).toBe('check-package: all checks passed');
}, 60_000);
