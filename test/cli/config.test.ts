import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { FAST, root, runCli, useSimulator } from './run-cli.js';

const fixture = (name: string): string => join(root, 'test', 'fixtures', 'tls', `${name}.pem`);
const pem = (name: string): string => readFileSync(fixture(name), 'utf8');

/** The `warning` lines of a run's stderr. */
const warnings = (stderr: string): string[] => stderr.split('\n').filter((line) => line.includes('warning'));

describe('the TLS settings, from flags and the environment, from the real bin', () => {
  const selfSigned = useSimulator({ tls: { key: pem('self-signed-key'), cert: pem('self-signed') } });

  test('JOBWAIT_CA trusts a PEM CA as --ca does, and --ca wins over it', async () => {
    const env = selfSigned.ontapEnv();
    const trusted = await runCli(['get', 'ontap', selfSigned.sim.ontap.addJob()], { env: { ...env, JOBWAIT_CA: fixture('self-signed') } });
    expect(trusted.stderr).toBe('');
    expect(trusted.code).toBe(EXIT.SUCCEEDED);
    // The flag's CA is the one used: the variable's (the test CA) does not sign the server's certificate.
    const flagWins = await runCli(['get', 'ontap', selfSigned.sim.ontap.addJob(), '--ca', fixture('self-signed')], { env: { ...env, JOBWAIT_CA: fixture('ca') } });
    expect(flagWins.code, flagWins.stderr).toBe(EXIT.SUCCEEDED);
    const untrusted = await runCli(['get', 'ontap', selfSigned.sim.ontap.addJob()], { env: { ...env, JOBWAIT_CA: fixture('ca') } });
    expect(untrusted.code).toBe(EXIT.API_ERROR);
  });

  test('a JOBWAIT_CA file that cannot be read is one usage line naming the variable', async () => {
    const result = await runCli(['get', 'ontap', selfSigned.sim.ontap.addJob()], { env: { ...selfSigned.ontapEnv(), JOBWAIT_CA: '/nonexistent/ca.pem' } });
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('jobwait: USAGE: JOBWAIT_CA: cannot read "/nonexistent/ca.pem": ENOENT (see `jobwait get --help`)\n');
  });

  test('JOBWAIT_INSECURE=1 turns verification off as --insecure does, with the same one warning; JOBWAIT_INSECURE=0 leaves it on', async () => {
    const env = selfSigned.ontapEnv();
    const byFlag = await runCli(['wait', 'ontap', selfSigned.sim.ontap.addJob(), '--insecure', ...FAST], { env });
    const byEnv = await runCli(['wait', 'ontap', selfSigned.sim.ontap.addJob(), ...FAST], { env: { ...env, JOBWAIT_INSECURE: '1' } });
    expect(byEnv.code, byEnv.stderr).toBe(EXIT.SUCCEEDED);
    expect(warnings(byEnv.stderr)).toHaveLength(1);
    expect(warnings(byEnv.stderr)).toEqual(warnings(byFlag.stderr));
    expect(warnings(byEnv.stderr)[0]).toMatch(/^jobwait: warning: TLS certificate verification is off for https:\/\/127\.0\.0\.1:\d+ \(--insecure\); trust the server's CA with --ca FILE instead$/);
    const off = await runCli(['get', 'ontap', selfSigned.sim.ontap.addJob()], { env: { ...env, JOBWAIT_INSECURE: '0' } });
    expect(off.code).toBe(EXIT.API_ERROR);
    expect(warnings(off.stderr)).toEqual([]);
  });

  test('each command\'s help, and `jobwait --help`, name JOBWAIT_CA and JOBWAIT_INSECURE beside --ca and --insecure', async () => {
    for (const command of ['wait', 'get', 'list', 'cancel']) {
      const help = (await runCli([command, '--help'])).stdout;
      expect(help).toMatch(/^ {2}--ca FILE {8}.*\[default: the system CAs; env: JOBWAIT_CA\]$/m);
      expect(help).toMatch(/^ {2}--insecure {7}.*\[default: off; env: JOBWAIT_INSECURE=1\]$/m);
    }
    const full = (await runCli(['--help'])).stdout;
    expect(full).toMatch(/^ {2}--ca FILE .*JOBWAIT_CA=FILE$/m);
    expect(full).toMatch(/^ {2}--insecure .*JOBWAIT_INSECURE=1$/m);
  });
});
