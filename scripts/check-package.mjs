#!/usr/bin/env node
/**
 * Package hygiene, run in CI after `npm run build` (`npm run check:package`):
 *
 * 1. packs the package with `npm pack` into a temporary directory (no lifecycle scripts, no network);
 * 2. checks the tarball's file list: only `dist/`, README.md, LICENSE and package.json; nothing from
 *    test/, src/, adapters/, fixtures, no key or certificate, no .env, no tsconfig, no source map;
 *    and every file the manifest points at (`main`, `module`, `types`, `bin`, each `exports`
 *    target) is in it;
 * 3. runs publint (strict: warnings count) on the tarball;
 * 4. runs @arethetypeswrong/cli on the tarball, offline (`--no-definitely-typed`).
 *
 * Prints what it checked and exits 1 on any problem.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const problems = [];
const ok = (line) => console.log(`  ok  ${line}`);
const fail = (line) => {
  problems.push(line);
  console.log(`  FAIL ${line}`);
};

if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('check-package: dist/ is missing: run `npm run build` first');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'jobwait-pack-'));
try {
  // ---- 1. pack -------------------------------------------------------------------------------
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const entry = packed[0];
  const tarball = join(work, entry.filename);
  const files = entry.files.map((file) => file.path.replaceAll('\\', '/')).sort();
  console.log(`check-package: ${entry.id}, ${files.length} files, ${entry.size} bytes packed (${entry.unpackedSize} unpacked)`);

  // ---- 2. contents ---------------------------------------------------------------------------
  console.log('contents:');
  const allowed = (file) => file === 'package.json' || file === 'README.md' || file === 'LICENSE' || file.startsWith('dist/');
  const forbidden = [
    [/(^|\/)(test|tests|__tests__|src|adapters|examples|bench|scripts|coverage|docs)\//, 'sources, tests, examples or docs'],
    [/(^|\/)fixtures?\//i, 'a fixture'],
    [/\.(test|spec)\.[cm]?[jt]sx?$/, 'a test'],
    [/\.(pem|key|crt|cer|p12|pfx|jks)$/i, 'a key or certificate'],
    [/(^|\/)\.env(\..*)?$/, 'an .env file'],
    [/(^|\/)\.npmrc$/, 'an .npmrc'],
    [/(^|\/)tsconfig[^/]*\.json$/, 'a tsconfig'],
    [/\.map$/, 'a source map'],
    [/\.tgz$/, 'a tarball'],
    [/(^|\/)\.[^/]+$/, 'a dotfile'],
  ];
  const strays = files.filter((file) => !allowed(file));
  if (strays.length > 0) fail(`files outside dist/, README.md, LICENSE, package.json: ${strays.join(', ')}`);
  else ok('only dist/, README.md, LICENSE and package.json');
  let clean = true;
  for (const file of files) {
    for (const [pattern, what] of forbidden) {
      if (pattern.test(file)) {
        fail(`${file} is ${what}`);
        clean = false;
      }
    }
  }
  if (clean) ok('no tests, sources, fixtures, keys, certificates, .env, tsconfig or source maps');
  for (const required of ['package.json', 'README.md', 'LICENSE']) {
    if (!files.includes(required)) fail(`${required} is missing`);
  }

  const targets = new Set();
  const collect = (value) => {
    if (typeof value === 'string') targets.add(value.replace(/^\.\//, ''));
    else if (value && typeof value === 'object') for (const inner of Object.values(value)) collect(inner);
  };
  for (const field of ['main', 'module', 'types', 'bin', 'exports']) collect(pkg[field]);
  targets.delete('package.json');
  const missing = [...targets].filter((target) => !files.includes(target));
  if (missing.length > 0) fail(`the manifest points at files the tarball lacks: ${missing.join(', ')}`);
  else ok(`every file the manifest points at is packed (${targets.size}: main, module, types, bin, exports)`);

  // ---- 3. publint ----------------------------------------------------------------------------
  console.log('publint (--strict):');
  const publint = spawnSync(process.execPath, [bin('publint', 'publint'), tarball, '--strict'], { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const publintOut = `${publint.stdout}${publint.stderr}`.trim();
  if (publint.status !== 0 || /\b(Errors|Warnings|Suggestions):/.test(publintOut)) fail(`publint reported problems:\n${indent(publintOut)}`);
  else ok(`publint: ${lastLine(publintOut)}`);

  // ---- 4. arethetypeswrong -------------------------------------------------------------------
  // Every resolution attw knows: node10 (TypeScript's `moduleResolution: node`, which reads no
  // `exports`: `typesVersions` maps the subpaths), node16 from CJS and from ESM, and bundler. No rule
  // is ignored. `--no-definitely-typed` keeps it offline.
  console.log('@arethetypeswrong/cli (every resolution):');
  const attw = spawnSync(process.execPath, [bin('@arethetypeswrong/cli', 'attw'), tarball, '--no-definitely-typed', '--format', 'table', '--no-emoji', '--no-color'], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const attwOut = `${attw.stdout}${attw.stderr}`.trim();
  // attw exits 0 for a package without any types: that is a problem here.
  if (attw.status !== 0 || /does not contain types/i.test(attwOut) || !attwOut.includes('┌')) fail(`attw reported problems:\n${indent(attwOut)}`);
  else ok(`attw: no problems under node10, node16 (from CJS and from ESM) and bundler, for every entry point:\n${indent(attwOut.slice(attwOut.indexOf('┌')))}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`check-package: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('check-package: all checks passed');

/** The installed (never downloaded) bin script of a dev dependency. */
function bin(name, command) {
  const dir = join(root, 'node_modules', ...name.split('/'));
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[command];
  if (!relative) throw new Error(`${name} has no \`${command}\` bin: is it installed?`);
  return join(dir, relative);
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `       ${line}`)
    .join('\n');
}

function lastLine(text) {
  return text.split('\n').filter(Boolean).at(-1) ?? '';
}
