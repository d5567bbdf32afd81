import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/testing/index.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(root, 'dist', 'cli.js');

/** Short poll delays, for waits that end in a few polls. */
export const FAST = ['--min-delay', '20ms', '--max-delay', '50ms'];
/** A Huawei Cloud project id of the right shape. */
export const PROJECT = '063a3158b1a34710b36ad208b9497d00';

/** Throws a clear error when the bin was not built (`npm test` builds it). */
export function assertBuilt(): void {
  if (!existsSync(cliPath)) throw new Error('dist/cli.js is missing: run `npm run build` first (`npm test` does)');
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  env?: Record<string, string>;
  stdin?: string;
  /** Called once the process is spawned (to send it signals). */
  onSpawn?: (child: ChildProcess) => void;
  timeoutMs?: number;
  /** Runs the bin as if stdout and stderr were a terminal of 200 columns (its `tty` output mode). */
  tty?: boolean;
}

/** Set before the bin loads: the streams stay pipes, but the bin sees a terminal. */
const AS_TTY = ['--import', 'data:text/javascript,for(const s of [process.stdout,process.stderr]){s.isTTY=true;s.columns=200}'];

/** Runs the real bin with a clean environment (no credentials of the machine leak in). */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  assertBuilt();
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.tty ? AS_TTY : []), cliPath, ...args], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
    options.onSpawn?.(child);
  });
}

/** Lines of a stack trace (`    at fn (file:1:2)`). */
export const STACK_LINE = /^\s+at .+/m;

/** Runs the bin in a real pseudo-terminal (util-linux `script`), after `setup` (`stty …;`, ending in `;` or `&`) in its shell. */
export function runInPty(setup: string, args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  assertBuilt();
  const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
  const command = `${setup} exec ${[process.execPath, cliPath, ...args].map(quote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: root, env: { PATH: process.env['PATH'] ?? '', TERM: 'xterm', NO_COLOR: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The simulator of a `describe` block, with the environment each vendor's commands need against it. */
export interface CliSimulator {
  /** The running simulator (from the block's `beforeAll` on). */
  readonly sim: Simulator;
  /** An ONTAP command's environment: the simulator's URL, user `admin`, `password`. */
  ontapEnv(password?: string): Record<string, string>;
  /** A CAS or CCE command's environment: the simulator as both endpoints, {@link PROJECT}, a token. */
  huaweiEnv(token?: string): Record<string, string>;
}

/** Starts a simulator before the calling `describe` block's tests (once the bin is known built) and closes it after them. */
export function useSimulator(options?: SimulatorOptions): CliSimulator {
  let sim: Simulator | undefined;
  beforeAll(async () => {
    assertBuilt();
    sim = await startSimulator(options);
  });
  afterAll(() => sim?.close());
  const running = (): Simulator => {
    if (sim === undefined) throw new Error('the simulator is not started yet: use it in a test');
    return sim;
  };
  return {
    get sim() {
      return running();
    },
    ontapEnv: (password = 'x') => ({ JOBWAIT_ONTAP_URL: running().url, JOBWAIT_ONTAP_USER: 'admin', JOBWAIT_ONTAP_PASSWORD: password }),
    huaweiEnv: (token = 't') => ({ JOBWAIT_CAS_ENDPOINT: running().url, JOBWAIT_CCE_ENDPOINT: running().url, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT, JOBWAIT_HUAWEI_TOKEN: token }),
  };
}
