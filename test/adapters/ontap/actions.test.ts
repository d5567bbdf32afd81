import { describe, expect, it } from 'vitest';
import { rejectionOf, useOntapHarness } from '../../helpers/ontap-harness.js';
import { type OntapClient } from '../../../adapters/ontap/index.js';
import type { Simulator } from '../../../src/testing/index.js';
import { ApiError, AuthenticationError, InvalidArgumentError, JobCancelledError, JobFailedError, JobNotFoundError } from '../../../src/index.js';
import { ontapJobIdFrom } from '../../../adapters/ontap/client.js';

const FAST = { minDelayMs: 2, maxDelayMs: 10 } as const;
const UUID = '1cd8a442-86d1-11e0-ae1c-123478563412';

let sim: Simulator;
let ontap: OntapClient;
const { connect } = useOntapHarness((harness) => ({ sim, ontap } = harness));

const failure = rejectionOf;

describe('job actions on the wire', () => {
  it.each([
    ['cancelJob', 'cancel'],
    ['pauseJob', 'pause'],
    ['resumeJob', 'resume'],
  ] as const)('%s sends PATCH /api/cluster/jobs/{uuid}?action=%s with basic auth and no body', async (method, action) => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    if (action === 'resume') await ontap.pauseJob(uuid);
    sim.requests.length = 0;
    await expect(ontap[method](uuid)).resolves.toBeUndefined();
    expect(sim.requests).toHaveLength(1);
    const [request] = sim.requests;
    expect(request?.method).toBe('PATCH');
    expect(request?.path).toBe(`/api/cluster/jobs/${uuid}`);
    expect(request?.url).toBe(`/api/cluster/jobs/${uuid}?action=${action}`);
    expect([...(request?.query.keys() ?? [])]).toEqual(['action']);
    expect(request?.headers['authorization']).toMatch(/^Basic /);
    expect(request?.body).toBe('');
  });

  it('keeps a base path in front of an action', async () => {
    const client = connect(`${sim.url}/prefix`);
    await client.cancelJob(UUID).catch(() => undefined);
    expect(sim.requests[0]?.method).toBe('PATCH');
    expect(sim.requests[0]?.url).toBe(`/prefix/api/cluster/jobs/${UUID}?action=cancel`);
  });
});

describe('cancel, pause and resume', () => {
  it('ends a cancelled job as failure, so a wait rejects with JobFailedError, not JobCancelledError', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    await ontap.cancelJob(uuid);
    const job = await ontap.getJob(uuid);
    expect(job.state).toBe('failed');
    expect(job.vendorState).toBe('failure');
    expect(job.error?.code).toBe('458753');
    const error = await failure(ontap.waitForJob(uuid, FAST));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).not.toBeInstanceOf(JobCancelledError);
    expect((error as JobFailedError).job.message).toBe('Job was cancelled.');
  });

  it('cancels a job a wait is watching, and the wait ends with the failure', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    let cancelled: Promise<void> | undefined;
    const job = await ontap.waitForJob(uuid, {
      ...FAST,
      throwOnFailure: false,
      onProgress: (j) => {
        if (j.state === 'running') cancelled ??= ontap.cancelJob(uuid);
      },
    });
    await cancelled;
    expect(job.state).toBe('failed');
    expect(sim.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('pauses a running job, which then holds paused, and resumes it to success', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 2 }, { state: 'success', message: 'Done' }] });
    await ontap.pauseJob(uuid);
    for (let i = 0; i < 3; i++) {
      const paused = await ontap.getJob(uuid);
      expect(paused.state).toBe('paused');
      expect(paused.vendorState).toBe('paused');
    }
    await ontap.resumeJob(uuid);
    const seen: string[] = [];
    const job = await ontap.waitForJob(uuid, { ...FAST, onProgress: (j) => seen.push(j.state) });
    expect(job.state).toBe('succeeded');
    expect(seen).toEqual(['running', 'succeeded']);
  });

  it('reports paused to a wait that watches a job being paused', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    let paused: Promise<void> | undefined;
    const job = await ontap.waitForJob(uuid, {
      ...FAST,
      onProgress: (j) => {
        if (j.state === 'running') paused ??= ontap.pauseJob(uuid);
      },
      until: (j) => j.state === 'paused',
    });
    await paused;
    expect(job.state).toBe('paused');
    expect(job.message).toBe('Paused by user');
  });
});

