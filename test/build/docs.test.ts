import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { SHIPPED_VENDORS } from '../../adapters/registry.js';
import { CORE_ENTRIES } from './core-entries.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('typedoc.json documents the entry points (the core, each vendor of the registry, then testing, adapter and bullmq) and turns every warning into an error', async () => {
  const config = JSON.parse(await readFile(join(root, 'typedoc.json'), 'utf8')) as { entryPoints: string[]; treatWarningsAsErrors: boolean; validation: Record<string, boolean> };
  expect(config.entryPoints).toEqual(['src/index.ts', ...SHIPPED_VENDORS.map((vendor) => `adapters/${vendor.name}/index.ts`), ...CORE_ENTRIES.map((entry) => entry.source)]);
  expect(config.treatWarningsAsErrors).toBe(true);
  expect(config.validation).toMatchObject({ notExported: true, invalidLink: true, notDocumented: true });
});

// The TypeDoc run itself (5-13 s) is a step of .ci/run, `npm run docs -- --emit none`, which fails on
// any warning (treatWarningsAsErrors): it stays out of the unit-test budget.
