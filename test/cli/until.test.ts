import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { FAST, runCli, useSimulator } from './run-cli.js';


interface Line {
  type: string;
  status?: string;
  exitCode?: number;
  job?: { state: string };
}

const lastLine = (stdout: string): Line => JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Line;

describe('jobwait wait --until and --no-fail, from the real bin', () => {
  const cli = useSimulator();

  const env = cli.ontapEnv;

  test('--until running returns as soon as the job runs, exit 0, with the job still running', async () => {
    const id = cli.sim.ontap.addJob({ steps: [{ state: 'queued' }, { state: 'running' }] });
    const result = await runCli(['wait', 'ontap', id, '--until', 'running', '--json', ...FAST], { env: env() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(lastLine(result.stdout)).toMatchObject({ type: 'outcome', exitCode: 0, job: { state: 'running' } });
  });

  test('--until takes the vendor\'s own words and a|b lists, and refuses a word no vendor state has', async () => {
    const id = cli.sim.ontap.addJob({ steps: [{ state: 'queued' }, { state: 'paused' }, { state: 'running' }] });
    const result = await runCli(['wait', 'ontap', id, '--until', 'PAUSED|failure', '--json', ...FAST], { env: env() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(lastLine(result.stdout).job?.state).toBe('paused');
    const refused = await runCli(['wait', 'ontap', id, '--until', 'runing'], { env: env() });
    expect(refused.code).toBe(EXIT.USAGE);
    expect(refused.stderr).toContain('--until: unknown state "runing"');
  });

  test('--no-fail: a failed job is an outcome, not an error: exit 0, status failed, nothing on stderr', async () => {
    const id = cli.sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', message: 'Volume is offline', error: { code: '917927', message: 'Volume is offline' } }] });
    const result = await runCli(['wait', 'ontap', id, '--no-fail', '--json', ...FAST], { env: env() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(lastLine(result.stdout)).toMatchObject({ type: 'outcome', status: 'failed', exitCode: 0, job: { state: 'failed' } });
    expect(result.stderr).toBe('');
    const without = await runCli(['wait', 'ontap', cli.sim.ontap.addJob({ steps: [{ state: 'failure', message: 'x' }] }), ...FAST], { env: env() });
    expect(without.code).toBe(EXIT.FAILED);
  });
});

describe('jobwait wait --quiet, from the real bin', () => {
  const cli = useSimulator();

  test('prints no progress: in --json only the outcome line, in plain mode only the result line', async () => {
    const env = cli.ontapEnv();
    const steps = [{ state: 'queued' as const }, { state: 'running' as const }, { state: 'success' as const, code: 0 }];
    const json = await runCli(['wait', 'ontap', cli.sim.ontap.addJob({ steps }), '--quiet', '--json', ...FAST], { env });
    expect(json.code).toBe(EXIT.SUCCEEDED);
    expect(json.stdout.trim().split('\n').map((line) => (JSON.parse(line) as Line).type)).toEqual(['outcome']);
    const plain = await runCli(['wait', 'ontap', cli.sim.ontap.addJob({ steps }), '-q', ...FAST], { env });
    expect(plain.code).toBe(EXIT.SUCCEEDED);
    expect(plain.stdout.trim().split('\n')).toHaveLength(1);
    expect(plain.stdout).toMatch(/ succeeded in /);
  });
});
