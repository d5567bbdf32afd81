import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useOntapHarness } from '../../helpers/ontap-harness.js';
import type { OntapClient, OntapJob, OntapJobQuery } from '../../../adapters/ontap/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { AuthenticationError, InvalidArgumentError, InvalidResponseError } from '../../../src/index.js';

let sim: Simulator;
let ontap: OntapClient;
const { connect } = useOntapHarness((harness) => ({ sim, ontap } = harness));

async function collect(iterable: AsyncIterable<OntapJob>): Promise<OntapJob[]> {
  const jobs: OntapJob[] = [];
  for await (const job of iterable) jobs.push(job);
  return jobs;
}

/** Reads until the iterator throws; returns what was read and the error. */
async function collectUntilError(iterable: AsyncIterable<OntapJob>): Promise<{ jobs: OntapJob[]; error: unknown }> {
  const jobs: OntapJob[] = [];
  try {
    for await (const job of iterable) jobs.push(job);
  } catch (error) {
    return { jobs, error };
  }
  throw new Error('expected listJobs to throw');
}

function page(records: Record<string, unknown>[], next?: string): string {
  return JSON.stringify({ records, num_records: records.length, ...(next === undefined ? {} : { _links: { next: { href: next } } }) });
}

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const COLLECTION = /^\/api\/cluster\/jobs(\?|$)/;

describe('listJobs pages', () => {
  it('follows _links.next across pages: 5 jobs with max_records 2 take 3 requests', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => sim.ontap.addJob({ description: `job ${i}`, steps: [{ state: 'running' }] }));
    const jobs = await collect(ontap.listJobs({ max_records: 2 }));
    expect(jobs.map((j) => j.id)).toEqual(ids);
    expect(jobs.every((j) => j.vendor === 'ontap' && j.state === 'running')).toBe(true);
    expect(sim.requests).toHaveLength(3);
    expect(sim.requests.every((r) => r.method === 'GET' && r.path === '/api/cluster/jobs')).toBe(true);
    expect(sim.requests.map((r) => r.query.get('start.index'))).toEqual([null, '2', '4']);
    expect(sim.requests.every((r) => r.query.get('max_records') === '2')).toBe(true);
  });

  it('reads a single page when there is no next link', async () => {
    sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.ontap.addJob({ steps: [{ state: 'success' }] });
    const jobs = await collect(ontap.listJobs());
    expect(jobs.map((j) => j.state)).toEqual(['running', 'succeeded']);
    expect(sim.requests).toHaveLength(1);
  });

  it('yields nothing from an empty collection', async () => {
    await expect(collect(ontap.listJobs())).resolves.toEqual([]);
    expect(sim.requests).toHaveLength(1);
  });

  it('normalizes every record like getJob does', async () => {
    sim.ontap.addJob({ description: 'Vol move', steps: [{ state: 'failure', message: 'No space', code: 917927 }] });
    const [job] = await collect(ontap.listJobs());
    expect(job?.state).toBe('failed');
    expect(job?.description).toBe('Vol move');
    expect(job?.error).toEqual({ code: '917927', message: 'No space' });
    expect(job?.endedAt).toBeInstanceOf(Date);
  });

  it('can be broken out of early, and then reads no further page', async () => {
    for (let i = 0; i < 5; i++) sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const seen: string[] = [];
    for await (const job of ontap.listJobs({ max_records: 1 })) {
      seen.push(job.id);
      if (seen.length === 2) break;
    }
    expect(seen).toHaveLength(2);
    expect(sim.requests).toHaveLength(2);
  });

  it('stops at return() of the iterator without reading another page', async () => {
    for (let i = 0; i < 4; i++) sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const iterator = ontap.listJobs({ max_records: 2 });
    await iterator.next();
    await iterator.return?.();
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
    expect(sim.requests).toHaveLength(1);
  });

  it('keeps a base path in front of the collection and of next links that leave it out', async () => {
    sim.fault({ type: 'raw', path: '/prefix/api/cluster/jobs', contentType: 'application/json', body: page([{ uuid: A, state: 'running' }], '/api/cluster/jobs?start.index=1') });
    sim.fault({ type: 'raw', path: '/prefix/api/cluster/jobs', contentType: 'application/json', body: page([{ uuid: B, state: 'queued' }]) });
    const client = connect(`${sim.url}/prefix`);
    const jobs = await collect(client.listJobs());
    expect(jobs.map((j) => j.id)).toEqual([A, B]);
    expect(sim.requests.map((r) => r.path)).toEqual(['/prefix/api/cluster/jobs', '/prefix/api/cluster/jobs']);
    expect(sim.requests[1]?.query.get('start.index')).toBe('1');
  });
});

