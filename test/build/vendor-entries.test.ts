import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import tsupConfig from '../../tsup.config.js';
import { SHIPPED_VENDORS } from '../../adapters/registry.js';
import { CORE_ENTRIES } from './core-entries.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vendors = SHIPPED_VENDORS.map((vendor) => vendor.name).sort();
/** The entries that are not a vendor's. */
const CORE: readonly string[] = ['index', ...CORE_ENTRIES.map((entry) => entry.name)];
const hint = 'each vendor of adapters/registry.ts needs an entry adapters/<name>/index.ts in tsup.config.ts, package.json "exports" and typedoc.json, and no other vendor entry may be there';

describe('the build entries, static files, list exactly the registry\'s vendors', () => {
  test('tsup.config.ts builds adapters/<name>/index.ts as the entry <name>, in ESM and CommonJS', () => {
    const configs = (Array.isArray(tsupConfig) ? tsupConfig : [tsupConfig]) as { entry?: Record<string, string>; format?: string[] }[];
    const libraries = configs.filter((config) => config.entry && Object.hasOwn(config.entry, 'index'));
    expect(libraries.flatMap((config) => config.format ?? []).sort()).toEqual(['cjs', 'esm']);
    for (const config of libraries) {
      const entry = config.entry ?? {};
      const vendorEntries = Object.keys(entry).filter((name) => !CORE.includes(name)).sort();
      expect(vendorEntries, hint).toEqual(vendors);
      for (const name of vendors) expect(entry[name], hint).toBe(`adapters/${name}/index.ts`);
    }
  });

  test('package.json "exports" has ./<name> for each vendor, and no other vendor', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { import?: { default?: string } } | string> };
    const keys = Object.keys(pkg.exports).filter((key) => !['.', ...CORE_ENTRIES.map((entry) => `./${entry.name}`), './package.json'].includes(key));
    expect(keys.map((key) => key.slice(2)).sort(), hint).toEqual(vendors);
    for (const name of vendors) {
      const target = pkg.exports[`./${name}`];
      expect(typeof target === 'object' ? target.import?.default : target, hint).toBe(`./dist/${name}.js`);
    }
  });

  test('typedoc.json documents adapters/<name>/index.ts for each vendor, and no other vendor', async () => {
    const config = JSON.parse(await readFile(join(root, 'typedoc.json'), 'utf8')) as { entryPoints: string[] };
    const adapters = config.entryPoints.filter((entry) => entry.startsWith('adapters/'));
    expect(adapters.sort(), hint).toEqual(vendors.map((name) => `adapters/${name}/index.ts`));
  });
});
