import { describe, expect, test } from 'vitest';
import { startSimulator } from '../../src/testing/index.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { FAST, runCli, STACK_LINE, useSimulator, type CliResult } from './run-cli.js';

const PASSWORD = 'ontap-pa55word-never-shown';
const TOKEN = 'huawei-token-never-shown';

describe('jobwait exit codes, each from the real bin against the simulator', () => {
  const cli = useSimulator();

  const ontapEnv = (): Record<string, string> => cli.ontapEnv(PASSWORD);
  const huaweiEnv = (): Record<string, string> => cli.huaweiEnv(TOKEN);
  const noSecrets = (text: string): void => {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(TOKEN);
  };

  test('0: the job succeeded (plain lines on stderr, one per change; the outcome on stdout)', async () => {
    const uuid = cli.sim.ontap.addJob();
    const result = await runCli(['wait', 'ontap', uuid, ...FAST], { env: ontapEnv() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^\\[\\d+\\.\\ds\\] ontap ${uuid} queued`));
    expect(lines.some((line) => line.includes('running'))).toBe(true);
    expect(result.stdout).toContain('succeeded');
  });

  test('1: the job failed (CAS, task TN00097 with ECC00011), the typed code on stderr', async () => {
    const jobId = cli.sim.cas.addJob({ jobId: 'JOB-cli-failed' });
    const result = await runCli(['wait', 'cas', jobId, ...FAST], { env: huaweiEnv() });
    expect(result.code).toBe(EXIT.FAILED);
    expect(result.stderr).toMatch(/JOB_FAILED: .*Building failed.*ECC00011/);
    expect(result.stderr).not.toMatch(STACK_LINE);
    noSecrets(result.stdout + result.stderr);
  });

  test('2: usage errors and invalid arguments', async () => {
    const missing = await runCli(['wait', 'ontap'], { env: ontapEnv() });
    expect(missing.code).toBe(EXIT.USAGE);
    expect(missing.stderr).toContain('USAGE');
    const vendor = await runCli(['wait', 'vmware', 'x'], { env: ontapEnv() });
    expect(vendor.code).toBe(EXIT.USAGE);
    const duration = await runCli(['wait', 'ontap', 'x', '--timeout', '30'], { env: ontapEnv() });
    expect(duration.code).toBe(EXIT.USAGE);
    expect(duration.stderr).toContain('--timeout must be a duration');
    // The library's InvalidArgumentError maps to 2 too (an ONTAP job id must be a uuid).
    const badId = await runCli(['wait', 'ontap', 'not-a-uuid'], { env: ontapEnv() });
    expect(badId.code).toBe(EXIT.USAGE);
    expect(badId.stderr).toContain('INVALID_ARGUMENT');
    const noPassword = await runCli(['wait', 'ontap', cli.sim.ontap.addJob()], { env: { JOBWAIT_ONTAP_URL: cli.sim.url, JOBWAIT_ONTAP_USER: 'admin' } });
    expect(noPassword.code).toBe(EXIT.USAGE);
    expect(noPassword.stderr).toContain('JOBWAIT_ONTAP_PASSWORD');
  });

  test('2: --password and --token given as flags are refused, saying why, without echoing them', async () => {
    for (const flag of ['--password', '--token']) {
      const result = await runCli(['wait', 'ontap', cli.sim.ontap.addJob(), `${flag}=${PASSWORD}`], { env: ontapEnv() });
      expect(result.code).toBe(EXIT.USAGE);
      expect(result.stderr).toContain(`${flag} is refused`);
      expect(result.stderr).toContain('shell history');
      noSecrets(result.stdout + result.stderr);
    }
    const spaced = await runCli(['get', 'cas', 'JOB1', '--token', TOKEN], { env: huaweiEnv() });
    expect(spaced.code).toBe(EXIT.USAGE);
    noSecrets(spaced.stdout + spaced.stderr);
  });

  test('3: the deadline passed (--timeout)', async () => {
    const uuid = cli.sim.ontap.addJob({ steps: [{ state: 'running', message: 'forever' }] });
    const result = await runCli(['wait', 'ontap', uuid, '--timeout', '600ms', ...FAST], { env: ontapEnv() });
    expect(result.code).toBe(EXIT.TIMEOUT);
    expect(result.stderr).toContain('JOB_TIMEOUT');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  test('4: the job does not exist', async () => {
    const result = await runCli(['wait', 'ontap', '00000000-0000-4000-8000-000000000000', ...FAST], { env: ontapEnv() });
    expect(result.code).toBe(EXIT.NOT_FOUND);
    expect(result.stderr).toContain('JOB_NOT_FOUND');
  });

  test('5: the job was cancelled (a CAS job ending CANCELLED)', async () => {
    const jobId = cli.sim.cas.addJob({ jobId: 'JOB-cli-cancelled', steps: [{ status: 'RUNNING' }, { status: 'CANCELLED' }] });
    const result = await runCli(['wait', 'cas', jobId, ...FAST], { env: huaweiEnv() });
    expect(result.code).toBe(EXIT.CANCELLED);
    expect(result.stderr).toContain('JOB_CANCELLED');
  });

  test('6: authentication refused, and the secret is never printed', async () => {
    cli.sim.ontap.credentials = { username: 'admin', password: 'the-right-one' };
    try {
      const result = await runCli(['wait', 'ontap', cli.sim.ontap.addJob(), ...FAST], { env: ontapEnv() });
      expect(result.code).toBe(EXIT.AUTHENTICATION);
      expect(result.stderr).toContain('AUTHENTICATION');
      noSecrets(result.stdout + result.stderr);
      const json = await runCli(['wait', 'ontap', cli.sim.ontap.addJob(), '--json', ...FAST], { env: ontapEnv() });
      expect(json.code).toBe(EXIT.AUTHENTICATION);
      noSecrets(json.stdout + json.stderr);
    } finally {
      cli.sim.ontap.credentials = undefined;
    }
    cli.sim.cce.auth = { token: 'the-right-token' };
    try {
      const result = await runCli(['wait', 'cce', cli.sim.cce.addJob(), '--json', ...FAST], { env: huaweiEnv() });
      expect(result.code).toBe(EXIT.AUTHENTICATION);
      noSecrets(result.stdout + result.stderr);
    } finally {
      cli.sim.cce.auth = undefined;
    }
  });

  test('7: another API error (a 400 fault)', async () => {
    const uuid = cli.sim.ontap.addJob();
    cli.sim.fault({ path: uuid, type: 'status', status: 400, body: { error: { message: 'bad request', code: '262179' } } });
    const result = await runCli(['wait', 'ontap', uuid, ...FAST], { env: ontapEnv() });
    expect(result.code).toBe(EXIT.API_ERROR);
    expect(result.stderr).toMatch(/API_ERROR: .*400/);
    noSecrets(result.stdout + result.stderr);
  });

  test('7, not 3: an endpoint that never answered (a closed port) ends the wait at once, naming the host', async () => {
    const closed = await startSimulator();
    await closed.close();
    const result = await runCli(['wait', 'ontap', cli.sim.ontap.addJob(), ...FAST], { env: { ...ontapEnv(), JOBWAIT_ONTAP_URL: closed.url } });
    expect(result.code).toBe(EXIT.API_ERROR);
    expect(result.stderr).toContain(`NETWORK: GET ${closed.url}/api/cluster/jobs/`);
    expect(result.stderr).toContain(`cannot reach ${new URL(closed.url).host}: connection refused (ECONNREFUSED)`);
    expect(result.stderr).toContain('check the URL');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.ms).toBeLessThan(10_000);
    noSecrets(result.stdout + result.stderr);
  });

  /** A wait on a job that runs on, sent `signal` once the simulator has seen `afterPolls` of its polls. */
  const interruptedWait = async (signal: NodeJS.Signals, afterPolls: number): Promise<{ result: CliResult; polls: () => number; pollsAtSignal: number }> => {
    const uuid = cli.sim.ontap.addJob({ steps: [{ state: 'running', message: 'forever' }] });
    const polls = (): number => cli.sim.requests.filter((request) => request.url.includes(uuid)).length;
    let pollsAtSignal = -1;
    const result = await runCli(['wait', 'ontap', uuid, '--min-delay', '300ms', '--max-delay', '300ms'], {
      env: ontapEnv(),
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (polls() >= afterPolls) {
            clearInterval(timer);
            pollsAtSignal = polls();
            child.kill(signal);
          }
        }, 10);
      },
    });
    return { result, polls, pollsAtSignal };
  };

  test('143: SIGTERM aborts the wait as cleanly as SIGINT, and exits 128 + 15', async () => {
    const { result } = await interruptedWait('SIGTERM', 1);
    expect(result.code).toBe(EXIT.TERMINATED);
    expect(result.code).toBe(143);
    expect(result.signal).toBeNull();
    expect(result.stderr).toContain('ABORTED');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  test('130: SIGINT aborts the wait cleanly: no stack, no request after the signal', async () => {
    const { result, polls, pollsAtSignal } = await interruptedWait('SIGINT', 2);
    expect(result.code).toBe(EXIT.INTERRUPTED);
    expect(result.signal).toBeNull();
    expect(result.stderr).toContain('ABORTED');
    expect(result.stderr).not.toMatch(STACK_LINE);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(polls()).toBe(pollsAtSignal);
  });
});
