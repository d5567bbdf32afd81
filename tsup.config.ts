import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

/** package.json's version, built into every bundle as `VERSION` (src/transport/client-options.ts). */
const { version, dependencies } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; dependencies: Record<string, string> };
/**
 * The packages the command line loads from the install, not from its bundle: the runtime
 * dependencies (a global install of jobwait installs them) and the durable-wait peers, which
 * `jobwait worker` asks to be installed (whoever runs Redis workers installs them; bundled, BullMQ
 * and ioredis would go to every install for one command).
 */
const loadedFromInstall = [...Object.keys(dependencies), 'bullmq', 'ioredis'];
/** Any package but those. */
const notARuntimeDependency = new RegExp(`^(?!(?:${loadedFromInstall.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(?:/|$))`);
const define = { __JOBWAIT_VERSION__: JSON.stringify(version) };

const shared: Options = {
  entry: {
    index: 'src/index.ts',
    ontap: 'adapters/ontap/index.ts',
    cas: 'adapters/cas/index.ts',
    cce: 'adapters/cce/index.ts',
    testing: 'src/testing/index.ts',
    adapter: 'src/adapter.ts',
    bullmq: 'src/bullmq.ts',
  },
  target: 'node20',
  platform: 'node',
  // Shared code goes to shared chunks in both formats: one class identity across entries, so an
  // error thrown by `jobwait/ontap` is `instanceof` the class `jobwait` exports, in ESM and in CJS.
  splitting: true,
  treeshake: false,
  sourcemap: false,
  outDir: 'dist',
  define,
};

/**
 * The `jobwait` command line (package.json "bin"): ESM only, with its shebang. The published build
 * carries what the CLI needs beyond the runtime dependencies (msw, for `demo` and `simulate`), so a
 * global install works with nothing else installed; `JOBWAIT_BUILD=cli` (`npm run demo`, from a
 * clone, where msw is installed) leaves it out and builds in about a second.
 */
const cli = (bundleOptionalPeers: boolean): Options => ({
  ...shared,
  entry: { cli: 'src/cli/index.ts' },
  format: ['esm'],
  dts: false,
  clean: false,
  banner: { js: '#!/usr/bin/env node' },
  esbuildOptions(options) {
    options.chunkNames = 'cli-chunks/[name]-[hash]';
  },
  ...(bundleOptionalPeers ? { noExternal: [notARuntimeDependency], treeshake: true } : {}),
});

// `JOBWAIT_BUILD=cli` builds the command line alone, without type declarations (`npm run demo`: a
// couple of seconds instead of the whole build's 20-50 s).
export default defineConfig(process.env['JOBWAIT_BUILD'] === 'cli' ? [cli(false)] : [
  { ...shared, format: ['esm'], dts: true },
  {
    ...shared,
    format: ['cjs'],
    dts: true,
    // p-retry 7 is ESM only, and `require(esm)` is on by default only from Node 20.19: the CommonJS
    // build carries its own copy so that `require('jobwait')` works on every Node >= 20.18.1.
    noExternal: ['p-retry', 'is-network-error'],
  },
  // What the benchmarks reach inside the package (bench/internals.ts): not an entry of the package
  // (not in package.json "exports", not in its "files").
  {
    ...shared,
    entry: { 'bench-internals': 'bench/internals.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    splitting: false,
    treeshake: true,
  },
  // The command line last, leaving the library builds' output alone. The simulator (so the optional
  // msw, bundled here) loads lazily, for simulate and demo.
  cli(true),
]);