describe("the vendor's refusals", () => {
  it('rejects cancel of a job that cannot be cancelled with ApiError vendorCode 458784', async () => {
    const uuid = sim.ontap.addJob({ cancellable: false, steps: [{ state: 'running', polls: 1_000 }] });
    const error = await failure(ontap.cancelJob(uuid));
    expect(error).toBeInstanceOf(ApiError);
    const api = error as ApiError;
    expect(api.status).toBe(400);
    expect(api.vendorCode).toBe('458784');
    expect(api.vendorMessage).toBe('This job does not support cancel.');
    expect(api.method).toBe('PATCH');
    expect(api.url).toBe(`${sim.url}/api/cluster/jobs/${uuid}?action=cancel`);
    expect(sim.requests).toHaveLength(1);
    await expect(ontap.getJob(uuid)).resolves.toMatchObject({ state: 'running' });
  });

  it('rejects pause of a job that cannot be paused with ApiError vendorCode 458783', async () => {
    const uuid = sim.ontap.addJob({ pausable: false, steps: [{ state: 'running', polls: 1_000 }] });
    const error = await failure(ontap.pauseJob(uuid));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).vendorCode).toBe('458783');
    expect((error as ApiError).url).toContain('action=pause');
  });

  it.each(['cancelJob', 'pauseJob'] as const)('rejects %s of a finished job with ApiError vendorCode 458762', async (method) => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'success' }] });
    const error = await failure(ontap[method](uuid));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).vendorCode).toBe('458762');
    expect((error as ApiError).vendorMessage).toBe('Job is already in a terminal state.');
  });

  it('rejects pause of a queued job with ApiError vendorCode 458776', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'queued', polls: 1_000 }] });
    const error = await failure(ontap.pauseJob(uuid));
    expect((error as ApiError).vendorCode).toBe('458776');
  });

  it('rejects resume of a running job with ApiError vendorCode 458771', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    const error = await failure(ontap.resumeJob(uuid));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).vendorCode).toBe('458771');
  });

  it.each(['cancelJob', 'pauseJob', 'resumeJob'] as const)('rejects %s of a missing job with JobNotFoundError', async (method) => {
    const error = await failure(ontap[method](UUID));
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect((error as JobNotFoundError).jobId).toBe(UUID);
    expect((error as JobNotFoundError).lastJob).toBeUndefined();
    expect(sim.requests).toHaveLength(1);
  });

  it('rejects an action on a deleted job with JobNotFoundError', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    sim.ontap.deleteJob(uuid);
    await expect(ontap.cancelJob(uuid)).rejects.toBeInstanceOf(JobNotFoundError);
  });

  it('rejects an action with wrong credentials with AuthenticationError', async () => {
    sim.ontap.credentials = { username: 'admin', password: 'other' };
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    await expect(ontap.cancelJob(uuid)).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describe('retries of actions', () => {
  it('resends a cancel after a 502: cancel, pause and resume are idempotent in effect', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    sim.fault({ type: 'status', status: 502, path: uuid, method: 'PATCH' });
    await expect(ontap.cancelJob(uuid)).resolves.toBeUndefined();
    expect(sim.requests.map((r) => [r.method, r.fault ?? 'ok'])).toEqual([
      ['PATCH', 'status'],
      ['PATCH', 'ok'],
    ]);
    await expect(ontap.getJob(uuid)).resolves.toMatchObject({ state: 'failed' });
  });

  it.each([
    ['cancelJob', 'cancel'],
    ['pauseJob', 'pause'],
    ['resumeJob', 'resume'],
  ] as const)('%s goes again on a new connection when its kept-alive socket closes before any byte of the answer', async (method, action) => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    if (action === 'resume') await ontap.pauseJob(uuid);
    // A first request leaves a connection kept alive; the server then closes it as the PATCH arrives,
    // before any byte of an answer: what the client sees of a server that dropped the idle socket.
    await ontap.getJob(uuid);
    await new Promise((resolve) => setImmediate(resolve)); // the connection is back in the pool, idle
    const kept = new Set(sim.requests.map((r) => r.remotePort));
    const before = sim.requests.length;
    sim.fault({ type: 'reset', path: uuid, method: 'PATCH' });
    await expect(ontap[method](uuid)).resolves.toBeUndefined();
    const sent = sim.requests.slice(before);
    expect(sent.map((r) => [r.url, r.fault ?? 'ok'])).toEqual([
      [`/api/cluster/jobs/${uuid}?action=${action}`, 'reset'],
      [`/api/cluster/jobs/${uuid}?action=${action}`, 'ok'],
    ]);
    // the first went over a connection kept alive from before, the second over a new one
    expect(kept.has(sent[0]?.remotePort ?? -1)).toBe(true);
    expect(kept.has(sent[1]?.remotePort ?? -1)).toBe(false);
    const job = await ontap.getJob(uuid);
    expect(job.state).toBe(action === 'pause' ? 'paused' : action === 'cancel' ? 'failed' : 'running');
  });

  it('resends a cancel after a 503, which says the cluster did not act', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    sim.fault({ type: 'status', status: 503, path: uuid, method: 'PATCH' });
    await expect(ontap.cancelJob(uuid)).resolves.toBeUndefined();
    expect(sim.requests.map((r) => r.method)).toEqual(['PATCH', 'PATCH']);
    await expect(ontap.getJob(uuid)).resolves.toMatchObject({ state: 'failed' });
  });
});

