import { afterEach, beforeEach, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../src/testing/index.js';
import { runExample } from './run-example.js';

test('run with nothing set, the ONTAP example waits on a simulated job from its 202 answer to success and logs each change', async () => {
  expect(await runExample('ontap-wait.mjs')).toMatchObject({
    code: 0,
    lines: ['queued: Queued', 'running: creating_node_backups', 'succeeded: Complete: Successful', 'done: succeeded'],
    stderr: '',
  });
});

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(() => sim.close());

test('pointed by JOBWAIT_ONTAP_* at a cluster, it waits on the job named on its command line, with those credentials, and reports a failure by its vendor code', async () => {
  sim.ontap.credentials = { username: 'ops', password: 's3cret' };
  const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', message: 'Volume is offline', error: { code: '917927', message: 'Volume is offline' } }] });
  const result = await runExample('ontap-wait.mjs', [uuid], { env: { JOBWAIT_ONTAP_URL: sim.url, JOBWAIT_ONTAP_USER: 'ops', JOBWAIT_ONTAP_PASSWORD: 's3cret' } });
  expect(result).toMatchObject({ code: 1, stderr: '' });
  expect(result.lines.at(-1)).toBe('failed with 917927: Volume is offline');
  expect(sim.requests.length).toBeGreaterThan(0);
  expect(sim.requests.every((r) => r.url.includes(`/api/cluster/jobs/${uuid}`))).toBe(true);
});
