import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
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

const PASSPHRASE = 'key-pa55phrase-never-shown';

describe('ONTAP client certificates, from flags and the environment, from the real bin', () => {
  // The simulator demands a client certificate signed by the test CA.
  const mutual = useSimulator({ tls: { key: pem('server-key'), cert: pem('server'), ca: pem('ca'), requestCert: true } });
  const dir = mkdtempSync(join(tmpdir(), 'jobwait-cert-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const encryptedKey = join(dir, 'client-key.encrypted.pem');
  writeFileSync(encryptedKey, createPrivateKey(pem('client-key')).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }));
  const env = (): Record<string, string> => ({ ...mutual.ontapEnv(), JOBWAIT_CA: fixture('ca') });
  const job = (): string => mutual.sim.ontap.addJob({ steps: [{ state: 'success' }] });

  test('--cert FILE and --key FILE authenticate the client, and JOBWAIT_ONTAP_CERT / JOBWAIT_ONTAP_KEY do the same', async () => {
    const without = await runCli(['get', 'ontap', job()], { env: env() });
    expect(without.code).toBe(EXIT.API_ERROR);
    const byFlags = await runCli(['get', 'ontap', job(), '--cert', fixture('client'), '--key', fixture('client-key')], { env: env() });
    expect(byFlags.stderr).toBe('');
    expect(byFlags.code).toBe(EXIT.SUCCEEDED);
    const byEnv = await runCli(['wait', 'ontap', job(), ...FAST], { env: { ...env(), JOBWAIT_ONTAP_CERT: fixture('client'), JOBWAIT_ONTAP_KEY: fixture('client-key') } });
    expect(byEnv.code, byEnv.stderr).toBe(EXIT.SUCCEEDED);
  });

  test('an encrypted key is decrypted with JOBWAIT_ONTAP_KEY_PASSPHRASE, which no output shows, and never taken as a flag', async () => {
    const args = ['get', 'ontap', job(), '--cert', fixture('client'), '--key', encryptedKey, '--json'];
    const ok = await runCli([...args, '--verbose'], { env: { ...env(), JOBWAIT_ONTAP_KEY_PASSPHRASE: PASSPHRASE } });
    expect(ok.code, ok.stderr).toBe(EXIT.SUCCEEDED);
    const missing = await runCli(args, { env: env() });
    expect(missing.code).toBe(EXIT.USAGE);
    expect(missing.stderr).toBe(`jobwait: USAGE: --key: ${JSON.stringify(encryptedKey)} is not a PEM private key, or it is encrypted: set JOBWAIT_ONTAP_KEY_PASSPHRASE (see \`jobwait get --help\`)\n`);
    const wrong = await runCli(args, { env: { ...env(), JOBWAIT_ONTAP_KEY_PASSPHRASE: `not-${PASSPHRASE}` } });
    expect(wrong.code).toBe(EXIT.USAGE);
    expect(wrong.stderr).toBe(`jobwait: USAGE: --key: ${JSON.stringify(encryptedKey)} does not decrypt with JOBWAIT_ONTAP_KEY_PASSPHRASE (or is not a PEM private key) (see \`jobwait get --help\`)\n`);
    const asFlag = await runCli([...args, `--key-passphrase=${PASSPHRASE}`], { env: env() });
    expect(asFlag.code).toBe(EXIT.USAGE);
    expect(asFlag.stderr).toMatch(/^jobwait: USAGE: --key-passphrase is refused: .*; set JOBWAIT_ONTAP_KEY_PASSPHRASE \(see `jobwait get --help`\)\n$/);
    for (const result of [ok, missing, wrong, asFlag]) expect(result.stdout + result.stderr).not.toContain(PASSPHRASE);
  });

  test('a certificate without its key, or a file that is not PEM, is one usage line', async () => {
    const alone = await runCli(['get', 'ontap', job(), '--cert', fixture('client')], { env: env() });
    expect(alone.code).toBe(EXIT.USAGE);
    expect(alone.stderr).toBe('jobwait: USAGE: a client certificate needs both --cert and --key (or JOBWAIT_ONTAP_CERT and JOBWAIT_ONTAP_KEY) (see `jobwait get --help`)\n');
    const swapped = await runCli(['get', 'ontap', job()], { env: { ...env(), JOBWAIT_ONTAP_CERT: fixture('client-key'), JOBWAIT_ONTAP_KEY: fixture('client') } });
    expect(swapped.stderr).toBe(`jobwait: USAGE: JOBWAIT_ONTAP_CERT: ${JSON.stringify(fixture('client-key'))} is not a PEM certificate (see \`jobwait get --help\`)\n`);
    const unreadable = await runCli(['get', 'ontap', job(), '--cert', fixture('client'), '--key', join(dir, 'missing.pem')], { env: env() });
    expect(unreadable.stderr).toBe(`jobwait: USAGE: --key: cannot read ${JSON.stringify(join(dir, 'missing.pem'))}: ENOENT (see \`jobwait get --help\`)\n`);
  });

  test('each command\'s help names --cert, --key, their variables and the passphrase\'s', async () => {
    for (const command of ['wait', 'get', 'list']) {
      const help = (await runCli([command, '--help'])).stdout;
      expect(help).toMatch(/^ {11}--cert FILE {5}or JOBWAIT_ONTAP_CERT: .*default: none/m);
      expect(help).toMatch(/^ {11}--key FILE {6}or JOBWAIT_ONTAP_KEY: /m);
      expect(help).toContain('JOBWAIT_ONTAP_KEY_PASSPHRASE');
    }
  });
});
