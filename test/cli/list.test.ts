import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli, useSimulator } from './run-cli.js';

/** The `jobwait: debug:` lines of a `--verbose` run's stderr. */
const debugLines = (stderr: string): string[] => stderr.split('\n').filter((line) => line.startsWith('jobwait: debug: '));

describe('jobwait list, from the real bin', () => {
  const cli = useSimulator();

  test('the table starts with a header line of column names, and --json prints none: one JSON object per line', async () => {
    const id = cli.sim.ontap.addJob({ description: 'list header job', steps: [{ state: 'running' }] });
    const text = await runCli(['list', 'ontap'], { env: cli.ontapEnv() });
    expect(text.code).toBe(EXIT.SUCCEEDED);
    const [header, ...rows] = text.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID {36}STATE {5}DESCRIPTION$/);
    expect(rows.find((row) => row.startsWith(id))).toMatch(new RegExp(`^${id}  running   list header job$`));
    const json = await runCli(['list', 'ontap', '--json'], { env: cli.ontapEnv() });
    expect(json.code).toBe(EXIT.SUCCEEDED);
    const lines = json.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; job: { id: string } });
    expect(lines.every((line) => line.type === 'job')).toBe(true);
    expect(lines.map((line) => line.job.id)).toContain(id);
  });

  test('with no job to list, the table is its header line alone', async () => {
    const result = await runCli(['list', 'ontap', '--state', 'paused'], { env: cli.ontapEnv() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(result.stdout).toBe('ID  STATE     DESCRIPTION\n');
  });

  test('--max-records N prints N jobs, from one request for a page of N (ONTAP\'s max_records)', async () => {
    for (let i = 0; i < 5; i++) cli.sim.ontap.addJob({ steps: [{ state: 'queued' }] });
    const result = await runCli(['list', 'ontap', '--state', 'queued', '--max-records', '2', '--verbose'], { env: cli.ontapEnv() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1 + 2);
    const requests = debugLines(result.stderr);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/^jobwait: debug: GET \/api\/cluster\/jobs\?\S*max_records=2\S* 200 in \d+ ms$/);
    const json = await runCli(['list', 'ontap', '--state', 'queued', '--max-records', '3', '--json'], { env: cli.ontapEnv() });
    expect(json.stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  test('--max-records that is not a whole number of 1 or more is one usage line', async () => {
    for (const value of ['0', '-1', '2.5', 'ten']) {
      const result = await runCli(['list', 'ontap', `--max-records=${value}`], { env: cli.ontapEnv() });
      expect(result.code).toBe(EXIT.USAGE);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`jobwait: USAGE: --max-records must be a whole number of 1 or more (got ${JSON.stringify(value)}) (see \`jobwait list --help\`)\n`);
    }
  });

  test('--description, --svm and --error-code filter ONTAP\'s jobs as listJobs does, and --order-by sorts them', async () => {
    const svm = (name: string): { name: string; uuid: string } => ({ name, uuid: crypto.randomUUID() });
    const failed = (code: string) => [{ state: 'failure', error: { code, message: 'no' } }];
    const ids = {
      snapA: cli.sim.ontap.addJob({ description: 'filter-test snapshot create', svm: svm('vs-filter-a'), steps: failed('917927') }),
      snapB: cli.sim.ontap.addJob({ description: 'filter-test snapshot delete', svm: svm('vs-filter-b'), steps: failed('460770') }),
      volume: cli.sim.ontap.addJob({ description: 'filter-test volume resize', svm: svm('vs-filter-a'), steps: [{ state: 'success' }] }),
    };
    const listed = async (...flags: string[]): Promise<string[]> => {
      const result = await runCli(['list', 'ontap', '--description', 'filter-test*', ...flags], { env: cli.ontapEnv() });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(EXIT.SUCCEEDED);
      return result.stdout.trimEnd().split('\n').slice(1).map((row) => row.split(' ')[0] ?? '');
    };
    expect(new Set(await listed())).toEqual(new Set(Object.values(ids)));
    expect(new Set(await listed('--description', '*snapshot*'))).toEqual(new Set([ids.snapA, ids.snapB]));
    expect(new Set(await listed('--svm', 'vs-filter-a'))).toEqual(new Set([ids.snapA, ids.volume]));
    expect(await listed('--error-code', '460770')).toEqual([ids.snapB]);
    expect(await listed('--svm', 'vs-filter-a', '--state', 'failure')).toEqual([ids.snapA]);
    expect(await listed('--order-by', 'description desc')).toEqual([ids.volume, ids.snapB, ids.snapA]);
    expect(await listed('--order-by', 'description')).toEqual([ids.snapA, ids.snapB, ids.volume]);
  });

  test('`jobwait list --help` lists --max-records and ONTAP\'s filters with their defaults', async () => {
    const help = await runCli(['list', '--help']);
    expect(help.code).toBe(EXIT.SUCCEEDED);
    expect(help.stdout).toMatch(/^ {2}--max-records N {2}at most N jobs .*\[default: every job\]$/m);
    const ontap = help.stdout.slice(help.stdout.indexOf('ONTAP options (list ontap only):\n'));
    for (const flag of ['--description P', '--svm NAME', '--error-code C', '--order-by F']) expect(ontap).toMatch(new RegExp(`^ {2}${flag} .*\\[default: [^\\]]+\\]$`, 'm'));
  });
});
