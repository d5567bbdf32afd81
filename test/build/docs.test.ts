import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('typedoc.json documents the five entry points and turns every warning into an error', async () => {
  const config = JSON.parse(await readFile(join(root, 'typedoc.json'), 'utf8')) as { entryPoints: string[]; treatWarningsAsErrors: boolean; validation: Record<string, boolean> };
  expect(config.entryPoints).toEqual(['src/index.ts', 'adapters/ontap/index.ts', 'adapters/cas/index.ts', 'adapters/cce/index.ts', 'src/testing/index.ts']);
  expect(config.treatWarningsAsErrors).toBe(true);
  expect(config.validation).toMatchObject({ notExported: true, invalidLink: true, notDocumented: true });
});

test('`npm run docs` (TypeDoc) succeeds without a single warning: every public symbol has TSDoc', async () => {
  const typedoc = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
  // `--emit none` runs the conversion and every validation, without writing docs/api.
  const result = await run(process.execPath, [typedoc, '--emit', 'none'], { cwd: root, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } }).catch(
    (error: { stdout?: string; stderr?: string; code?: number }) => error,
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  expect(output).not.toMatch(/warning|error/i);
  expect('code' in result ? result.code : 0).toBe(0);
}, 60_000);
