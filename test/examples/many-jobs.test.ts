import { afterEach, beforeEach, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../src/testing/index.js';
import { runExample } from './run-example.js';

test('run with nothing set, the fleet example settles every simulated job and summarizes the ones that need a look', async () => {
  const { code, lines, stderr } = await runExample('many-jobs.mjs');
  expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
  expect(lines.slice(-3)).toEqual(['10 jobs: 8 succeeded, 1 failed, 1 error', expect.stringMatching(/^ {2}[0-9a-f-]{36}: failed 917927 Volume is offline$/), '  0f1e2d3c-4b5a-4968-8776-655443322110: not found']);
  expect(lines.filter((line) => / succeeded$/.test(line))).toHaveLength(8);
});

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(() => sim.close());

test('pointed by JOBWAIT_ONTAP_URL at a cluster, it waits on the ids of its command line with one batched query per round', async () => {
  const ok = Array.from({ length: 8 }, () => sim.ontap.addJob());
  const failed = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', error: { code: '917927', message: 'Volume is offline' } }] });
  const missing = '0f1e2d3c-4b5a-4968-8776-655443322110';
  const uuids = [...ok, failed, missing];
  const { code, lines } = await runExample('many-jobs.mjs', uuids, { env: { JOBWAIT_ONTAP_URL: sim.url } });

  expect(code).toBe(1);
  expect(lines.slice(-3)).toEqual(['10 jobs: 8 succeeded, 1 failed, 1 error', `  ${failed}: failed 917927 Volume is offline`, `  ${missing}: not found`]);
  expect(lines).toContain(`${ok[0]?.slice(0, 8)} succeeded`);
  // Batched: every poll is one collection query, never one request per job.
  const paths = sim.requests.map((r) => r.url);
  expect(paths.length).toBeGreaterThan(0);
  expect(paths.every((p) => /\/api\/cluster\/jobs\?/.test(p))).toBe(true);
  expect(paths.length).toBeLessThan(uuids.length);
});
