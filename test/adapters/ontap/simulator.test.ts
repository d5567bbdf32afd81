import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Agent, request, type Dispatcher } from 'undici';
import { startSimulator, type OntapStep, type Simulator } from '../../../src/testing/index.js';
import { matchesOntapFilter, ONTAP_DEFAULT_STEPS, ONTAP_JOB_RETENTION_MS } from '../../../adapters/ontap/simulator.js';

const NOT_FOUND = { error: { message: "entry doesn't exist", code: '4', target: 'uuid' } };
/** ISO 8601 with a numeric offset (not `Z`). */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;

type Json = Record<string, unknown>;
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Json;
}
interface Collection {
  records: Json[];
  num_records: number;
  _links: { self: { href: string }; next?: { href: string } };
}

const basic = (username: string, password: string): string => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

describe('OntapSimulation over HTTP', () => {
  let sim: Simulator;
  let agent: Agent;

  beforeEach(async () => {
    sim = await startSimulator();
    agent = new Agent();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await agent.close();
    await sim.close();
  });

  async function call(method: Dispatcher.HttpMethod, path: string, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await request(sim.url + path, { dispatcher: agent, method, headers });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Json) };
  }
  const getJob = (uuid: string, headers?: Record<string, string>) => call('GET', `/api/cluster/jobs/${uuid}`, headers);
  const states = async (uuid: string, polls: number): Promise<unknown[]> => {
    const out: unknown[] = [];
    for (let i = 0; i < polls; i++) {
      const { status, body } = await getJob(uuid);
      out.push(status === 200 ? body['state'] : status);
    }
    return out;
  };
  const list = async (query: Record<string, string> | string = {}): Promise<Answer & { page: Collection }> => {
    const search = typeof query === 'string' ? query : new URLSearchParams(query).toString();
    const answer = await call('GET', `/api/cluster/jobs${search === '' ? '' : `?${search}`}`);
    return { ...answer, page: answer.body as unknown as Collection };
  };
  const listed = async (query: Record<string, string>): Promise<string[]> => {
    const { status, page } = await list(query);
    expect(status).toBe(200);
    return page.records.map((r) => String(r['uuid'])).sort();
  };
  const patch = (uuid: string, action: string, headers?: Record<string, string>) =>
    call('PATCH', `/api/cluster/jobs/${uuid}${action === '' ? '' : `?action=${action}`}`, headers);

  describe('GET /api/cluster/jobs/{uuid}', () => {
    it('goes queued, running, success by default, one poll each, then holds success', async () => {
      const uuid = sim.ontap.addJob();
      expect(await states(uuid, 5)).toEqual(['queued', 'running', 'success', 'success', 'success']);
    });

    it('exports its default steps and ONTAP retention', () => {
      expect(ONTAP_DEFAULT_STEPS.map((s) => s.state)).toEqual(['queued', 'running', 'success']);
      expect(ONTAP_DEFAULT_STEPS[2]?.code).toBe(0);
      expect(Object.isFrozen(ONTAP_DEFAULT_STEPS)).toBe(true);
      expect(ONTAP_JOB_RETENTION_MS).toBe(300_000);
    });

    it('uses the uuid the script gives', async () => {
      const uuid = sim.ontap.addJob({ uuid: '11111111-2222-3333-4444-555555555555' });
      expect(uuid).toBe('11111111-2222-3333-4444-555555555555');
      expect((await getJob(uuid)).body['uuid']).toBe(uuid);
    });

    it('gives each job a distinct random uuid by default', () => {
      const a = sim.ontap.addJob();
      const b = sim.ontap.addJob();
      expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(a).not.toBe(b);
    });

    it('shows a queued job without start or end time', async () => {
      const uuid = sim.ontap.addJob();
      const { status, headers, body } = await getJob(uuid);
      expect(status).toBe(200);
      expect(headers['content-type']).toMatch(/^application\/json/);
      expect(body).toEqual({
        uuid,
        description: 'Scripted job',
        state: 'queued',
        message: 'Queued',
        _links: { self: { href: `/api/cluster/jobs/${uuid}` } },
      });
    });

    it('sets start_time once running and end_time once ended, as ISO 8601 with an offset', async () => {
      const uuid = sim.ontap.addJob();
      await getJob(uuid);
      const before = Date.now();
      const running = (await getJob(uuid)).body;
      const after = Date.now();
      expect(running['state']).toBe('running');
      expect(running['message']).toBe('creating_node_backups');
      expect(running['start_time']).toMatch(ISO_WITH_OFFSET);
      expect(running).not.toHaveProperty('end_time');
      const started = Date.parse(String(running['start_time']));
      expect(started).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(started).toBeLessThanOrEqual(after);

      const done = (await getJob(uuid)).body;
      expect(done).toMatchObject({ state: 'success', message: 'Complete: Successful', code: 0, start_time: running['start_time'] });
      expect(done['end_time']).toMatch(ISO_WITH_OFFSET);
      expect(Date.parse(String(done['end_time']))).toBeGreaterThanOrEqual(started);
    });

    it('gives a job first seen after its end a start_time no later than its end_time', async () => {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'running', ms: 5 }, { state: 'success' }] });
      // First polled 5 s later (the simulator's clock is Date.now()).
      const realNow = Date.now.bind(Date);
      const later = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 5_000);
      const { body } = await getJob(uuid).finally(() => later.mockRestore());
      expect(body['state']).toBe('success');
      expect(Date.parse(String(body['start_time']))).toBeLessThanOrEqual(Date.parse(String(body['end_time'])));
    });

    it('shows the description, svm, message, code, error and extra fields the script gives', async () => {
      const svm = { name: 'vs1', uuid: 'aaaaaaaa-0000-0000-0000-000000000001' };
      const error = { code: '459753', message: 'Volume is full', target: 'vol1', arguments: [{ code: '1', message: 'vol1' }] };
      const uuid = sim.ontap.addJob({
        description: 'PATCH /api/storage/volumes/vol1',
        svm,
        steps: [{ state: 'failure', message: 'Volume is full', code: 459753, error, fields: { node: { name: 'node-01', uuid: 'n-1' } } }],
      });
      const { body } = await getJob(uuid);
      expect(body).toMatchObject({
        uuid,
        description: 'PATCH /api/storage/volumes/vol1',
        state: 'failure',
        message: 'Volume is full',
        code: 459753,
        error,
        node: { name: 'node-01', uuid: 'n-1' },
        svm: { ...svm, _links: { self: { href: `/api/svm/svms/${svm.uuid}` } } },
        _links: { self: { href: `/api/cluster/jobs/${uuid}` } },
      });
      expect(body['start_time']).toMatch(ISO_WITH_OFFSET);
      expect(body['end_time']).toMatch(ISO_WITH_OFFSET);
    });

    it('follows a script of its own, steps counted in polls', async () => {
      const steps: OntapStep[] = [{ state: 'queued', polls: 2 }, { state: 'running', polls: 2 }, { state: 'failure', code: 1 }];
      const uuid = sim.ontap.addJob({ steps });
      expect(await states(uuid, 6)).toEqual(['queued', 'queued', 'running', 'running', 'failure', 'failure']);
    });

    it('follows a script of its own, steps timed in milliseconds', async () => {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'running', ms: 60 }, { state: 'success' }] });
      expect(await states(uuid, 3)).toEqual(['running', 'running', 'running']);
      await new Promise((resolve) => setTimeout(resolve, 70));
      expect(await states(uuid, 1)).toEqual(['success']);
    });

    it('answers 404 with ONTAP error body for an unknown job', async () => {
      const { status, headers, body } = await getJob('00000000-0000-0000-0000-000000000000');
      expect(status).toBe(404);
      expect(headers['content-type']).toMatch(/^application\/json/);
      expect(body).toEqual(NOT_FOUND);
    });

    it('answers 404 to the first hiddenForPolls polls, then shows the job', async () => {
      const uuid = sim.ontap.addJob({ hiddenForPolls: 2 });
      const first = await getJob(uuid);
      expect(first.status).toBe(404);
      expect(first.body).toEqual(NOT_FOUND);
      expect(await states(uuid, 2)).toEqual([404, 'queued']);
    });

    it('answers 404 for a job deleted with deleteJob', async () => {
      const uuid = sim.ontap.addJob();
      await getJob(uuid);
      sim.ontap.deleteJob(uuid);
      const { status, body } = await getJob(uuid);
      expect(status).toBe(404);
      expect(body).toEqual(NOT_FOUND);
      expect(sim.ontap.peek(uuid)).toBeUndefined();
    });

    it('deletes a finished job after deleteAfterPolls polls', async () => {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'success' }], deleteAfterPolls: 2 });
      expect(await states(uuid, 5)).toEqual(['running', 'success', 'success', 404, 404]);
      expect((await getJob(uuid)).body).toEqual(NOT_FOUND);
    });

    it('deletes a finished job deleteAfterMs after its end', async () => {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'success' }], deleteAfterMs: 40 });
      expect(await states(uuid, 2)).toEqual(['success', 'success']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await states(uuid, 1)).toEqual([404]);
    });

    it('deletes a finished job 300 s after its end by default', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const t0 = Date.parse('2025-01-01T00:00:00Z');
      vi.setSystemTime(t0);
      const uuid = sim.ontap.addJob();
      expect(await states(uuid, 3)).toEqual(['queued', 'running', 'success']);
      vi.setSystemTime(t0 + ONTAP_JOB_RETENTION_MS - 1);
      const late = await getJob(uuid);
      expect(late.status).toBe(200);
      expect(late.body['end_time']).toBe('2025-01-01T00:00:00+00:00');
      vi.setSystemTime(t0 + ONTAP_JOB_RETENTION_MS);
      expect(await states(uuid, 1)).toEqual([404]);
    });

    it('keeps a running job however long it runs', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.parse('2025-01-01T00:00:00Z'));
      const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
      await getJob(uuid);
      vi.setSystemTime(Date.parse('2025-01-02T00:00:00Z'));
      expect(await states(uuid, 1)).toEqual(['running']);
    });

    it('peek() shows the record without counting a poll', async () => {
      const uuid = sim.ontap.addJob();
      expect(sim.ontap.peek(uuid)).toMatchObject({ uuid, state: 'queued' });
      expect(sim.ontap.peek(uuid)).toMatchObject({ uuid, state: 'queued' });
      expect(await states(uuid, 2)).toEqual(['queued', 'running']);
      expect(sim.ontap.peek('nope')).toBeUndefined();
    });
  });

  describe('GET /api/cluster/jobs', () => {
    const one = (state: string, extra: Partial<OntapStep> = {}) => [{ state, ...extra }];

    it('lists every visible job with num_records and a self link', async () => {
      const a = sim.ontap.addJob({ steps: one('running') });
      const b = sim.ontap.addJob({ steps: one('queued') });
      sim.ontap.addJob({ hiddenForPolls: 5 });
      const deleted = sim.ontap.addJob();
      sim.ontap.deleteJob(deleted);
      const { status, page } = await list({ fields: 'state' });
      expect(status).toBe(200);
      expect(page.num_records).toBe(2);
      expect(page.records.map((r) => r['uuid']).sort()).toEqual([a, b].sort());
      expect(page._links.self.href).toBe('/api/cluster/jobs?fields=state');
      expect(page._links.next).toBeUndefined();
      expect(page.records.find((r) => r['uuid'] === a)).toMatchObject({ state: 'running', _links: { self: { href: `/api/cluster/jobs/${a}` } } });
    });

    it('filters with any-of: state=running|queued', async () => {
      const running = sim.ontap.addJob({ steps: one('running') });
      const queued = sim.ontap.addJob({ steps: one('queued') });
      sim.ontap.addJob({ steps: one('success') });
      sim.ontap.addJob({ steps: one('paused') });
      expect(await listed({ state: 'running|queued' })).toEqual([running, queued].sort());
    });

    it('filters with not: state=!success', async () => {
      const running = sim.ontap.addJob({ steps: one('running') });
      const failed = sim.ontap.addJob({ steps: one('failure') });
      sim.ontap.addJob({ steps: one('success') });
      expect(await listed({ state: '!success' })).toEqual([running, failed].sort());
    });

    it('filters with a * wildcard, ignoring case', async () => {
      const backup = sim.ontap.addJob({ description: 'Create Backup of vol1', steps: one('running') });
      sim.ontap.addJob({ description: 'Delete vol2', steps: one('running') });
      expect(await listed({ description: '*backup*' })).toEqual([backup]);
    });

    it('filters numbers with < and > as numbers', async () => {
      sim.ontap.addJob({ steps: one('failure', { code: 2 }) });
      const five = sim.ontap.addJob({ steps: one('failure', { code: 5 }) });
      const ten = sim.ontap.addJob({ steps: one('failure', { code: 10 }) });
      expect(await listed({ code: '>4' })).toEqual([five, ten].sort());
      expect(await listed({ code: '<10' }).then((l) => l.length)).toBe(2);
    });

    it('filters on a nested field with a dotted name', async () => {
      const vs1 = sim.ontap.addJob({ svm: { name: 'vs1', uuid: 's-1' }, steps: one('running') });
      sim.ontap.addJob({ svm: { name: 'vs2', uuid: 's-2' }, steps: one('running') });
      sim.ontap.addJob({ steps: one('running') });
      expect(await listed({ 'svm.name': 'vs1' })).toEqual([vs1]);
    });

    it('ands several filters', async () => {
      const match = sim.ontap.addJob({ description: 'snap a', steps: one('running') });
      sim.ontap.addJob({ description: 'snap b', steps: one('success') });
      sim.ontap.addJob({ description: 'other', steps: one('running') });
      expect(await listed({ state: 'running', description: 'snap*' })).toEqual([match]);
    });

    it('projects the records on `fields`, always keeping uuid and _links', async () => {
      const uuid = sim.ontap.addJob({ svm: { name: 'vs1', uuid: 's-1' }, steps: one('failure', { code: 3, message: 'bad' }) });
      const { page } = await list({ fields: 'state,svm.name' });
      expect(page.records).toHaveLength(1);
      const [record] = page.records;
      expect(Object.keys(record ?? {}).sort()).toEqual(['_links', 'state', 'svm', 'uuid']);
      expect(record).toMatchObject({ uuid, state: 'failure', svm: { name: 'vs1' }, _links: { self: { href: `/api/cluster/jobs/${uuid}` } } });
    });

    it('returns only uuid and _links per record when fields is absent, as ONTAP does', async () => {
      const uuid = sim.ontap.addJob({ description: 'Cluster Backup Job', svm: { name: 'vs1', uuid: 's-1' }, steps: one('failure', { code: 3, message: 'bad' }) });
      const { page } = await list({ state: 'failure' });
      expect(page.records).toEqual([{ uuid, _links: { self: { href: `/api/cluster/jobs/${uuid}` } } }]);
    });

    it('orders by one field with order_by, ascending by default', async () => {
      const b = sim.ontap.addJob({ description: 'b', steps: one('running') });
      const c = sim.ontap.addJob({ description: 'c', steps: one('running') });
      const a = sim.ontap.addJob({ description: 'a', steps: one('running') });
      const uuids = async (query: Record<string, string>): Promise<unknown[]> => (await list(query)).page.records.map((r) => r['uuid']);
      expect(await uuids({ order_by: 'description' })).toEqual([a, b, c]);
      expect(await uuids({ order_by: 'description asc' })).toEqual([a, b, c]);
      expect(await uuids({ order_by: 'description desc' })).toEqual([c, b, a]);
    });

    it('orders numbers as numbers, and by several fields, each later one breaking ties', async () => {
      const ten = sim.ontap.addJob({ description: 'x', steps: one('failure', { code: 10 }) });
      const nine = sim.ontap.addJob({ description: 'y', steps: one('failure', { code: 9 }) });
      const tenToo = sim.ontap.addJob({ description: 'z', steps: one('failure', { code: 10 }) });
      const uuids = async (query: Record<string, string>): Promise<unknown[]> => (await list(query)).page.records.map((r) => r['uuid']);
      expect(await uuids({ order_by: 'code' })).toEqual([nine, ten, tenToo]);
      expect(await uuids({ order_by: 'code desc,description desc' })).toEqual([tenToo, ten, nine]);
      expect(await uuids({ order_by: 'code,description desc' })).toEqual([nine, tenToo, ten]);
    });

    it('pages over the ordered collection, the next link keeping order_by', async () => {
      const ids = ['d', 'a', 'c', 'b'].map((description) => [description, sim.ontap.addJob({ description, steps: one('running') })] as const);
      const sorted = [...ids].sort(([x], [y]) => x.localeCompare(y)).map(([, uuid]) => uuid);
      const first = await list({ order_by: 'description', max_records: '3', fields: 'description' });
      expect(first.page.records.map((r) => r['uuid'])).toEqual(sorted.slice(0, 3));
      const next = first.page._links.next?.href;
      expect(new URL(String(next), 'http://x').searchParams.get('order_by')).toBe('description');
      const second = (await call('GET', String(next))).body as unknown as Collection;
      expect(second.records.map((r) => r['uuid'])).toEqual(sorted.slice(3));
    });

    it('refuses an order_by direction other than asc or desc with 400', async () => {
      sim.ontap.addJob({ steps: one('running') });
      const { status, body } = await list({ order_by: 'description up' });
      expect(status).toBe(400);
      expect(body).toMatchObject({ error: { code: '262179' } });
    });

    it('returns whole records for fields=*', async () => {
      sim.ontap.addJob({ steps: one('failure', { code: 3, message: 'bad' }) });
      const { page } = await list({ fields: '*' });
      expect(page.records[0]).toMatchObject({ state: 'failure', code: 3, message: 'bad', description: 'Scripted job' });
    });

    it('pages with max_records, the next link carrying the query, until no next link', async () => {
      const uuids = [1, 2, 3, 4, 5].map(() => sim.ontap.addJob({ steps: one('running') }));
      sim.ontap.addJob({ steps: one('success') });
      const first = await list({ state: 'running', max_records: '2', fields: 'state' });
      expect(first.page.num_records).toBe(2);
      expect(first.page.records).toHaveLength(2);
      const next = first.page._links.next?.href;
      expect(next).toBeDefined();
      const nextUrl = new URL(String(next), 'http://x');
      expect(nextUrl.pathname).toBe('/api/cluster/jobs');
      expect(nextUrl.searchParams.get('state')).toBe('running');
      expect(nextUrl.searchParams.get('max_records')).toBe('2');
      expect(nextUrl.searchParams.get('fields')).toBe('state');

      const seen = first.page.records.map((r) => r['uuid']);
      let href = next;
      let pages = 1;
      while (href !== undefined) {
        const { status, body } = await call('GET', href);
        expect(status).toBe(200);
        const page = body as unknown as Collection;
        seen.push(...page.records.map((r) => r['uuid']));
        href = page._links.next?.href;
        pages++;
        expect(pages).toBeLessThanOrEqual(3);
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(uuids);
    });

    it('answers only num_records, the count of every match, for return_records=false', async () => {
      sim.ontap.addJob({ steps: one('running') });
      sim.ontap.addJob({ steps: one('running') });
      sim.ontap.addJob({ steps: one('running') });
      sim.ontap.addJob({ steps: one('success') });
      const { status, body } = await list({ state: 'running', return_records: 'false', max_records: '1' });
      expect(status).toBe(200);
      expect(body).toEqual({ num_records: 3 });
    });

    it('does not advance a job that a filter leaves out', async () => {
      const uuid = sim.ontap.addJob();
      await list({ state: 'success' });
      await list({ state: 'success' });
      expect(await states(uuid, 1)).toEqual(['queued']);
    });

    it('does not advance a job by a count-only query (return_records=false)', async () => {
      const uuid = sim.ontap.addJob();
      await list({ return_records: 'false' });
      await list({ return_records: 'false' });
      expect(await states(uuid, 1)).toEqual(['queued']);
    });
  });

  describe('GET /api/cluster/jobs?uuid=a|b|… (plain uuids: looked up, not scanned)', () => {
    const running = { steps: [{ state: 'running' }] };
    /** The same uuid filter with a wildcard alternative that matches nothing: the full scan. */
    const scanned = (uuids: string[]): string => [...uuids, 'no-such-job*'].join('|');
    const records = async (query: Record<string, string>): Promise<Json[]> => {
      const { status, page } = await list(query);
      expect(status).toBe(200);
      return page.records;
    };

    it('answers the same records, in the same order, as a scan', async () => {
      const ids = [1, 2, 3, 4, 5].map((n) => sim.ontap.addJob({ description: `job ${n}`, steps: [{ state: n % 2 ? 'running' : 'failure', code: n }] }));
      const gone = sim.ontap.addJob(running);
      sim.ontap.deleteJob(gone);
      // Asked in another order, with a repeat, another spelling, a deleted and an unknown uuid.
      const asked = [ids[3], ids[0], ids[4]?.toUpperCase(), ids[0], ids[2], gone, '00000000-0000-4000-8000-000000000000'] as string[];
      const fast = await records({ uuid: asked.join('|'), fields: '*' });
      expect(fast.map((r) => r['uuid'])).toEqual([ids[0], ids[2], ids[3], ids[4]]);
      expect(await records({ uuid: scanned(asked), fields: '*' })).toEqual(fast);
      // With other filters, which still apply.
      const failed = await records({ uuid: asked.join('|'), state: 'failure', fields: 'state,code' });
      expect(failed.map((r) => r['uuid'])).toEqual([ids[3]]);
      expect(await records({ uuid: scanned(asked), state: 'failure', fields: 'state,code' })).toEqual(failed);
    });

    it('keeps the place of a uuid scripted again, and finds a uuid scripted in upper case', async () => {
      const upper = 'AAAAAAAA-0000-4000-8000-000000000001';
      const a = sim.ontap.addJob({ uuid: upper, steps: [{ state: 'running' }] });
      const b = sim.ontap.addJob(running);
      sim.ontap.addJob({ uuid: upper, steps: [{ state: 'success' }] });
      const fast = await records({ uuid: `${b}|${a.toLowerCase()}`, fields: 'state' });
      expect(fast.map((r) => [r['uuid'], r['state']])).toEqual([
        [upper, 'success'],
        [b, 'running'],
      ]);
      expect(await records({ uuid: scanned([b, a.toLowerCase()]), fields: 'state' })).toEqual(fast);
    });

    it('pages with max_records and next links as a scan does', async () => {
      const ids = Array.from({ length: 7 }, () => sim.ontap.addJob(running));
      const pages = async (uuid: string): Promise<unknown[][]> => {
        const out: unknown[][] = [];
        let href: string | undefined = `/api/cluster/jobs?${new URLSearchParams({ uuid, max_records: '3', fields: 'state' }).toString()}`;
        while (href !== undefined) {
          const { status, body } = await call('GET', href);
          expect(status).toBe(200);
          const page = body as unknown as Collection;
          out.push(page.records.map((r) => r['uuid']));
          href = page._links.next?.href;
        }
        return out;
      };
      const asked = [...ids].reverse();
      const fast = await pages(asked.join('|'));
      expect(fast).toEqual([ids.slice(0, 3), ids.slice(3, 6), ids.slice(6)]);
      expect(await pages(scanned(asked))).toEqual(fast);
    });

    it('counts a read as a poll of every hidden job, asked for or not, as a scan does', async () => {
      const other = sim.ontap.addJob(running);
      const asked = sim.ontap.addJob({ hiddenForPolls: 2, steps: [{ state: 'running' }] });
      const notAsked = sim.ontap.addJob({ hiddenForPolls: 2, steps: [{ state: 'running' }] });
      expect((await records({ uuid: `${asked}|${other}` })).map((r) => r['uuid'])).toEqual([other]);
      // A count-only read is no poll.
      await list({ uuid: asked, return_records: 'false' });
      expect((await records({ uuid: asked })).map((r) => r['uuid'])).toEqual([]);
      expect((await records({ uuid: asked })).map((r) => r['uuid'])).toEqual([asked]);
      // Two reads polled the job not asked for: it is visible now.
      expect(await states(notAsked, 1)).toEqual(['running']);
    });

    it('advances the scripts of the jobs it answers, as a scan does', async () => {
      const a = sim.ontap.addJob();
      const seen: unknown[] = [];
      for (let i = 0; i < 3; i++) seen.push((await records({ uuid: a, fields: 'state' }))[0]?.['state']);
      expect(seen).toEqual(['queued', 'running', 'success']);
    });

    it('finds a job whose step fields set another uuid, as a scan does', async () => {
      const shown = 'bbbbbbbb-0000-4000-8000-000000000002';
      const key = sim.ontap.addJob({ steps: [{ state: 'running', fields: { uuid: shown } }] });
      expect((await records({ uuid: shown })).map((r) => r['uuid'])).toEqual([shown]);
      expect(await records({ uuid: key })).toEqual([]);
    });

    it('looks the uuids up instead of scanning: a read does not touch the jobs it was not asked for', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const t0 = Date.parse('2025-01-01T00:00:00Z');
      vi.setSystemTime(t0);
      // A job's start_time is when a read first saw it running, and a scan reads every job.
      const other = sim.ontap.addJob(running);
      const untouched = sim.ontap.addJob(running);
      await list({ uuid: other });
      vi.setSystemTime(t0 + 10_000);
      expect((await getJob(untouched)).body['start_time']).toBe('2025-01-01T00:00:10+00:00');
      const seenByScan = sim.ontap.addJob(running);
      await list({ uuid: scanned([other]) });
      vi.setSystemTime(t0 + 20_000);
      expect((await getJob(seenByScan)).body['start_time']).toBe('2025-01-01T00:00:10+00:00');
    });
  });

  describe('PATCH /api/cluster/jobs/{uuid}?action=', () => {
    const refusal = (code: string) => ({ status: 400, body: { error: { code, message: expect.any(String) } } });

    it('cancel ends a running job as failure with code 458753, and it stays so', async () => {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 10 }, { state: 'success' }] });
      await getJob(uuid);
      const answer = await patch(uuid, 'cancel');
      expect(answer.status).toBe(200);
      const { body } = await getJob(uuid);
      expect(body).toMatchObject({ state: 'failure', message: 'Job was cancelled.', code: 458753, error: { code: '458753' } });
      expect(body['end_time']).toMatch(ISO_WITH_OFFSET);
      expect(await states(uuid, 12)).toEqual(Array(12).fill('failure'));
    });

    it('cancel works on a queued job too', async () => {
      const uuid = sim.ontap.addJob();
      expect((await patch(uuid, 'cancel')).status).toBe(200);
      expect(await states(uuid, 1)).toEqual(['failure']);
    });

    it('a cancelled job is deleted like any finished one', async () => {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }], deleteAfterPolls: 1 });
      await patch(uuid, 'cancel');
      expect(await states(uuid, 2)).toEqual(['failure', 404]);
    });

    it('cancel is refused with 458762 once the job has ended', async () => {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'success' }] });
      expect(await patch(uuid, 'cancel')).toMatchObject(refusal('458762'));
      expect(await states(uuid, 1)).toEqual(['success']);
    });

    it('cancel is refused with 458784 when the job does not support it, and the job goes on', async () => {
      const uuid = sim.ontap.addJob({ cancellable: false });
      expect(await patch(uuid, 'cancel')).toMatchObject(refusal('458784'));
      expect(await states(uuid, 3)).toEqual(['queued', 'running', 'success']);
    });

    it('pause freezes a running job as paused; resume lets it go on', async () => {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 2 }, { state: 'success' }] });
      await getJob(uuid);
      expect((await patch(uuid, 'pause')).status).toBe(200);
      const paused = (await getJob(uuid)).body;
      expect(paused).toMatchObject({ state: 'paused', message: 'Paused by user' });
      expect(paused['start_time']).toMatch(ISO_WITH_OFFSET);
      expect(paused).not.toHaveProperty('end_time');
      expect(await states(uuid, 4)).toEqual(['paused', 'paused', 'paused', 'paused']);
      expect((await patch(uuid, 'resume')).status).toBe(200);
      expect(await states(uuid, 3)).toEqual(['running', 'running', 'success']);
    });

    it('pause is refused with 458776 when the job is not running', async () => {
      const uuid = sim.ontap.addJob();
      expect(await patch(uuid, 'pause')).toMatchObject(refusal('458776'));
    });

    it('pause is refused with 458783 when the job does not support it', async () => {
      const uuid = sim.ontap.addJob({ pausable: false, steps: [{ state: 'running' }] });
      expect(await patch(uuid, 'pause')).toMatchObject(refusal('458783'));
      expect(await states(uuid, 1)).toEqual(['running']);
    });

    it('pause is refused with 458762 once the job has ended', async () => {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'failure' }] });
      expect(await patch(uuid, 'pause')).toMatchObject(refusal('458762'));
    });

    it('resume is refused with 458771 when the job is not paused', async () => {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
      expect(await patch(uuid, 'resume')).toMatchObject(refusal('458771'));
    });

    it('refuses an unknown or missing action with 400', async () => {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
      const unknown = await patch(uuid, 'explode');
      expect(unknown).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('explode') } } });
      expect((await patch(uuid, '')).status).toBe(400);
      expect(await states(uuid, 1)).toEqual(['running']);
    });

    it('does not count as a poll', async () => {
      const uuid = sim.ontap.addJob();
      await patch(uuid, 'pause');
      await patch(uuid, 'resume');
      await patch(uuid, 'pause');
      expect(await states(uuid, 1)).toEqual(['queued']);
    });

    it('answers 404 with ONTAP error body for an unknown, hidden or deleted job', async () => {
      const hidden = sim.ontap.addJob({ hiddenForPolls: 3 });
      const deleted = sim.ontap.addJob();
      sim.ontap.deleteJob(deleted);
      for (const uuid of ['00000000-0000-0000-0000-000000000000', hidden, deleted]) {
        const answer = await patch(uuid, 'cancel');
        expect(answer.status).toBe(404);
        expect(answer.body).toEqual(NOT_FOUND);
      }
    });
  });

  describe('credentials', () => {
    const unauthorized = { status: 401, body: { error: { message: expect.any(String), code: expect.any(String) } } };

    beforeEach(() => {
      sim.ontap.credentials = { username: 'admin', password: 's3cret' };
    });

    it('answers 401 with an ONTAP error body without Authorization', async () => {
      const uuid = sim.ontap.addJob();
      const answer = await getJob(uuid);
      expect(answer).toMatchObject(unauthorized);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
    });

    it('answers 401 with a wrong password or user', async () => {
      const uuid = sim.ontap.addJob();
      expect(await getJob(uuid, { authorization: basic('admin', 'wrong') })).toMatchObject(unauthorized);
      expect(await getJob(uuid, { authorization: basic('root', 's3cret') })).toMatchObject(unauthorized);
      expect(await getJob(uuid, { authorization: 'Bearer s3cret' })).toMatchObject(unauthorized);
    });

    it('answers 200 with the right basic credentials, and a refused request does not count as a poll', async () => {
      const uuid = sim.ontap.addJob();
      await getJob(uuid);
      await getJob(uuid, { authorization: basic('admin', 'nope') });
      const answer = await getJob(uuid, { authorization: basic('admin', 's3cret') });
      expect(answer.status).toBe(200);
      expect(answer.body['state']).toBe('queued');
    });

    it('guards the collection and the actions too', async () => {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
      expect(await call('GET', '/api/cluster/jobs')).toMatchObject(unauthorized);
      expect(await patch(uuid, 'cancel')).toMatchObject(unauthorized);
      expect(sim.ontap.peek(uuid)?.['state']).toBe('running');
      const ok = await call('GET', '/api/cluster/jobs', { authorization: basic('admin', 's3cret') });
      expect(ok.status).toBe(200);
      expect((await patch(uuid, 'cancel', { authorization: basic('admin', 's3cret') })).status).toBe(200);
    });

    it('lets every request through once the credentials are unset', async () => {
      const uuid = sim.ontap.addJob();
      sim.ontap.credentials = undefined;
      expect((await getJob(uuid)).status).toBe(200);
    });
  });
});

