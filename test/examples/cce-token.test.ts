import { afterEach, beforeEach, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../src/testing/index.js';
import { runExample } from './run-example.js';

test('run with nothing set, the CCE example waits for running, then for the end', async () => {
  expect(await runExample('cce-token.mjs')).toMatchObject({
    code: 0,
    lines: [expect.stringMatching(/^CreateCluster cluster-name is running: 2 sub-jobs$/), expect.stringMatching(/^CreateCluster succeeded at /)],
    stderr: '',
  });
});

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(() => sim.close());

test('pointed by JOBWAIT_CCE_ENDPOINT at an endpoint, it sends JOBWAIT_HUAWEI_TOKEN on every request', async () => {
  sim.cce.auth = { token: 'test-token' };
  const result = await runExample('cce-token.mjs', [sim.cce.addJob()], { env: { JOBWAIT_CCE_ENDPOINT: sim.url, JOBWAIT_HUAWEI_TOKEN: 'test-token' } });
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.lines.at(-1)).toMatch(/^CreateCluster succeeded at /);
  expect(sim.requests.length).toBeGreaterThan(1);
  expect(sim.requests.every((r) => r.headers['x-auth-token'] === 'test-token')).toBe(true);
});
