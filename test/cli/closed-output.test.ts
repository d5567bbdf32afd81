import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { cliPath, root, STACK_LINE, useSimulator } from './run-cli.js';

describe('a closed output, from the real bin', () => {
  const cli = useSimulator();

  test('stdout closed after the first line (`--json | head -1`) ends the wait quietly, stops polling, and exits OUTPUT_CLOSED, not FAILED', async () => {
    // A job that changes on every poll for a while, then runs on: each poll prints an NDJSON line on stdout.
    const steps = [...Array.from({ length: 100 }, (_, i) => ({ state: 'running', message: `step ${i}` })), { state: 'running', message: 'forever' }];
    const uuid = cli.sim.ontap.addJob({ steps });
    const polls = (): number => cli.sim.requests.filter((request) => request.url.includes(uuid)).length;
    const child = spawn(process.execPath, [cliPath, 'wait', 'ontap', uuid, '--min-delay', '20ms', '--max-delay', '20ms', '--timeout', '60s', '--json'], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...cli.ontapEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let firstLine = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // What `head -1` does: read up to the first newline, then close the pipe.
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (firstLine.includes('\n')) return;
      firstLine += chunk;
      if (firstLine.includes('\n')) child.stdout.destroy();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    clearTimeout(killer);
    expect(JSON.parse(firstLine)).toMatchObject({ type: 'snapshot', job: { state: 'running' } });
    expect(signal).toBeNull();
    expect(code).toBe(EXIT.OUTPUT_CLOSED);
    expect(code).not.toBe(EXIT.FAILED);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    const pollsAtExit = polls();
    expect(pollsAtExit).toBeLessThan(100);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(polls()).toBe(pollsAtExit);
  });
});
