// `npm run demo` on a fresh clone builds the command line alone, without type declarations: the
// whole build spends 20-50 s on them, and the demo needs none (README: the demo in a few seconds).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, expect, test, vi } from 'vitest';
import type { Options } from 'tsup';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function buildsWith(env: string | undefined): Promise<Options[]> {
  vi.stubEnv('JOBWAIT_BUILD', env);
  vi.resetModules(); // tsup.config.ts reads the variable as it loads: load it afresh
  const config = (await import(pathToFileURL(join(root, 'tsup.config.ts')).href)) as { default: Options[] };
  return config.default;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

test('the demo script builds the command line alone, with no type declarations, then runs it', async () => {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts['demo']).toBe('JOBWAIT_BUILD=cli tsup && node dist/cli.js demo');
  const builds = await buildsWith('cli');
  expect(builds).toHaveLength(1);
  expect(builds[0]?.entry).toEqual({ cli: 'src/cli/index.ts' });
  expect(builds[0]?.dts).toBe(false);
});

test('the full build still holds the library builds, with their declarations, and the command line', async () => {
  const builds = await buildsWith(undefined);
  expect(builds.filter((b) => b.dts === true)).toHaveLength(2);
  expect(builds.some((b) => JSON.stringify(b.entry) === JSON.stringify({ cli: 'src/cli/index.ts' }))).toBe(true);
});
