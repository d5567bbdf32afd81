import { describe, expect, test } from 'vitest';
import { SHIPPED_VENDORS } from '../../adapters/registry.js';
import { parseDuration, usage } from '../../src/cli/args.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { commandHelp } from '../../src/cli/help.js';
import { SCHEDULE_CONSTANTS, WAIT_DEFAULTS } from '../../src/engine/options.js';
import { FAST, PROJECT, runCli, STACK_LINE, useSimulator } from './run-cli.js';

const PASSWORD = 'verbose-pa55word-never-shown';
const SECRET_KEY = 'verbose-secret-key-never-shown';

/** The lines of a help section, from its title to the next blank line. */
function section(help: string, title: string): string[] {
  const start = help.indexOf(`${title}\n`);
  if (start < 0) return [];
  const rest = help.slice(start + title.length + 1);
  return rest.slice(0, rest.indexOf('\n\n') < 0 ? undefined : rest.indexOf('\n\n')).split('\n');
}

describe('help and usage errors, from the real bin', () => {
  const cli = useSimulator();

  test('`jobwait wait --help` lists each of its flags with its default, and the environment variables', async () => {
    const help = await runCli(['wait', '--help']);
    expect(help.code).toBe(EXIT.SUCCEEDED);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^Usage: jobwait wait <ontap\|cas\|cce> <id>… /);
    const options = section(help.stdout, 'Options:');
    expect(options.map((line) => line.trim().split(' ')[0])).toEqual(['--timeout', '--min-delay', '--max-delay', '--until', '--no-fail', '-q,', '--json']);
    for (const line of options) expect(line).toContain('default: ');
    expect(options[0]).toContain('default: 30m');
    for (const name of ['JOBWAIT_ONTAP_URL', 'JOBWAIT_CAS_ENDPOINT', 'HTTPS_PROXY', 'JOBWAIT_DEBUG', '--ca FILE', '--insecure', '--verbose']) expect(help.stdout).toContain(name);
    // Only the wait's help: not the list of every command.
    expect(help.stdout).not.toContain('Exit codes:');
    expect((await runCli(['help', 'wait'])).stdout).toBe(help.stdout);
  });

  test('every command has its own help, and `simulate --help` names its --port default', async () => {
    for (const command of ['get', 'list', 'cancel', 'pause', 'resume', 'simulate', 'demo']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(EXIT.SUCCEEDED);
      expect(help.stdout.startsWith(`Usage: jobwait ${command}`)).toBe(true);
    }
    expect((await runCli(['simulate', '--help'])).stdout).toMatch(/--port N .*default: a free port/);
  });

  test('an unknown flag is one clean line that names it, never its value, and points to the command\'s help', async () => {
    const result = await runCli(['wait', 'ontap', 'x', '--frobnicate=s3cret-value']);
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('jobwait: USAGE: unknown flag --frobnicate (see `jobwait wait --help`)\n');
    const short = await runCli(['get', '-x']);
    expect(short.stderr).toBe('jobwait: USAGE: unknown flag -x (see `jobwait get --help`)\n');
  });

  test('a flag without its value, a boolean flag with one, and a missing id are one line each', async () => {
    const missingValue = await runCli(['wait', 'ontap', 'x', '--timeout']);
    expect(missingValue.code).toBe(EXIT.USAGE);
    expect(missingValue.stderr).toBe('jobwait: USAGE: --timeout needs a value (see `jobwait wait --help`)\n');
    const withValue = await runCli(['wait', 'ontap', 'x', '--json=yes']);
    expect(withValue.stderr).toBe('jobwait: USAGE: --json takes no value (see `jobwait wait --help`)\n');
    const missingId = await runCli(['wait', 'ontap']);
    expect(missingId.code).toBe(EXIT.USAGE);
    expect(missingId.stderr).toBe('jobwait: USAGE: the job id is missing: jobwait wait ontap <job id>… (see `jobwait wait --help`)\n');
    const unknownCommand = await runCli(['wiat', 'ontap']);
    expect(unknownCommand.stderr).toBe('jobwait: USAGE: unknown command "wiat" (see `jobwait --help`)\n');
    for (const result of [missingValue, withValue, missingId, unknownCommand]) expect(result.stderr).not.toMatch(STACK_LINE);
  });

  test('--verbose prints each request (method, path, status, time) and each retry on stderr, never the password', async () => {
    cli.sim.ontap.credentials = { username: 'admin', password: PASSWORD };
    try {
      const id = cli.sim.ontap.addJob();
      cli.sim.fault({ path: id, type: 'status', status: 503 });
      const result = await runCli(['wait', 'ontap', id, '--verbose', ...FAST], { env: cli.ontapEnv(PASSWORD) });
      expect(result.code).toBe(EXIT.SUCCEEDED);
      const debug = result.stderr.split('\n').filter((line) => line.startsWith('jobwait: debug: '));
      expect(debug[0]).toMatch(new RegExp(`^jobwait: debug: GET /api/cluster/jobs/${id}\\S* 503 in \\d+ ms$`));
      expect(debug[1]).toMatch(new RegExp(`^jobwait: debug: retrying GET /api/cluster/jobs/${id}\\S* after attempt 1: `));
      expect(debug.slice(2).every((line) => new RegExp(`^jobwait: debug: GET /api/cluster/jobs/${id}\\S* 200 in \\d+ ms$`).test(line))).toBe(true);
      expect(debug.length).toBeGreaterThanOrEqual(4);
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
      const quiet = await runCli(['get', 'ontap', cli.sim.ontap.addJob()], { env: cli.ontapEnv(PASSWORD) });
      expect(quiet.stderr).toBe('');
    } finally {
      cli.sim.ontap.credentials = undefined;
    }
  });

  test('JOBWAIT_DEBUG=1 does what --verbose does (here with an AK/SK signature, which is never shown)', async () => {
    cli.sim.cas.auth = { accessKey: 'AKVERBOSE', secretKey: SECRET_KEY };
    try {
      const env = { JOBWAIT_CAS_ENDPOINT: cli.sim.url, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT, HUAWEICLOUD_SDK_AK: 'AKVERBOSE', HUAWEICLOUD_SDK_SK: SECRET_KEY };
      const result = await runCli(['get', 'cas', cli.sim.cas.addJob({ jobId: 'JOB-cli-debug' })], { env: { ...env, JOBWAIT_DEBUG: '1' } });
      expect(result.code).toBe(EXIT.SUCCEEDED);
      expect(result.stderr).toMatch(/^jobwait: debug: GET \/\S*JOB-cli-debug\S* 200 in \d+ ms\n$/);
      expect(result.stdout + result.stderr).not.toContain(SECRET_KEY);
      const off = await runCli(['get', 'cas', cli.sim.cas.addJob({ jobId: 'JOB-cli-debug-off' })], { env: { ...env, JOBWAIT_DEBUG: '0' } });
      expect(off.stderr).toBe('');
    } finally {
      cli.sim.cas.auth = undefined;
    }
  });
});

