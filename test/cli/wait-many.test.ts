import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { FAST, runCli, useSimulator } from './run-cli.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

interface Line {
  type: string;
  id?: string;
  status?: string;
  exitCode?: number;
}

describe('jobwait wait VENDOR ID…, from the real bin', () => {
  const cli = useSimulator();

  const { ontapEnv } = cli;

  test('waits on every id with one batched query per poll, prints one outcome per id, and exits with the worst code', async () => {
    const ok = cli.sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'success', code: 0 }] });
    const failing = cli.sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', message: 'Volume is offline', error: { code: '917927', message: 'Volume is offline' } }] });
    const result = await runCli(['wait', 'ontap', ok, failing, MISSING, '--json', '--verbose', ...FAST], { env: ontapEnv() });
    const outcomes = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line)
      .filter((line) => line.type === 'outcome');
    expect(outcomes.map((line) => [line.id, line.status, line.exitCode])).toEqual([
      [ok, 'succeeded', EXIT.SUCCEEDED],
      [failing, 'failed', EXIT.FAILED],
      [MISSING, 'not_found', EXIT.NOT_FOUND],
    ]);
    expect(result.code).toBe(EXIT.NOT_FOUND);
    // ONTAP polls the jobs due together with one collection query.
    const requests = result.stderr.split('\n').filter((line) => line.startsWith('jobwait: debug: GET '));
    expect(requests.some((line) => line.includes('/api/cluster/jobs?') && line.includes(ok) && line.includes(failing))).toBe(true);
  });

  test('many ids of a vendor without batches (CAS) all succeed: exit 0, one outcome each', async () => {
    const env = cli.huaweiEnv();
    const ids = [cli.sim.cas.addJob({ jobId: 'JOB-many-1', steps: [{ status: 'RUNNING' }, { status: 'SUCCEEDED' }] }), cli.sim.cas.addJob({ jobId: 'JOB-many-2', steps: [{ status: 'SUCCEEDED' }] })];
    const result = await runCli(['wait', 'cas', ...ids, '--json', ...FAST], { env });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    const outcomes = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Line).filter((line) => line.type === 'outcome');
    expect(outcomes.map((line) => [line.id, line.status])).toEqual([
      ['JOB-many-1', 'succeeded'],
      ['JOB-many-2', 'succeeded'],
    ]);
  });

  test('off a terminal and on one, stdout holds a result line for each job that ended well, and the failed one\'s error goes to stderr', async () => {
    for (const tty of [false, true]) {
      const ok = cli.sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'success', code: 0 }] });
      const also = cli.sim.ontap.addJob({ steps: [{ state: 'success', code: 0 }] });
      const failing = cli.sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', message: 'Volume is offline', error: { code: '917927', message: 'Volume is offline' } }] });
      const result = await runCli(['wait', 'ontap', ok, failing, also, ...FAST], { env: ontapEnv(), tty });
      expect(result.code).toBe(EXIT.FAILED);
      expect(result.stdout.split('\n').slice(0, -1)).toEqual([
        expect.stringMatching(new RegExp(`^✔ ontap job ${ok} succeeded in \\d+\\.\\ds$`)),
        expect.stringMatching(new RegExp(`^✔ ontap job ${also} succeeded in \\d+\\.\\ds$`)),
      ]);
      expect(result.stderr.match(/JOB_FAILED: .*Volume is offline/g)).toHaveLength(1);
    }
  });

  test('an id given twice is a usage error', async () => {
    const result = await runCli(['wait', 'ontap', MISSING, MISSING], { env: ontapEnv() });
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toContain('is given twice');
  });
});
