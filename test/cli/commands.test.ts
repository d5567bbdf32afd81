import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { cliPath, FAST, PROJECT, root, runCli, STACK_LINE, useSimulator } from './run-cli.js';

const PASSWORD = 'stdin-pa55word-never-shown';
const SECRET_KEY = 'huawei-secret-key-never-shown';

describe('jobwait commands, from the real bin', () => {
  const cli = useSimulator();

  const { ontapEnv, huaweiEnv } = cli;

  test('--version prints package.json\'s version; --help exits 0 and documents the exit codes', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: jobwait');
    expect(help.stdout).toContain('130 interrupted');
    expect(readFileSync(cliPath, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  test('--json prints NDJSON: every line parses, snapshots then one outcome line', async () => {
    const jobId = cli.sim.cce.addJob();
    const result = await runCli(['wait', 'cce', jobId, '--json', ...FAST], { env: huaweiEnv() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; status?: string; job?: { state: string; tasks: unknown[] } });
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.slice(0, -1).every((line) => line.type === 'snapshot')).toBe(true);
    expect(lines[0]?.job?.state).toBe('queued');
    expect(lines.at(-1)).toMatchObject({ type: 'outcome', status: 'succeeded', exitCode: 0, job: { state: 'succeeded' } });
    expect(lines.at(-1)?.job?.tasks).toHaveLength(2);
  });

  test('--json on a failure ends with an outcome line that carries the typed error', async () => {
    const jobId = cli.sim.cas.addJob({ jobId: 'JOB-cli-json-failed' });
    const result = await runCli(['wait', 'cas', jobId, '--json', ...FAST], { env: huaweiEnv() });
    expect(result.code).toBe(EXIT.FAILED);
    const last = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as { type: string; status: string; error: { code: string } };
    expect(last).toMatchObject({ type: 'outcome', status: 'failed', exitCode: 1, error: { code: 'JOB_FAILED' } });
    expect(result.stderr).toContain('JOB_FAILED');
  });

  test('--password-stdin reads the password; AK/SK from HUAWEICLOUD_SDK_*; secrets never printed', async () => {
    cli.sim.ontap.credentials = { username: 'admin', password: PASSWORD };
    try {
      const ok = await runCli(['wait', 'ontap', cli.sim.ontap.addJob(), '--user', 'admin', '--password-stdin', ...FAST], {
        env: { JOBWAIT_ONTAP_URL: cli.sim.url },
        stdin: `${PASSWORD}\n`,
      });
      expect(ok.stderr).not.toContain('jobwait:');
      expect(ok.code).toBe(EXIT.SUCCEEDED);
      const wrong = await runCli(['wait', 'ontap', cli.sim.ontap.addJob(), '--user', 'admin', '--password-stdin', '--json', ...FAST], {
        env: { JOBWAIT_ONTAP_URL: cli.sim.url },
        stdin: `not-${PASSWORD}\n`,
      });
      expect(wrong.code).toBe(EXIT.AUTHENTICATION);
      expect(wrong.stdout + wrong.stderr).not.toContain(PASSWORD);
    } finally {
      cli.sim.ontap.credentials = undefined;
    }
    cli.sim.cas.auth = { accessKey: 'AKDEMO', secretKey: SECRET_KEY };
    try {
      const env = { JOBWAIT_CAS_ENDPOINT: cli.sim.url, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT, HUAWEICLOUD_SDK_AK: 'AKDEMO' };
      const signed = await runCli(['get', 'cas', cli.sim.cas.addJob({ jobId: 'JOB-cli-aksk' })], { env: { ...env, HUAWEICLOUD_SDK_SK: SECRET_KEY } });
      expect(signed.code).toBe(EXIT.SUCCEEDED);
      const refused = await runCli(['get', 'cas', 'JOB-cli-aksk', '--json'], { env: { ...env, HUAWEICLOUD_SDK_SK: `x${SECRET_KEY}` } });
      expect(refused.code).toBe(EXIT.AUTHENTICATION);
      expect(refused.stdout + refused.stderr + signed.stdout + signed.stderr).not.toContain(SECRET_KEY);
    } finally {
      cli.sim.cas.auth = undefined;
    }
  });

  test('get prints one snapshot (text or JSON)', async () => {
    const jobId = cli.sim.cas.addJob({ jobId: 'JOB-cli-get' });
    const text = await runCli(['get', 'cas', jobId], { env: huaweiEnv() });
    expect(text.code).toBe(EXIT.SUCCEEDED);
    expect(text.stdout).toContain(`cas job ${jobId}`);
    expect(text.stdout).toContain('state:    queued (SUBMITTED)');
    expect(text.stdout).toContain('TN00097');
    const json = await runCli(['get', 'cas', jobId, '--json'], { env: huaweiEnv() });
    expect(JSON.parse(json.stdout)).toMatchObject({ type: 'job', job: { vendor: 'cas', id: jobId } });
  });

  test('list ontap --state filters; cancel/pause/resume act on ONTAP jobs and refuse other vendors', async () => {
    const running = cli.sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const done = cli.sim.ontap.addJob({ steps: [{ state: 'success' }] });
    const list = await runCli(['list', 'ontap', '--state', 'running'], { env: ontapEnv() });
    expect(list.code).toBe(EXIT.SUCCEEDED);
    expect(list.stdout).toContain(running);
    expect(list.stdout).not.toContain(done);
    for (const action of ['pause', 'resume', 'cancel']) {
      const result = await runCli([action, 'ontap', running], { env: ontapEnv() });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(EXIT.SUCCEEDED);
      expect(result.stdout).toContain(`${action} accepted`);
    }
    const refused = await runCli(['cancel', 'cas', 'JOB1'], { env: huaweiEnv() });
    expect(refused.code).toBe(EXIT.USAGE);
    const listCas = await runCli(['list', 'cas'], { env: huaweiEnv() });
    expect(listCas.code).toBe(EXIT.USAGE);
  });

  test('demo exits 0 within 20 s and prints the summary table', async () => {
    const result = await runCli(['demo'], { timeoutMs: 20_000 });
    expect(result.stderr).not.toContain('jobwait:');
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(result.ms).toBeLessThan(20_000);
    expect(result.stdout).toMatch(/VENDOR\s+JOB\s+EXPECTED\s+OUTCOME\s+DETAIL\s+MATCH/);
    expect(result.stdout).toMatch(/^ontap .* succeeded .* yes$/m);
    expect(result.stdout).toMatch(/^cas .* failed \(FAILED\) .*TN00097: ECC00011.* yes$/m);
    expect(result.stdout).toMatch(/^cce .* succeeded .* yes$/m);
    expect(result.stdout).toContain('Every outcome matches its script');
  }, 25_000);

  test('simulate serves the scripted jobs until SIGINT, then exits 0', async () => {
    const child = spawn(process.execPath, [cliPath, 'simulate', '--port', '0'], { cwd: root, env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout}${stderr}`)), 8_000);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match?.[1] && stdout.includes('jobwait cancel ontap')) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    try {
      const uuid = /jobwait wait ontap (\S+)/.exec(stdout)?.[1] ?? '';
      const result = await runCli(['wait', 'ontap', uuid, ...FAST], { env: { JOBWAIT_ONTAP_URL: url, JOBWAIT_ONTAP_USER: 'admin', JOBWAIT_ONTAP_PASSWORD: 'any' } });
      expect(result.code).toBe(EXIT.SUCCEEDED);
      const casId = /jobwait wait cas (\S+)/.exec(stdout)?.[1] ?? '';
      const cas = await runCli(['wait', 'cas', casId, ...FAST], { env: { JOBWAIT_CAS_ENDPOINT: url, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT, JOBWAIT_HUAWEI_TOKEN: 'any' } });
      expect(cas.code).toBe(EXIT.FAILED);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(STACK_LINE);
  });
});
