import { afterEach, beforeEach, expect, test } from 'vitest';
import { main } from '../../examples/many-jobs.js';
import { startSimulator, type Simulator } from '../../src/testing/index.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(() => sim.close());

test('the fleet example settles every job, batched, and summarizes the ones that need a look', async () => {
  const ok = Array.from({ length: 8 }, () => sim.ontap.addJob());
  const failed = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', error: { code: '917927', message: 'Volume is offline' } }] });
  const missing = '0f1e2d3c-4b5a-4968-8776-655443322110';
  const uuids = [...ok, failed, missing];
  const lines: string[] = [];
  const summary = await main(sim.url, uuids, (line) => lines.push(line));

  expect(summary.counts).toEqual({ succeeded: 8, failed: 1, error: 1 });
  expect(summary.problems).toEqual([`${failed}: failed 917927 Volume is offline`, `${missing}: not found`]);
  expect(lines.slice(-3)).toEqual([`10 jobs: 8 succeeded, 1 failed, 1 error`, `  ${failed}: failed 917927 Volume is offline`, `  ${missing}: not found`]);
  expect(lines).toContain(`${ok[0]?.slice(0, 8)} succeeded`);
  // Batched: every poll is one collection query, never one request per job.
  const paths = sim.requests.map((r) => r.url);
  expect(paths.length).toBeGreaterThan(0);
  expect(paths.every((p) => /\/api\/cluster\/jobs\?/.test(p))).toBe(true);
  expect(paths.length).toBeLessThan(uuids.length);
});
