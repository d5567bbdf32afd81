import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { cliPath, root, runCli } from './run-cli.js';

const REDIS_PASSWORD = 'redis-pa55word-never-shown';

describe('jobwait worker: usage', () => {
  test.each([
    [[], 'a vendor is required'],
    [['ontap='], 'must be <vendor> or <vendor>=NAME'],
    [['ontap=a=b'], 'must be <vendor> or <vendor>=NAME'],
    [['nosuch'], 'unknown vendor'],
    [['ontap=x', 'cce=x'], 'is given twice'],
    [['ontap', '--redis', 'http://127.0.0.1:6379'], '--redis must be a redis:// or rediss:// URL'],
    [['ontap', '--concurrency', '0'], '--concurrency must be a whole number of 1 or more'],
  ])('jobwait worker %j is a usage error in one line, exit 2', async (args, message) => {
    const result = await runCli(['worker', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe.runIf(redisAvailable())('jobwait worker against a real Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  test('says what it polls (the Redis without its password), and SIGTERM stops it cleanly with exit 0', async () => {
    const child = spawn(process.execPath, [cliPath, 'worker', 'ontap=cluster1', 'cce'], {
      cwd: root,
      env: {
        PATH: process.env['PATH'] ?? '',
        NO_COLOR: '1',
        // A password this Redis does not ask for: its refusal comes back, and must not quote it.
        JOBWAIT_REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:${redis.port}/0`,
        JOBWAIT_ONTAP_URL: 'https://cluster1.example.com',
        JOBWAIT_ONTAP_USER: 'admin',
        JOBWAIT_ONTAP_PASSWORD: 'ontap-pa55word-never-shown',
        JOBWAIT_CCE_ENDPOINT: 'https://cce.example.com',
        HUAWEICLOUD_SDK_PROJECT_ID: '063a3158b1a34710b36ad208b9497d00',
        JOBWAIT_HUAWEI_TOKEN: 'huawei-token-never-shown',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = once(child, 'exit');
    const deadline = Date.now() + 10_000;
    while (!stderr.includes('polling') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(stderr).toContain(`jobwait worker: polling cluster1 (ontap), cce from redis://127.0.0.1:${redis.port}/0, prefix jobwait`);
    expect(stderr).toContain('jobwait worker: stopped');
    expect(code).toBe(0);
    expect(stdout).toBe('');
    for (const secret of [REDIS_PASSWORD, 'ontap-pa55word-never-shown', 'huawei-token-never-shown']) expect(stderr).not.toContain(secret);
  }, 20_000);
});