describe('jobIdFrom', () => {
  const href = `/api/cluster/jobs/${UUID}`;

  it('reads the uuid of a 202 body given as an object', () => {
    expect(ontap.jobIdFrom({ job: { uuid: UUID, _links: { self: { href } } } })).toBe(UUID);
  });

  it('reads the uuid of a 202 body given as JSON text', () => {
    expect(ontap.jobIdFrom(JSON.stringify({ job: { uuid: UUID, _links: { self: { href } } } }))).toBe(UUID);
  });

  it('reads the uuid of a 202 body without _links and with extra fields', () => {
    expect(ontap.jobIdFrom({ job: { uuid: UUID }, num_records: 1, extra: true })).toBe(UUID);
  });

  it('reads the uuid of a query-based answer that holds one job', () => {
    expect(ontap.jobIdFrom({ jobs: [{ uuid: UUID, _links: { self: { href } } }], num_records: 1 })).toBe(UUID);
    expect(ontapJobIdFrom(JSON.stringify({ jobs: [{ uuid: UUID }] }))).toBe(UUID);
  });

  it('gives an id that waitForJob can wait on', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'success' }] });
    const id = ontap.jobIdFrom({ job: { uuid, _links: { self: { href: `/api/cluster/jobs/${uuid}` } } } });
    await expect(ontap.waitForJob(id, FAST)).resolves.toMatchObject({ id: uuid, state: 'succeeded' });
  });

  const junk: [string, unknown][] = [
    ['several jobs', { jobs: [{ uuid: UUID }, { uuid: '22222222-2222-4222-8222-222222222222' }], num_records: 2 }],
    ['no jobs', { jobs: [], num_records: 0 }],
    ['text that is not JSON', '{"job": '],
    ['an empty string', ''],
    ['a number', 202],
    ['null', null],
    ['undefined', undefined],
    ['an empty object', {}],
    ['a job without uuid', { job: {} }],
    ['a job with an empty uuid', { job: { uuid: '' } }],
    ['a job with a numeric uuid', { job: { uuid: 42 } }],
    ['a non-UUID uuid', { job: { uuid: 'job-42' } }],
    ['a path in the uuid', { job: { uuid: `${UUID}/../../x` } }],
    ['a uuid with a query', { job: { uuid: `${UUID}?action=cancel` } }],
    ['a non-UUID in jobs', { jobs: [{ uuid: '../..' }] }],
    ['an error body', { error: { message: "entry doesn't exist", code: '4' } }],
    ['an array', [{ uuid: UUID }]],
  ];

  it.each(junk)('refuses %s with InvalidArgumentError', (_what, body) => {
    expect(() => ontap.jobIdFrom(body)).toThrow(InvalidArgumentError);
    expect(() => ontapJobIdFrom(body)).toThrow(InvalidArgumentError);
  });

  it('says how many jobs a query-based answer held when it is not one', () => {
    expect(() => ontap.jobIdFrom({ jobs: [{ uuid: UUID }, { uuid: UUID }] })).toThrow(/2 jobs/);
  });

  it('sends no request', () => {
    ontap.jobIdFrom({ job: { uuid: UUID } });
    expect(() => ontap.jobIdFrom({ job: { uuid: 'x' } })).toThrow(InvalidArgumentError);
    expect(sim.requests).toEqual([]);
  });
});
