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

const lastLine = (stdout: string): Line => JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Line;

describe('jobwait wait --until and --no-fail, from the real bin', () => {
  let sim: Simulator;
  beforeAll(async () => {
    assertBuilt();
    sim = await startSimulator();
  });
  afterAll(() => sim?.close());

  const env = (): Record<string, string> => ({ JOBWAIT_ONTAP_URL: sim.url, JOBWAIT_ONTAP_USER: 'admin', JOBWAIT_ONTAP_PASSWORD: 'x' });

  test('--until running returns as soon as the job runs, exit 0, with the job still running', async () => {
    const id = sim.ontap.addJob({ steps: [{ state: 'queued' }, { state: 'running' }] });
    const result = await runCli(['wait', 'ontap', id, '--until', 'running', '--json', ...FAST], { env: env() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(lastLine(result.stdout)).toMatchObject({ type: 'outcome', exitCode: 0, job: { state: 'running' } });
  });

  test('--until takes the vendor\'s own words and a|b lists, and refuses a word no vendor state has', async () => {
    const id = sim.ontap.addJob({ steps: [{ state: 'queued' }, { state: 'paused' }, { state: 'running' }] });
    const result = await runCli(['wait', 'ontap', id, '--until', 'PAUSED|failure', '--json', ...FAST], { env: env() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(lastLine(result.stdout).job?.state).toBe('paused');
    const refused = await runCli(['wait', 'ontap', id, '--until', 'runing'], { env: env() });
    expect(refused.code).toBe(EXIT.USAGE);
    expect(refused.stderr).toContain('--until: unknown state "runing"');
  });

  test('--no-fail: a failed job is an outcome, not an error: exit 0, status failed, nothing on stderr', async () => {
    const id = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', message: 'Volume is offline', error: { code: '917927', message: 'Volume is offline' } }] });
    const result = await runCli(['wait', 'ontap', id, '--no-fail', '--json', ...FAST], { env: env() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(lastLine(result.stdout)).toMatchObject({ type: 'outcome', status: 'failed', exitCode: 0, job: { state: 'failed' } });
    expect(result.stderr).toBe('');
    const without = await runCli(['wait', 'ontap', sim.ontap.addJob({ steps: [{ state: 'failure', message: 'x' }] }), ...FAST], { env: env() });
    expect(without.code).toBe(EXIT.FAILED);
  });
});

describe('jobwait wait --quiet, from the real bin', () => {
  let sim: Simulator;
  beforeAll(async () => {
    assertBuilt();
    sim = await startSimulator();
  });
  afterAll(() => sim?.close());

  test('prints no progress: in --json only the outcome line, in plain mode only the result line', async () => {
    const env = { JOBWAIT_ONTAP_URL: sim.url, JOBWAIT_ONTAP_USER: 'admin', JOBWAIT_ONTAP_PASSWORD: 'x' };
    const steps = [{ state: 'queued' as const }, { state: 'running' as const }, { state: 'success' as const, code: 0 }];
    const json = await runCli(['wait', 'ontap', sim.ontap.addJob({ steps }), '--quiet', '--json', ...FAST], { env });
    expect(json.code).toBe(EXIT.SUCCEEDED);
    expect(json.stdout.trim().split('\n').map((line) => (JSON.parse(line) as Line).type)).toEqual(['outcome']);
    const plain = await runCli(['wait', 'ontap', sim.ontap.addJob({ steps }), '-q', ...FAST], { env });
    expect(plain.code).toBe(EXIT.SUCCEEDED);
    expect(plain.stdout.trim().split('\n')).toHaveLength(1);
    expect(plain.stdout).toMatch(/ succeeded in /);
  });
});
