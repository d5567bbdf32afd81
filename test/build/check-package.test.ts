import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
  // TypeScript's `moduleResolution: node10` reads no `exports`: `typesVersions` maps the subpaths.
  const node10 = stdout.split('\n').find((line) => line.includes('│ node10'));
  expect(node10).toBeDefined();
  expect(node10).not.toMatch(/failed|error/i);
  expect(stdout).not.toContain('FAIL');
  expect(stdout.trim().split('\n').at(-1)).toBe('check-package: all checks passed');
}, 60_000);

test("typesVersions maps every subpath of the exports map to its CommonJS declarations (for moduleResolution node10)", async () => {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { require?: { types?: string } }>;
    typesVersions: Record<string, Record<string, string[]>>;
  };
  const subpaths = Object.entries(pkg.exports).filter(([key, target]) => key !== '.' && typeof target === 'object');
  const expected = Object.fromEntries(subpaths.map(([key, target]) => [key.slice(2), [(target as { require: { types: string } }).require.types]]));
  expect(pkg.typesVersions['*']).toEqual(expected);
});
