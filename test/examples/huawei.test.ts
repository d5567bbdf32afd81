import { afterEach, beforeEach, expect, test } from 'vitest';
import { main as casExample } from '../../examples/cas-aksk.js';
import { main as cceExample } from '../../examples/cce-token.js';
import { startSimulator, type Simulator } from '../../src/testing/index.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(() => sim.close());

test('the CAS example signs with AK/SK and reports the failed task of the documented deployment', async () => {
  sim.cas.auth = { accessKey: 'example-ak', secretKey: 'example-sk' };
  const lines: string[] = [];
  await expect(casExample(sim.url, sim.cas.addJob(), (line) => lines.push(line))).resolves.toBeUndefined();
  expect(lines[0]).toMatch(/^queued 0\/5 /);
  expect(lines.at(-1)).toBe('failed at TN00097: ECC00011 Building failed.');
  expect(sim.requests.every((r) => r.headers['authorization']?.startsWith('SDK-HMAC-SHA256 Access=example-ak,'))).toBe(true);
});

test('the CCE example waits for running, then for the end, with a token', async () => {
  sim.cce.auth = { token: 'example-token' };
  const lines: string[] = [];
  const job = await cceExample(sim.url, sim.cce.addJob(), (line) => lines.push(line));
  expect(job.state).toBe('succeeded');
  expect(lines).toEqual([expect.stringMatching(/^CreateCluster cluster-name is running: 2 sub-jobs$/), expect.stringMatching(/^CreateCluster succeeded at /)]);
});
