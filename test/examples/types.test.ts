import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { importBuilt } from './run-example.js';

const root = join(import.meta.dirname, '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const run = promisify(execFile);

/** Type-checks `examples/` (or a copy of it) with its tsconfig.json: exit code and tsc's report. */
const typecheck = async (project: string): Promise<{ code: number; output: string }> => {
  await importBuilt('jobwait'); // the examples are checked against the BUILT package
  try {
    await run(process.execPath, [tsc, '-p', project], { cwd: root });
    return { code: 0, output: '' };
  } catch (error) {
    const { code, stdout } = error as { code: number; stdout: string };
    return { code, output: stdout };
  }
};

test('the examples type-check against the built package, as JavaScript with // @ts-check', { timeout: 60_000 }, async () => {
  expect(await typecheck(join(root, 'examples'))).toEqual({ code: 0, output: '' });
});

test('the check sees a misuse of the API in an example', { timeout: 60_000 }, async () => {
  // A copy inside the repository, so 'jobwait' still resolves to dist/ through the self-reference.
  const copy = await mkdtemp(join(root, 'examples', '.typecheck-'));
  try {
    for (const entry of await readdir(join(root, 'examples'), { withFileTypes: true })) {
      if (entry.isFile()) await copyFile(join(root, 'examples', entry.name), join(copy, entry.name));
    }
    const file = join(copy, 'ontap-wait.mjs');
    await writeFile(file, (await readFile(file, 'utf8')).replace('ontap.waitForJob(uuid, {', 'ontap.waitForJob(uuid, { minDelay: 10,'));
    const { code, output } = await typecheck(copy);
    expect(code).not.toBe(0);
    expect(output).toMatch(/ontap-wait\.mjs\(\d+,\d+\): error TS\d+: .*'minDelay'/);
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
});
