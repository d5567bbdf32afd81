import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../src/testing/index.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { assertBuilt, runCli } from './run-cli.js';

const FAST = ['--min-delay', '20ms', '--max-delay', '50ms'];
const PROJECT = '063a3158b1a34710b36ad208b9497d00';
const MISSING = '00000000-0000-4000-8000-000000000000';

interface Line {
  type: string;
  id?: string;
  status?: string;
  exitCode?: number;
}

describe('jobwait wait VENDOR ID…, from the real bin', () => {
  let sim: Simulator;
  beforeAll(async () => {
    assertBuilt();
    sim = await startSimulator();
  });
  afterAll(() => sim?.close());

  const ontapEnv = (): Record<string, string> => ({ JOBWAIT_ONTAP_URL: sim.url, JOBWAIT_ONTAP_USER: 'admin', JOBWAIT_ONTAP_PASSWORD: 'x' });

  test('waits on every id with one batched query per poll, prints one outcome per id, and exits with the worst code', async () => {
    const ok = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'success', code: 0 }] });
    const failing = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', message: 'Volume is offline', error: { code: '917927', message: 'Volume is offline' } }] });
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
    const env = { JOBWAIT_CAS_ENDPOINT: sim.url, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT, JOBWAIT_HUAWEI_TOKEN: 't' };
    const ids = [sim.cas.addJob({ jobId: 'JOB-many-1', steps: [{ status: 'RUNNING' }, { status: 'SUCCEEDED' }] }), sim.cas.addJob({ jobId: 'JOB-many-2', steps: [{ status: 'SUCCEEDED' }] })];
    const result = await runCli(['wait', 'cas', ...ids, '--json', ...FAST], { env });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    const outcomes = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Line).filter((line) => line.type === 'outcome');
    expect(outcomes.map((line) => [line.id, line.status])).toEqual([
      ['JOB-many-1', 'succeeded'],
      ['JOB-many-2', 'succeeded'],
    ]);
  });

  test('an id given twice is a usage error', async () => {
    const result = await runCli(['wait', 'ontap', MISSING, MISSING], { env: ontapEnv() });
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toContain('is given twice');
  });
});