describe('listJobs query', () => {
  it("passes a filter with ONTAP's any-of operator as it is", async () => {
    const running = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const queued = sim.ontap.addJob({ steps: [{ state: 'queued' }] });
    sim.ontap.addJob({ steps: [{ state: 'success' }] });
    const jobs = await collect(ontap.listJobs({ state: 'running|queued' }));
    expect(jobs.map((j) => j.id).sort()).toEqual([running, queued].sort());
    expect(sim.requests[0]?.query.get('state')).toBe('running|queued');
  });

  it('joins an array filter with |', async () => {
    const running = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const queued = sim.ontap.addJob({ steps: [{ state: 'queued' }] });
    sim.ontap.addJob({ steps: [{ state: 'failure' }] });
    const jobs = await collect(ontap.listJobs({ state: ['running', 'queued'] }));
    expect(jobs.map((j) => j.id).sort()).toEqual([running, queued].sort());
    expect(sim.requests[0]?.query.get('state')).toBe('running|queued');
  });

  it('passes a wildcard filter on description', async () => {
    const backup = sim.ontap.addJob({ description: 'Cluster Backup Job', steps: [{ state: 'running' }] });
    sim.ontap.addJob({ description: 'Volume Move', steps: [{ state: 'running' }] });
    const jobs = await collect(ontap.listJobs({ description: '*backup*' }));
    expect(jobs.map((j) => j.id)).toEqual([backup]);
    expect(sim.requests[0]?.query.get('description')).toBe('*backup*');
  });

  it('passes a negated filter', async () => {
    const ok = sim.ontap.addJob({ steps: [{ state: 'success' }] });
    sim.ontap.addJob({ steps: [{ state: 'failure' }] });
    const jobs = await collect(ontap.listJobs({ state: '!failure' }));
    expect(jobs.map((j) => j.id)).toEqual([ok]);
    expect(sim.requests[0]?.query.get('state')).toBe('!failure');
  });

  it('passes a dotted field filter and a number', async () => {
    const onSvm = sim.ontap.addJob({ svm: { name: 'svm1', uuid: A }, steps: [{ state: 'running' }] });
    sim.ontap.addJob({ svm: { name: 'svm2', uuid: B }, steps: [{ state: 'running' }] });
    const jobs = await collect(ontap.listJobs({ 'svm.name': 'svm1', max_records: 10 }));
    expect(jobs.map((j) => j.id)).toEqual([onSvm]);
    expect(sim.requests[0]?.query.get('svm.name')).toBe('svm1');
    expect(sim.requests[0]?.query.get('max_records')).toBe('10');
  });

  it("asks for every field ('*') by default", async () => {
    await collect(ontap.listJobs());
    expect(sim.requests[0]?.query.get('fields')).toBe('*');
  });

  it('always adds uuid and state to a field list given as a string', async () => {
    sim.ontap.addJob({ description: 'x', steps: [{ state: 'running', message: 'hidden' }] });
    const [job] = await collect(ontap.listJobs({ fields: 'description' }));
    const fields = sim.requests[0]?.query.get('fields')?.split(',');
    expect(fields).toEqual(expect.arrayContaining(['description', 'uuid', 'state']));
    expect(fields).toHaveLength(3);
    expect(job?.state).toBe('running');
    expect(job?.description).toBe('x');
    expect(job?.message).toBeUndefined();
  });

  it('always adds uuid and state to a field list given as an array, without repeating them', async () => {
    await collect(ontap.listJobs({ fields: ['message', 'state'] }));
    const fields = sim.requests[0]?.query.get('fields')?.split(',');
    expect(fields).toEqual(expect.arrayContaining(['message', 'uuid', 'state']));
    expect(fields).toHaveLength(3);
  });

  it('passes order_by, a list of them joined with commas', async () => {
    await collect(ontap.listJobs({ order_by: 'start_time desc' }));
    await collect(ontap.listJobs({ order_by: ['state', 'start_time desc'] }));
    expect(sim.requests[0]?.query.get('order_by')).toBe('start_time desc');
    expect(sim.requests[1]?.query.get('order_by')).toBe('state,start_time desc');
  });

  it('leaves undefined filters out of the query', async () => {
    await collect(ontap.listJobs({ state: undefined, description: 'x' }));
    expect(sim.requests[0]?.query.has('state')).toBe(false);
    expect(sim.requests[0]?.query.get('description')).toBe('x');
  });

  it('encodes filter values so they cannot add parameters', async () => {
    await collect(ontap.listJobs({ description: 'a&state=success#x' }));
    const query = sim.requests[0]?.query;
    expect(query?.get('description')).toBe('a&state=success#x');
    expect(query?.has('state')).toBe(false);
  });

  it('refuses a query that is not an object with InvalidArgumentError before any request', async () => {
    await expect(collect(ontap.listJobs(null as unknown as OntapJobQuery))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(collect(ontap.listJobs('state=running' as unknown as OntapJobQuery))).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(sim.requests).toEqual([]);
  });

  it('rejects wrong credentials with AuthenticationError', async () => {
    sim.ontap.credentials = { username: 'admin', password: 'other' };
    await expect(collect(ontap.listJobs())).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('refuses a page holding a record without state with InvalidResponseError', async () => {
    sim.fault({ type: 'raw', path: COLLECTION, contentType: 'application/json', body: page([{ uuid: A }]) });
    await expect(collect(ontap.listJobs())).rejects.toBeInstanceOf(InvalidResponseError);
  });
});

describe('listJobs refuses next links that leave the cluster or loop', () => {
  let other: Simulator;

  beforeEach(async () => {
    other = await startSimulator();
    other.ontap.addJob({ uuid: B, steps: [{ state: 'running' }] });
  });

  afterEach(async () => {
    await other.close();
  });

  it('refuses an absolute next link to another origin and never calls it', async () => {
    sim.fault({ type: 'raw', path: COLLECTION, contentType: 'application/json', body: page([{ uuid: A, state: 'running' }], `${other.url}/api/cluster/jobs?start.index=1`) });
    const { jobs, error } = await collectUntilError(ontap.listJobs());
    expect(jobs.map((j) => j.id)).toEqual([A]);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/next page link/);
    expect(other.requests).toEqual([]);
    expect(sim.requests).toHaveLength(1);
  });

  it('refuses a protocol-relative //host next link and never calls it', async () => {
    const host = new URL(other.url).host;
    sim.fault({ type: 'raw', path: COLLECTION, contentType: 'application/json', body: page([{ uuid: A, state: 'running' }], `//${host}/api/cluster/jobs?start.index=1`) });
    const { error } = await collectUntilError(ontap.listJobs());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(other.requests).toEqual([]);
    expect(sim.requests).toHaveLength(1);
  });

  it('refuses an absolute next link even to the same origin', async () => {
    sim.fault({ type: 'raw', path: COLLECTION, contentType: 'application/json', body: page([{ uuid: A, state: 'running' }], `${sim.url}/api/cluster/jobs?start.index=1`) });
    const { error } = await collectUntilError(ontap.listJobs());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(sim.requests).toHaveLength(1);
  });

  it.each([
    ['a path outside /api/', '/login?next=/api/cluster/jobs'],
    ['a relative path', 'api/cluster/jobs?start.index=1'],
    ['a path with a line break', '/api/cluster/jobs?x=1\r\nHost: evil'],
    ['a backslash host', '/\\evil.example/api/cluster/jobs'],
  ])('refuses a next link that is %s', async (_what, href) => {
    sim.fault({ type: 'raw', path: COLLECTION, contentType: 'application/json', body: page([{ uuid: A, state: 'running' }], href) });
    const { error } = await collectUntilError(ontap.listJobs());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(sim.requests).toHaveLength(1);
  });

  it('refuses a next link whose dot segments climb out of the base path, and never sends it', async () => {
    // A path-routing proxy would hand clusterA's credentials to clusterB.
    sim.fault({ type: 'raw', path: '/clusterA/api/cluster/jobs', contentType: 'application/json', body: page([{ uuid: A, state: 'running' }], '/clusterA/api/../../clusterB/api/cluster/jobs') });
    const client = connect(`${sim.url}/clusterA`);
    const { jobs, error } = await collectUntilError(client.listJobs());
    expect(jobs.map((j) => j.id)).toEqual([A]);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/next page link/);
    expect(sim.requests.map((r) => r.path)).toEqual(['/clusterA/api/cluster/jobs']);
  });

  it.each([
    ['lower-case %2e%2e segments', '/clusterA/api/%2e%2e/%2e%2e/clusterB/api/cluster/jobs'],
    ['upper-case %2E%2E segments', '/clusterA/api/%2E%2E/%2E%2E/clusterB/api/cluster/jobs'],
    ['mixed .%2E segments', '/clusterA/api/.%2E/%2e./clusterB/api/cluster/jobs'],
    ['a link without the base path that climbs out of /api', '/api/../../clusterB/api/cluster/jobs'],
    ['a trailing .. that leaves /api/', '/clusterA/api/cluster/../..'],
    ['an encoded slash inside a segment', '/clusterA/api/..%2f..%2fclusterB/api/cluster/jobs'],
    ['an encoded backslash inside a segment', '/clusterA/api/..%5C..%5CclusterB/api/cluster/jobs'],
    ['a backslash inside the path', '/clusterA/api/..\\..\\clusterB/api/cluster/jobs'],
  ])('refuses a next link with %s', async (_what, href) => {
    sim.fault({ type: 'raw', path: '/clusterA/api/cluster/jobs', contentType: 'application/json', body: page([{ uuid: A, state: 'running' }], href) });
    const client = connect(`${sim.url}/clusterA`);
    const { error } = await collectUntilError(client.listJobs());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(sim.requests).toHaveLength(1);
  });

  it('follows a next link whose dot segments stay under the base path, sending it resolved', async () => {
    sim.fault({ type: 'raw', path: '/clusterA/api/cluster/jobs', contentType: 'application/json', body: page([{ uuid: A, state: 'running' }], '/clusterA/api/svm/%2E%2E/cluster/./jobs?start.index=1&x=..%2F..') });
    sim.fault({ type: 'raw', path: '/clusterA/api/cluster/jobs', contentType: 'application/json', body: page([{ uuid: B, state: 'running' }]) });
    const client = connect(`${sim.url}/clusterA`);
    const jobs = await collect(client.listJobs());
    expect(jobs.map((j) => j.id)).toEqual([A, B]);
    expect(sim.requests.map((r) => r.url.split('?', 1)[0])).toEqual(['/clusterA/api/cluster/jobs', '/clusterA/api/cluster/jobs']);
    expect(sim.requests[1]?.query.get('start.index')).toBe('1');
    expect(sim.requests[1]?.query.get('x')).toBe('../..');
  });

  it('refuses a next link that repeats the page it is on', async () => {
    const second = '/api/cluster/jobs?start.index=1';
    sim.fault({ type: 'raw', path: COLLECTION, contentType: 'application/json', body: page([{ uuid: A, state: 'running' }], second) });
    sim.fault({ type: 'raw', path: COLLECTION, contentType: 'application/json', body: page([{ uuid: B, state: 'running' }], second), times: 5 });
    const { jobs, error } = await collectUntilError(ontap.listJobs());
    expect(jobs.map((j) => j.id)).toEqual([A, B]);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/repeats a page/);
    expect(sim.requests).toHaveLength(2);
  });

  it('refuses a next link that leads back to the first page', async () => {
    await collect(ontap.listJobs({ state: 'running' }));
    const first = sim.requests[0]?.url;
    expect(first).toBeDefined();
    sim.requests.length = 0;
    sim.fault({ type: 'raw', path: COLLECTION, contentType: 'application/json', body: page([{ uuid: A, state: 'running' }], '/api/cluster/jobs?start.index=1') });
    sim.fault({ type: 'raw', path: COLLECTION, contentType: 'application/json', body: page([{ uuid: B, state: 'running' }], first), times: 5 });
    const { jobs, error } = await collectUntilError(ontap.listJobs({ state: 'running' }));
    expect(jobs.map((j) => j.id)).toEqual([A, B]);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(sim.requests).toHaveLength(2);
  });

  it('stops paging at an empty next href', async () => {
    sim.fault({ type: 'raw', path: COLLECTION, contentType: 'application/json', body: page([{ uuid: A, state: 'running' }], '') });
    const jobs = await collect(ontap.listJobs());
    expect(jobs.map((j) => j.id)).toEqual([A]);
    expect(sim.requests).toHaveLength(1);
  });
});
