import { afterEach, beforeEach, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../src/testing/index.js';
import { runExample } from './run-example.js';

test('run with nothing set, the CAS example follows the documented deployment task by task to its failed task, exit code 1', async () => {
  const result = await runExample('cas-aksk.mjs');
  expect(result).toMatchObject({ code: 1, stderr: '' });
  expect(result.lines[0]).toMatch(/^queued 0\/5 /);
  expect(result.lines.at(-1)).toBe('failed at TN00097: ECC00011 Building failed.');
});

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(() => sim.close());

test('pointed by JOBWAIT_CAS_ENDPOINT and HUAWEICLOUD_SDK_* at an endpoint, it signs every request with that AK/SK', async () => {
  sim.cas.auth = { accessKey: 'test-ak', secretKey: 'test-sk' };
  const env = { JOBWAIT_CAS_ENDPOINT: sim.url, HUAWEICLOUD_SDK_PROJECT_ID: '063a3158b1a34710b36ad208b9497d00', HUAWEICLOUD_SDK_AK: 'test-ak', HUAWEICLOUD_SDK_SK: 'test-sk' };
  const result = await runExample('cas-aksk.mjs', [sim.cas.addJob()], { env });
  expect(result.lines.at(-1)).toBe('failed at TN00097: ECC00011 Building failed.');
  expect(sim.requests.length).toBeGreaterThan(1);
  expect(sim.requests.every((r) => r.headers['authorization']?.startsWith('SDK-HMAC-SHA256 Access=test-ak,'))).toBe(true);
});
