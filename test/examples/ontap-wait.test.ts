import { afterEach, beforeEach, expect, test } from 'vitest';
import { main } from '../../examples/ontap-wait.js';
import { startSimulator, type Simulator } from '../../src/testing/index.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(() => sim.close());

const accepted = (uuid: string): unknown => ({ job: { uuid, _links: { self: { href: `/api/cluster/jobs/${uuid}` } } } });

test('the ONTAP example waits from a 202 answer to success and logs each change', async () => {
  const uuid = sim.ontap.addJob();
  const lines: string[] = [];
  const job = await main(sim.url, accepted(uuid), (line) => lines.push(line));
  expect(job?.state).toBe('succeeded');
  expect(lines).toEqual(['queued: Queued', 'running: creating_node_backups', 'succeeded: Complete: Successful']);
});

test('the ONTAP example reports a failed job by its vendor code', async () => {
  const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', message: 'Volume is offline', error: { code: '917927', message: 'Volume is offline' } }] });
  const lines: string[] = [];
  await expect(main(sim.url, accepted(uuid), (line) => lines.push(line))).resolves.toBeUndefined();
  expect(lines.at(-1)).toBe('failed with 917927: Volume is offline');
});
