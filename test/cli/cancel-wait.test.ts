import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../src/testing/index.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { assertBuilt, runCli } from './run-cli.js';

const FAST = ['--min-delay', '20ms', '--max-delay', '50ms'];

interface Line {
  type: string;
  status?: string;
  exitCode?: number;
  job?: { state: string };
}

describe('jobwait cancel --wait, from the real bin', () => {
  let sim: Simulator;
  beforeAll(async () => {
    assertBuilt();
    sim = await startSimulator();
  });
  afterAll(() => sim?.close());

  const env = (): Record<string, string> => ({ JOBWAIT_ONTAP_URL: sim.url, JOBWAIT_ONTAP_USER: 'admin', JOBWAIT_ONTAP_PASSWORD: 'x' });

  test('cancels, then waits until the job has ended, and exits 0 with its end in the outcome', async () => {
    const id = sim.ontap.addJob({ steps: [{ state: 'running', message: 'Working' }] });
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
    const result = await runCli(['pause', 'ontap', sim.ontap.addJob({ steps: [{ state: 'running' }] }), '--wait'], { env: env() });
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toContain('--wait goes with cancel only');
  });
});
