// The direction of dependencies, read from every relative import of the source tree: the core names
// no vendor, the command line and the testing kit reach vendors only through the registry, and an
// adapter imports neither another vendor's folder (the shared adapters/huawei/ aside) nor the CLI.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/** Every relative module a file imports or re-exports (`import`, `export … from`, `import()`), repo-relative. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    found.push(normalize(join(dirname(file), match[1] as string)).split(sep).join('/'));
  }
  return found;
}

/** `file → target` for each import of the files under `dir` that `bad` refuses. */
function violations(dir: string, bad: (file: string, target: string) => boolean): string[] {
  return sources(dir).flatMap((file) => importsOf(file).filter((target) => bad(file, target)).map((target) => `${file} → ${target}`));
}

const vendorOf = (path: string): string | undefined => /^adapters\/([^/]+)\//.exec(path)?.[1];

describe('the direction of dependencies', () => {
  it('keeps the core free of vendors: nothing in src/ outside cli/ and testing/ imports adapters/', () => {
    const core = (file: string): boolean => !file.startsWith('src/cli/') && !file.startsWith('src/testing/');
    expect(violations('src', (file, target) => core(file) && target.startsWith('adapters/'))).toEqual([]);
  });

  it('lets the command line and the testing kit reach vendors only through the registry', () => {
    const outsideRegistry = (target: string): boolean => target.startsWith('adapters/') && target !== 'adapters/registry.js';
    expect(violations('src/cli', (_file, target) => outsideRegistry(target))).toEqual([]);
    expect(violations('src/testing', (_file, target) => outsideRegistry(target))).toEqual([]);
  });

  it("keeps each adapter to its own folder and the shared Huawei one, away from the CLI and the testing kit", () => {
    const bad = (file: string, target: string): boolean => {
      if (file === 'adapters/registry.ts') return target.startsWith('src/cli/') || target.startsWith('src/testing/');
      const own = vendorOf(file);
      const other = vendorOf(target);
      if (other !== undefined && other !== own && other !== 'huawei') return true;
      return target.startsWith('src/cli/') || target.startsWith('src/testing/');
    };
    expect(violations('adapters', bad)).toEqual([]);
  });

  it('finds the imports it checks (the rules above are not vacuous)', () => {
    expect(importsOf('src/cli/main.ts')).toContain('adapters/registry.js');
    expect(importsOf('adapters/cas/client.ts').some((target) => target.startsWith('adapters/huawei/'))).toBe(true);
  });
});
