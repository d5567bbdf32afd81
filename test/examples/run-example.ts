import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Throws a clear error when the package was not built: the examples import it from `dist/`. */
function assertBuilt(): void {
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does)');
}

export interface ExampleResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout, one entry per line. */
  lines: string[];
  stderr: string;
}

export interface ExampleOptions {
  /** The environment on top of a clean one (PATH only): no variable of the machine leaks in. */
  env?: Record<string, string>;
  /** Called once the process is spawned (to send it signals). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs `node examples/<file> ...args` as a user would, from the repository's root. */
export function runExample(file: string, args: readonly string[] = [], options: ExampleOptions = {}): Promise<ExampleResult> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join('examples', file), ...args], { cwd: root, env: { PATH: process.env['PATH'] ?? '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, lines: stdout.split('\n').filter((line) => line !== ''), stderr });
    });
    options.onSpawn?.(child);
  });
}

/**
 * Imports a module of `examples/` (which imports the BUILT package), or a built entry point
 * (`'jobwait'`, `'jobwait/cas'`) as the examples see it: the same classes, so `instanceof` holds.
 * `T` types it (from the sources, which the build mirrors).
 */
export async function importBuilt<T>(specifier: string): Promise<T> {
  assertBuilt();
  const resolved = specifier.startsWith('./') ? pathToFileURL(join(root, 'examples', specifier)).href : specifier;
  return (await import(/* @vite-ignore */ resolved)) as T;
}