describe('the defaults the help shows', () => {
  test('are the engine\'s own: --timeout, --min-delay, --max-delay and the growth factor, in `jobwait --help` and in `jobwait wait --help`', () => {
    const engine = { '--timeout': WAIT_DEFAULTS.timeoutMs, '--min-delay': WAIT_DEFAULTS.minDelayMs, '--max-delay': WAIT_DEFAULTS.maxDelayMs };
    const waitHelp = section(commandHelp('wait', SHIPPED_VENDORS) ?? '', 'Options:');
    const fullHelp = usage(SHIPPED_VENDORS).split('\n');
    for (const [flag, ms] of Object.entries(engine)) {
      const own = waitHelp.find((line) => line.trim().startsWith(`${flag} `)) ?? '';
      expect(parseDuration(/default: ([^;\]]+)/.exec(own)?.[1] ?? '', flag), own).toBe(ms);
      const full = fullHelp.find((line) => line.trim().startsWith(`${flag} `)) ?? '';
      expect(parseDuration(/\(default (\S+?)\)/.exec(full)?.[1] ?? '', flag), full).toBe(ms);
    }
    const factor = `×${SCHEDULE_CONSTANTS.factor}`;
    expect(waitHelp.find((line) => line.trim().startsWith('--min-delay '))).toContain(factor);
    expect(fullHelp.find((line) => line.trim().startsWith('--min-delay '))).toContain(factor);
  });

  test('a command\'s help pads every flag line to its longest flag, a vendor\'s own and the TLS ones included', () => {
    const [ontap, ...others] = SHIPPED_VENDORS;
    const jobs = ontap?.cli.jobs;
    if (ontap === undefined || jobs === undefined) throw new Error('ontap has no job commands');
    const long = '--a-filter-longer-than-the-rest V';
    const vendors = [{ ...ontap, cli: { ...ontap.cli, jobs: { ...jobs, listFlags: { ...jobs.listFlags, 'a-filter-longer-than-the-rest': { usage: long, text: 'x', default: 'none' } } } } }, ...others];
    const help = commandHelp('list', vendors) ?? '';
    // Where each flag line's text starts: after the flag and its padding (at least two spaces).
    const starts = help.split('\n').flatMap((line) => (/^ {2}-/.test(line) ? [/^ {2}\S+(?: \S+)* {2,}/.exec(line)?.[0].length] : []));
    expect(starts.length).toBeGreaterThan(8);
    expect(new Set(starts)).toEqual(new Set([2 + long.length + 2]));
  });
});
