import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { FAST, runCli, useSimulator } from './run-cli.js';


interface Line {
  type: string;
  status?: string;
  exitCode?: number;
  job?: { state: string };
}

describe('jobwait cancel --wait, from the real bin', () => {
  const cli = useSimulator();

  const env = cli.ontapEnv;

  test('cancels, then waits until the job has ended, and exits 0 with its end in the outcome', async () => {
    const id = cli.sim.ontap.addJob({ steps: [{ state: 'running', message: 'Working' }] });
    const result = await runCli(['cancel', 'ontap', id, '--wait', '--json', ...FAST], { env: env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT.SUCCEEDED);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Line);
    expect(lines[0]).toMatchObject({ type: 'action', status: 'accepted' });
    const outcome = lines.at(-1);
    expect(outcome?.type).toBe('outcome');
    expect(outcome?.exitCode).toBe(0);
    expect(['failed', 'cancelled']).toContain(outcome?.job?.state);
  });

  test('--wait goes with cancel only', async () => {
    const result = await runCli(['pause', 'ontap', cli.sim.ontap.addJob({ steps: [{ state: 'running' }] }), '--wait'], { env: env() });
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toContain('--wait goes with cancel only');
  });
});
