import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { FAST, runCli, useSimulator } from './run-cli.js';

const INSTANCE = 'instance-7f3a.cli_test:1';

/** The GET requests of a `--verbose` run's stderr. */
const gets = (stderr: string): string[] => stderr.split('\n').filter((line) => line.startsWith('jobwait: debug: GET '));

interface Line {
  type: string;
  id?: string;
  status?: string;
}

describe('a vendor\'s own wait flags (CAS --instance), from the real bin', () => {
  const cli = useSimulator();

  const succeeding = (): string =>
    cli.sim.cas.addJob({ steps: [{ status: 'RUNNING' }, { status: 'SUCCEEDED', taskStatuses: ['SUCCEEDED'] }], tasks: [{ TASK_NAME: 'build' }] });

  test('wait cas ID --instance ID sends the instance as instance_id on every poll of the job', async () => {
    const id = succeeding();
    const result = await runCli(['wait', 'cas', id, '--instance', INSTANCE, '--verbose', ...FAST], { env: cli.huaweiEnv() });
    expect(result.code, result.stderr).toBe(EXIT.SUCCEEDED);
    const polls = gets(result.stderr);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    for (const poll of polls) expect(poll).toContain(`/cas/jobs/${id}?instance_id=${encodeURIComponent(INSTANCE)}&`);
    const without = await runCli(['wait', 'cas', succeeding(), '--verbose', ...FAST], { env: cli.huaweiEnv() });
    expect(gets(without.stderr).every((poll) => !poll.includes('instance_id'))).toBe(true);
  });

  test('with many ids, --instance goes with the polls of each, and each id has its outcome (the exit code the worst)', async () => {
    const ok = succeeding();
    const failing = cli.sim.cas.addJob({ jobId: 'JOB-cli-instance-failing' });
    const result = await runCli(['wait', 'cas', ok, failing, '--instance', INSTANCE, '--json', '--verbose', ...FAST], { env: cli.huaweiEnv() });
    expect(result.code).toBe(EXIT.FAILED);
    const outcomes = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line)
      .filter((line) => line.type === 'outcome');
    expect(outcomes.map((line) => [line.id, line.status])).toEqual([
      [ok, 'succeeded'],
      [failing, 'failed'],
    ]);
    const polls = gets(result.stderr);
    for (const id of [ok, failing]) expect(polls.some((poll) => poll.includes(`/cas/jobs/${id}?`))).toBe(true);
    for (const poll of polls) expect(poll).toContain(`instance_id=${encodeURIComponent(INSTANCE)}&`);
  });

  test('a vendor\'s command flag given to another vendor or command is one usage line, not ignored', async () => {
    const ontap = await runCli(['wait', 'ontap', cli.sim.ontap.addJob(), '--instance', INSTANCE], { env: cli.ontapEnv() });
    expect(ontap.code).toBe(EXIT.USAGE);
    expect(ontap.stderr).toBe('jobwait: USAGE: --instance is not a flag of wait ontap (it goes with wait cas) (see `jobwait wait --help`)\n');
    const list = await runCli(['list', 'ontap', '--instance', INSTANCE], { env: cli.ontapEnv() });
    expect(list.stderr).toBe('jobwait: USAGE: --instance is not a flag of list ontap (it goes with wait cas) (see `jobwait list --help`)\n');
    const filter = await runCli(['wait', 'cas', succeeding(), '--svm', 'vs0'], { env: cli.huaweiEnv() });
    expect(filter.stderr).toBe('jobwait: USAGE: --svm is not a flag of wait cas (it goes with list ontap) (see `jobwait wait --help`)\n');
    const get = await runCli(['get', 'cas', succeeding(), '--instance', INSTANCE], { env: cli.huaweiEnv() });
    expect(get.stderr).toBe('jobwait: USAGE: --instance is not a flag of get (it goes with wait cas) (see `jobwait get --help`)\n');
    for (const result of [ontap, list, filter, get]) expect(result.stdout).toBe('');
  });

  test('an --instance that is not a Huawei id is one usage line naming the flag', async () => {
    const result = await runCli(['wait', 'cas', succeeding(), '--instance', '../etc'], { env: cli.huaweiEnv() });
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toBe('jobwait: USAGE: --instance must be letters, digits, ".", "_", ":" or "-" (at most 128), got "../etc" (see `jobwait wait --help`)\n');
  });

  test('`jobwait wait --help` lists --instance in a CAS section with its default, and `jobwait --help` names it', async () => {
    const help = (await runCli(['wait', '--help'])).stdout;
    const cas = help.slice(help.indexOf('CAS options (wait cas only):\n'));
    expect(cas).toMatch(/^CAS options \(wait cas only\):\n {2}--instance ID {4}.*\[default: none\]\n\n/);
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}--instance ID {12}CAS only: /m);
  });
});