describe('matchesOntapFilter', () => {
  it('matches an exact value, ignoring case', () => {
    expect(matchesOntapFilter('running', 'running')).toBe(true);
    expect(matchesOntapFilter('Running', 'RUNNING')).toBe(true);
    expect(matchesOntapFilter('running', 'runnin')).toBe(false);
    expect(matchesOntapFilter('running', 'queued')).toBe(false);
  });

  it('compares numbers and booleans by their text', () => {
    expect(matchesOntapFilter(0, '0')).toBe(true);
    expect(matchesOntapFilter(458753, '458753')).toBe(true);
    expect(matchesOntapFilter(true, 'true')).toBe(true);
  });

  it('matches any of the alternatives of a|b|c', () => {
    expect(matchesOntapFilter('queued', 'running|queued')).toBe(true);
    expect(matchesOntapFilter('c', 'a|b|c')).toBe(true);
    expect(matchesOntapFilter('success', 'running|queued')).toBe(false);
  });

  it('negates with !', () => {
    expect(matchesOntapFilter('running', '!success')).toBe(true);
    expect(matchesOntapFilter('success', '!success')).toBe(false);
    expect(matchesOntapFilter('success', '!succ*')).toBe(false);
  });

  it('matches * as any run of characters, ignoring case', () => {
    expect(matchesOntapFilter('Create Backup of vol1', '*backup*')).toBe(true);
    expect(matchesOntapFilter('vol1', 'vol*')).toBe(true);
    expect(matchesOntapFilter('myvol1', 'vol*')).toBe(false);
    expect(matchesOntapFilter('anything', '*')).toBe(true);
    expect(matchesOntapFilter('a-b-c', 'a*c')).toBe(true);
  });

  it('treats the other regular-expression characters of a wildcard literally', () => {
    expect(matchesOntapFilter('a.b', 'a.b*')).toBe(true);
    expect(matchesOntapFilter('axb', 'a.b*')).toBe(false);
    expect(matchesOntapFilter('a+b(1)', 'a+b(*')).toBe(true);
    expect(matchesOntapFilter('aab', 'a+b*')).toBe(false);
    expect(matchesOntapFilter('x', '[x]*')).toBe(false);
  });

  it('compares numbers with < > <= >= as numbers', () => {
    expect(matchesOntapFilter(10, '>9')).toBe(true);
    expect(matchesOntapFilter(10, '<9')).toBe(false);
    expect(matchesOntapFilter('10', '>9')).toBe(true);
    expect(matchesOntapFilter(5, '<=5')).toBe(true);
    expect(matchesOntapFilter(5, '<5')).toBe(false);
    expect(matchesOntapFilter(5, '>=5')).toBe(true);
    expect(matchesOntapFilter(4, '>=5')).toBe(false);
    expect(matchesOntapFilter(-1, '<0')).toBe(true);
  });

  it('compares text, such as ISO times, with < and > as text', () => {
    expect(matchesOntapFilter('2025-05-01T00:00:00+00:00', '>2025-01-01')).toBe(true);
    expect(matchesOntapFilter('2024-05-01T00:00:00+00:00', '>2025-01-01')).toBe(false);
    expect(matchesOntapFilter('b', '<c')).toBe(true);
  });

  it('combines operators across alternatives', () => {
    expect(matchesOntapFilter(3, '<2|>5')).toBe(false);
    expect(matchesOntapFilter(7, '<2|>5')).toBe(true);
    expect(matchesOntapFilter('paused', 'running|!success')).toBe(true);
  });

  it('does not match a missing value, except by negation', () => {
    expect(matchesOntapFilter(undefined, 'running')).toBe(false);
    expect(matchesOntapFilter(null, 'running')).toBe(false);
    expect(matchesOntapFilter(undefined, '!running')).toBe(true);
  });

  it('does not let a missing value satisfy a comparison', () => {
    expect(matchesOntapFilter(undefined, '<5')).toBe(false);
    expect(matchesOntapFilter(null, '>=0')).toBe(false);
  });
});
