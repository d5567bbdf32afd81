import { describe, expect, it } from 'vitest';
import type { OntapClient } from '../../../adapters/ontap/index.js';
import { InvalidArgumentError, InvalidResponseError } from '../../../src/index.js';
import type { Simulator } from '../../../src/testing/index.js';
import { useOntapHarness } from '../../helpers/ontap-harness.js';

let sim: Simulator;
let ontap: OntapClient;
useOntapHarness((harness) => ({ sim, ontap } = harness));

const collectionRequests = (): typeof sim.requests => sim.requests.filter((r) => r.path === '/api/cluster/jobs');

describe('getJobs', () => {
  it('reads several jobs with one collection query (uuid=a|b|c) and answers under the ids as given', async () => {
    const a = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const b = sim.ontap.addJob({ steps: [{ state: 'success' }] });
    const c = sim.ontap.addJob({ steps: [{ state: 'failure', message: 'boom' }] });
    const jobs = await ontap.getJobs([a, b.toUpperCase(), c]);
    expect(collectionRequests()).toHaveLength(1);
    expect(collectionRequests()[0]?.query.get('uuid')).toBe([a, b, c].map((id) => id.toLowerCase()).join('|'));
    expect(collectionRequests()[0]?.query.get('fields')).toBe('*');
    expect([...jobs.keys()]).toEqual([a, b.toUpperCase(), c]);
    expect(jobs.get(a)?.state).toBe('running');
    expect(jobs.get(b.toUpperCase())?.state).toBe('succeeded');
    expect(jobs.get(c)?.error?.message).toBe('boom');
  });

  it('leaves out a job ONTAP does not return (never existed or deleted)', async () => {
    const a = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const gone = sim.ontap.addJob();
    sim.ontap.deleteJob(gone);
    const jobs = await ontap.getJobs([a, gone, '00000000-0000-4000-8000-000000000000']);
    expect([...jobs.keys()]).toEqual([a]);
  });

  it('splits 250 jobs into chunks whose URLs stay under 4,000 characters and reads them all', async () => {
    const ids = Array.from({ length: 250 }, () => sim.ontap.addJob({ steps: [{ state: 'running' }] }));
    const jobs = await ontap.getJobs(ids);
    expect(jobs.size).toBe(250);
    const requests = collectionRequests();
    expect(requests.length).toBe(3);
    for (const request of requests) expect(request.url.length).toBeLessThanOrEqual(4_000);
    const asked = requests.flatMap((r) => (r.query.get('uuid') ?? '').split('|'));
    expect(new Set(asked).size).toBe(250);
  });

  it('follows _links.next within a chunk', async () => {
    const a = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const b = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const next = `/api/cluster/jobs?uuid=${b}&fields=*`;
    sim.fault({
      type: 'raw',
      path: '/api/cluster/jobs',
      contentType: 'application/json',
      body: JSON.stringify({ records: [{ uuid: a, state: 'running' }], num_records: 1, _links: { next: { href: next } } }),
    });
    const jobs = await ontap.getJobs([a, b]);
    expect([...jobs.keys()].sort()).toEqual([a, b].sort());
    expect(collectionRequests().map((r) => r.url)).toEqual([expect.stringContaining('uuid='), next]);
  });

  it('refuses a page link that repeats a page', async () => {
    const a = sim.ontap.addJob();
    const body = JSON.stringify({ records: [], _links: { next: { href: `/api/cluster/jobs?uuid=${a}` } } });
    sim.fault({ type: 'raw', path: '/api/cluster/jobs', contentType: 'application/json', body, times: 5 });
    await expect(ontap.getJobs([a])).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('counts as a poll of each job it reads (the simulator advances their scripts)', async () => {
    const a = sim.ontap.addJob({ steps: [{ state: 'queued' }, { state: 'running' }, { state: 'success' }] });
    const states: string[] = [];
    for (let i = 0; i < 3; i++) states.push((await ontap.getJobs([a])).get(a)?.state ?? 'missing');
    expect(states).toEqual(['queued', 'running', 'succeeded']);
  });

  it('refuses a hostile or non-UUID id with InvalidArgumentError before any request', async () => {
    for (const ids of [['a/b'], ['not-a-uuid'], [''], 'x' as unknown as string[]]) {
      await expect(ontap.getJobs(ids)).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(sim.requests).toHaveLength(0);
  });

  it('answers an empty list without a request', async () => {
    await expect(ontap.getJobs([])).resolves.toEqual(new Map());
    expect(sim.requests).toHaveLength(0);
  });
});
