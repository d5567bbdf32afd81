import { describe, expect, it } from 'vitest';
import { rejectionOf, useOntapHarness } from '../../helpers/ontap-harness.js';
import { type OntapClient, type OntapJob } from '../../../adapters/ontap/index.js';
import { planNextPoll } from '../../../src/engine/backoff.js';
import { resolveWaitOptions, type WaitOptions } from '../../../src/engine/options.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import {
  ApiError,
  AuthenticationError,
  InvalidArgumentError,
  InvalidResponseError,
  JobCancelledError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  NetworkError,
  RateLimitError,
  WaitAbortedError,
  waitForJob,
  watchJob,
} from '../../../src/index.js';
import { ONTAP_MAX_DELAY_MS } from '../../../adapters/ontap/client.js';
import { ONTAP_JOB_RETENTION_MS } from '../../../adapters/ontap/simulator.js';

const FAST = { minDelayMs: 2, maxDelayMs: 10 } as const;
const UUID = '1cd8a442-86d1-11e0-ae1c-123478563412';

let sim: Simulator;
let ontap: OntapClient;
const { connect } = useOntapHarness((harness) => ({ sim, ontap } = harness));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const failure = rejectionOf;

describe('waitForJob ends well', () => {
  it('resolves with the succeeded job after polling queued and running', async () => {
    const uuid = sim.ontap.addJob();
    const job = await ontap.waitForJob(uuid, FAST);
    expect(job.state).toBe('succeeded');
    expect(job.vendorState).toBe('success');
    expect(job.message).toBe('Complete: Successful');
    expect(job.endedAt).toBeInstanceOf(Date);
    expect(sim.requests).toHaveLength(3);
    expect(sim.requests.every((r) => r.method === 'GET' && r.path === `/api/cluster/jobs/${uuid}`)).toBe(true);
  });

  it('keeps polling through an undocumented state and reports it as unknown', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'migrating', polls: 2 }, { state: 'success' }] });
    const seen: OntapJob[] = [];
    const job = await ontap.waitForJob(uuid, { ...FAST, onProgress: (j) => seen.push(j) });
    expect(job.state).toBe('succeeded');
    expect(seen.map((j) => [j.state, j.vendorState])).toEqual([
      ['running', 'running'],
      ['unknown', 'migrating'],
      ['succeeded', 'success'],
    ]);
    expect(sim.requests).toHaveLength(4);
  });

  it('works through the standalone waitForJob with the client', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'success' }] });
    await expect(waitForJob(ontap, uuid, FAST)).resolves.toMatchObject({ state: 'succeeded', vendor: 'ontap' });
  });

  it('resolves early on the first snapshot that meets until, without another poll', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'queued', polls: 2 }, { state: 'running', polls: 10 }, { state: 'success' }] });
    const job = await ontap.waitForJob(uuid, { ...FAST, until: (j) => j.state === 'running' });
    expect(job.state).toBe('running');
    await sleep(30);
    expect(sim.requests).toHaveLength(3);
  });

  it('resolves with the failed job when throwOnFailure is false', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', message: 'Disk full', code: 5 }] });
    const job = await ontap.waitForJob(uuid, { ...FAST, throwOnFailure: false });
    expect(job.state).toBe('failed');
    expect(job.error).toEqual({ code: '5', message: 'Disk full' });
  });
});

describe('onProgress and watchJob report changes only', () => {
  it('calls onProgress with the first snapshot and each change, not with repeats of a state', async () => {
    const uuid = sim.ontap.addJob({
      steps: [
        { state: 'queued', message: 'Queued', polls: 3 },
        { state: 'running', message: 'Working', polls: 3 },
        { state: 'success', message: 'Done' },
      ],
    });
    const seen: string[] = [];
    await ontap.waitForJob(uuid, { ...FAST, onProgress: (j) => seen.push(`${j.state}:${j.message ?? ''}`) });
    expect(seen).toEqual(['queued:Queued', 'running:Working', 'succeeded:Done']);
    expect(sim.requests).toHaveLength(7);
  });

  it('reports a new message within the same state as a change', async () => {
    const uuid = sim.ontap.addJob({
      steps: [
        { state: 'running', message: 'step 1 of 2', polls: 2 },
        { state: 'running', message: 'step 2 of 2', polls: 2 },
        { state: 'success', message: 'Done' },
      ],
    });
    const seen: string[] = [];
    await ontap.waitForJob(uuid, { ...FAST, onProgress: (j) => seen.push(`${j.state}:${j.message ?? ''}`) });
    expect(seen).toEqual(['running:step 1 of 2', 'running:step 2 of 2', 'succeeded:Done']);
  });

  it('yields from watchJob the first snapshot and every change, and ends after the terminal one', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', message: 'm', polls: 4 }, { state: 'success', message: 'done' }] });
    const seen: string[] = [];
    for await (const job of ontap.watchJob(uuid, FAST)) seen.push(job.state);
    expect(seen).toEqual(['running', 'succeeded']);
    expect(sim.requests).toHaveLength(5);
  });

  it('yields a failed job from watchJob instead of throwing', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', message: 'boom', code: 1 }] });
    const seen: OntapJob[] = [];
    for await (const job of watchJob(ontap, uuid, FAST)) seen.push(job);
    expect(seen.map((j) => j.state)).toEqual(['running', 'failed']);
    expect(seen[1]?.error?.code).toBe('1');
  });

  it('stops polling when the loop over watchJob breaks', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'queued' }, { state: 'running', polls: 1_000 }] });
    const seen: string[] = [];
    for await (const job of ontap.watchJob(uuid, FAST)) {
      seen.push(job.state);
      if (job.state === 'running') break;
    }
    const count = sim.requests.length;
    expect(seen).toEqual(['queued', 'running']);
    await sleep(40);
    expect(sim.requests).toHaveLength(count);
  });

  it('throws from watchJob at once on options that are not valid', () => {
    expect(() => ontap.watchJob(UUID, { timeoutMs: -1 })).toThrow(InvalidArgumentError);
    expect(sim.requests).toEqual([]);
  });
});

describe('the error table, end to end', () => {
  it('rejects with JobFailedError carrying the failed job and its error code', async () => {
    const uuid = sim.ontap.addJob({
      steps: [
        { state: 'running' },
        { state: 'failure', message: 'Volume vol1 is offline', code: 460770, error: { code: '460770', message: 'Volume vol1 is offline', target: 'vol1' } },
      ],
    });
    const error = await failure(ontap.waitForJob(uuid, FAST));
    expect(error).toBeInstanceOf(JobFailedError);
    const failed = error as JobFailedError<unknown>;
    expect(failed.code).toBe('JOB_FAILED');
    expect(failed).not.toBeInstanceOf(JobCancelledError);
    expect(failed.job.id).toBe(uuid);
    expect(failed.job.state).toBe('failed');
    expect(failed.job.vendorState).toBe('failure');
    expect(failed.job.error).toEqual({ code: '460770', message: 'Volume vol1 is offline', target: 'vol1' });
    expect(failed.message).toContain('460770');
  });

  it('rejects with JobNotFoundError at once when the job is never seen (default grace)', async () => {
    const error = await failure(ontap.waitForJob(UUID, FAST));
    expect(error).toBeInstanceOf(JobNotFoundError);
    const notFound = error as JobNotFoundError;
    expect(notFound.code).toBe('JOB_NOT_FOUND');
    expect(notFound.jobId).toBe(UUID);
    expect(notFound.lastJob).toBeUndefined();
    expect(notFound.message).not.toMatch(/unknown/);
    expect(sim.requests).toHaveLength(1);
  });

  it('polls through 404s within notFoundGraceMs until a hidden job appears, then succeeds', async () => {
    const uuid = sim.ontap.addJob({ hiddenForPolls: 3, steps: [{ state: 'running' }, { state: 'success' }] });
    const job = await ontap.waitForJob(uuid, { ...FAST, notFoundGraceMs: 2_000 });
    expect(job.state).toBe('succeeded');
    expect(sim.requests).toHaveLength(5);
  });

  it('fails the same hidden job at once without a grace period', async () => {
    const uuid = sim.ontap.addJob({ hiddenForPolls: 3, steps: [{ state: 'running' }, { state: 'success' }] });
    await expect(ontap.waitForJob(uuid, FAST)).rejects.toBeInstanceOf(JobNotFoundError);
    expect(sim.requests).toHaveLength(1);
  });

  it('rejects with JobNotFoundError once notFoundGraceMs passes and the job never showed', async () => {
    const started = performance.now();
    const error = await failure(ontap.waitForJob(UUID, { ...FAST, notFoundGraceMs: 60 }));
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(sim.requests.length).toBeGreaterThan(1);
  });

  it('rejects with JobNotFoundError carrying lastJob when the job is deleted right after it ends', async () => {
    const uuid = sim.ontap.addJob({ deleteAfterPolls: 0, steps: [{ state: 'running', message: 'Working' }, { state: 'success' }] });
    const error = await failure(ontap.waitForJob(uuid, { ...FAST, notFoundGraceMs: 5_000 }));
    expect(error).toBeInstanceOf(JobNotFoundError);
    const vanished = error as JobNotFoundError<unknown>;
    expect(vanished.jobId).toBe(uuid);
    expect(vanished.lastJob?.state).toBe('running');
    expect(vanished.lastJob?.message).toBe('Working');
    expect(vanished.message).toMatch(/outcome is unknown/);
    expect(vanished.message).toMatch(/running/);
    expect(sim.requests).toHaveLength(2);
  });

  it('rejects with JobNotFoundError carrying lastJob when the job is deleted mid-wait', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    const error = await failure(ontap.waitForJob(uuid, { ...FAST, onProgress: () => sim.ontap.deleteJob(uuid) }));
    expect(error).toBeInstanceOf(JobNotFoundError);
    const vanished = error as JobNotFoundError<unknown>;
    expect(vanished.lastJob?.id).toBe(uuid);
    expect(vanished.lastJob?.state).toBe('running');
    expect(vanished.message).toMatch(/outcome is unknown/);
    expect(vanished.cause).toBeInstanceOf(ApiError);
    expect((vanished.cause as ApiError).status).toBe(404);
  });

  it('rejects with JobTimeoutError on time, naming the last state and the outcome counts', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', message: 'Still going' }] });
    const started = performance.now();
    const error = await failure(ontap.waitForJob(uuid, { ...FAST, timeoutMs: 150 }));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(JobTimeoutError);
    const timeout = error as JobTimeoutError<unknown>;
    expect(timeout.code).toBe('JOB_TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(1_000);
    expect(timeout.elapsedMs).toBeGreaterThanOrEqual(145);
    expect(timeout.jobId).toBe(uuid);
    expect(timeout.lastJob?.state).toBe('running');
    // the last poll may be cut off by the deadline while in flight: counted, but without an outcome
    expect(timeout.polls).toBeGreaterThan(3);
    expect(sim.requests.length).toBeLessThanOrEqual(timeout.polls);
    expect(sim.requests.length).toBeGreaterThanOrEqual(timeout.polls - 1);
    const counted = Object.values(timeout.outcomes).reduce((a, b) => a + b, 0);
    expect(counted).toBeLessThanOrEqual(timeout.polls);
    expect(counted).toBeGreaterThanOrEqual(timeout.polls - 1);
    expect(timeout.cause).toBeUndefined();
    expect(timeout.message).toContain('last state running');
    expect(timeout.message).toContain('Still going');
    expect(timeout.message).toContain(`${timeout.polls} polls`);
    const [key, count] = Object.entries(timeout.outcomes)[0] ?? [];
    expect(timeout.message).toContain(`${key} x${count}`);
  });

  it('rejects with JobTimeoutError whose cause is the ApiError when 503 persists', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'status', status: 503, body: { error: { message: 'busy', code: '503' } }, path: uuid, times: 10_000 });
    const error = await failure(ontap.waitForJob(uuid, { ...FAST, timeoutMs: 120 }));
    expect(error).toBeInstanceOf(JobTimeoutError);
    const timeout = error as JobTimeoutError<unknown>;
    expect(timeout.cause).toBeInstanceOf(ApiError);
    expect((timeout.cause as ApiError).status).toBe(503);
    expect(timeout.lastJob).toBeUndefined();
    expect(timeout.outcomes['503']).toBeGreaterThanOrEqual(timeout.polls - 1);
    // every poll is counted: each got 503, but a last one the deadline cut off (DEADLINE)
    expect(Object.keys(timeout.outcomes).filter((k) => k !== 'DEADLINE')).toEqual(['503']);
    expect(Object.values(timeout.outcomes).reduce((a, b) => a + b, 0)).toBe(timeout.polls);
    expect(timeout.message).toContain('never seen');
    expect(timeout.message).toContain(`503 x${timeout.outcomes['503']}`);
  });

  it('keeps the last seen job on a timeout when 503s start after the job was seen', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', message: 'Working' }] });
    const error = await failure(
      ontap.waitForJob(uuid, {
        ...FAST,
        timeoutMs: 120,
        onProgress: () => sim.fault({ type: 'status', status: 503, path: uuid, times: 10_000 }),
      }),
    );
    expect(error).toBeInstanceOf(JobTimeoutError);
    const timeout = error as JobTimeoutError<unknown>;
    expect(timeout.lastJob?.state).toBe('running');
    expect(timeout.cause).toBeInstanceOf(ApiError);
    expect(timeout.message).toContain('last state running');
  });

  it('rejects with JobTimeoutError whose cause is a RateLimitError when 429 persists', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'rate-limit', path: uuid, times: 10_000 });
    const error = await failure(ontap.waitForJob(uuid, { ...FAST, timeoutMs: 120 }));
    expect(error).toBeInstanceOf(JobTimeoutError);
    const timeout = error as JobTimeoutError<unknown>;
    expect(timeout.cause).toBeInstanceOf(RateLimitError);
    expect((timeout.cause as RateLimitError).status).toBe(429);
    expect((timeout.cause as RateLimitError).code).toBe('RATE_LIMITED');
    expect(timeout.outcomes['429']).toBeGreaterThanOrEqual(timeout.polls - 1);
    // every poll is counted: each got 429, but a last one the deadline cut off (DEADLINE)
    expect(Object.keys(timeout.outcomes).filter((k) => k !== 'DEADLINE')).toEqual(['429']);
    expect(Object.values(timeout.outcomes).reduce((a, b) => a + b, 0)).toBe(timeout.polls);
  });

  it('rejects at once with a permanent NetworkError when the port is closed and never answered', async () => {
    const dead = await startSimulator();
    const url = dead.url;
    await dead.close();
    const client = connect(url);
    const started = performance.now();
    const error = await failure(client.waitForJob(UUID, { ...FAST, timeoutMs: 5_000 }));
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).transient).toBe(false);
    expect((error as NetworkError).url).toContain(`/api/cluster/jobs/${UUID}`);
    expect((error as NetworkError).message).toContain('connection refused (ECONNREFUSED)');
  });

  it('rejects with JobTimeoutError whose cause is a NetworkError when the port closes after it answered', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    let closed: Promise<void> | undefined;
    const error = await failure(ontap.waitForJob(uuid, { ...FAST, timeoutMs: 400, onProgress: () => (closed ??= sim.close()) }));
    await closed;
    expect(error).toBeInstanceOf(JobTimeoutError);
    const timeout = error as JobTimeoutError<unknown>;
    expect(timeout.cause).toBeInstanceOf(NetworkError);
    expect((timeout.cause as NetworkError).transient).toBe(true);
    expect((timeout.cause as NetworkError).url).toContain(`/api/cluster/jobs/${uuid}`);
    expect(timeout.lastJob?.state).toBe('running');
    // every poll is counted: the first answered, the others got NETWORK, but a last one the deadline cut off (DEADLINE)
    expect(timeout.outcomes['ok']).toBe(1);
    expect(Object.keys(timeout.outcomes).filter((k) => k !== 'DEADLINE').sort()).toEqual(['NETWORK', 'ok']);
    expect(timeout.outcomes['NETWORK']).toBeGreaterThanOrEqual(timeout.polls - 2);
    expect(Object.values(timeout.outcomes).reduce((a, b) => a + b, 0)).toBe(timeout.polls);
    expect(timeout.polls).toBeGreaterThan(2);
  });

  it('rejects with WaitAbortedError and sends no request after the abort', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    const controller = new AbortController();
    const reason = new Error('user pressed ctrl-c');
    let atAbort = -1;
    const started = performance.now();
    const error = await failure(
      ontap.waitForJob(uuid, {
        signal: controller.signal,
        minDelayMs: 1_000,
        maxDelayMs: 1_000,
        onProgress: () =>
          setTimeout(() => {
            atAbort = sim.requests.length;
            controller.abort(reason);
          }, 20),
      }),
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(error).toBeInstanceOf(WaitAbortedError);
    const aborted = error as WaitAbortedError<unknown>;
    expect(aborted.code).toBe('ABORTED');
    expect(aborted.cause).toBe(reason);
    expect(aborted.jobId).toBe(uuid);
    expect(aborted.lastJob?.state).toBe('running');
    expect(atAbort).toBe(1);
    await sleep(40);
    expect(sim.requests).toHaveLength(atAbort);
  });

  it('aborts a poll that is in flight at once', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'hang', path: uuid });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = performance.now();
    await expect(ontap.waitForJob(uuid, { ...FAST, signal: controller.signal })).rejects.toBeInstanceOf(WaitAbortedError);
    expect(performance.now() - started).toBeLessThan(1_000);
    await sleep(30);
    expect(sim.requests).toHaveLength(1);
  });

  it('rejects with WaitAbortedError and sends nothing when the signal is already aborted', async () => {
    const uuid = sim.ontap.addJob();
    const error = await failure(ontap.waitForJob(uuid, { ...FAST, signal: AbortSignal.abort('too late') }));
    expect(error).toBeInstanceOf(WaitAbortedError);
    expect((error as WaitAbortedError).cause).toBe('too late');
    expect((error as WaitAbortedError).lastJob).toBeUndefined();
    expect(sim.requests).toEqual([]);
  });

  it('ends the wait at once with ApiError 400 carrying the ONTAP error code', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({
      type: 'status',
      status: 400,
      body: { error: { message: 'Unexpected argument "fields".', code: '262179', target: 'fields', arguments: [{ code: '1', message: 'fields' }] } },
      path: uuid,
    });
    const error = await failure(ontap.waitForJob(uuid, { ...FAST, timeoutMs: 5_000 }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    const api = error as ApiError;
    expect(api.code).toBe('API_ERROR');
    expect(api.status).toBe(400);
    expect(api.vendorCode).toBe('262179');
    expect(api.vendorMessage).toBe('Unexpected argument "fields".');
    expect(api.target).toBe('fields');
    expect(api.method).toBe('GET');
    expect(api.url).toBe(`${sim.url}/api/cluster/jobs/${uuid}`);
    expect(sim.requests).toHaveLength(1);
  });

  it('ends the wait at once with AuthenticationError on wrong credentials (401)', async () => {
    sim.ontap.credentials = { username: 'admin', password: 'the-real-one' };
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const error = await failure(ontap.waitForJob(uuid, { ...FAST, timeoutMs: 5_000 }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe('AUTHENTICATION');
    expect((error as AuthenticationError).status).toBe(401);
    expect(sim.requests).toHaveLength(1);
  });

  it('ends the wait at once with AuthenticationError on a 403', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'status', status: 403, body: { error: { message: 'not authorized for that command', code: '6' } }, path: uuid });
    const error = await failure(ontap.waitForJob(uuid, { ...FAST, timeoutMs: 5_000 }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(403);
    expect((error as AuthenticationError).vendorCode).toBe('6');
    expect(sim.requests).toHaveLength(1);
  });

  it('ends the wait at once with InvalidResponseError when a 200 is not JSON', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'raw', status: 200, body: '<html><body>Gateway login</body></html>', path: uuid });
    const error = await failure(ontap.waitForJob(uuid, { ...FAST, timeoutMs: 5_000 }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).code).toBe('INVALID_RESPONSE');
    expect((error as InvalidResponseError).status).toBe(200);
    expect(sim.requests).toHaveLength(1);
  });

  it('ends the wait at once with InvalidResponseError when a record has no state', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', fields: { state: undefined } }] });
    await expect(ontap.waitForJob(uuid, { ...FAST, timeoutMs: 5_000 })).rejects.toBeInstanceOf(InvalidResponseError);
    expect(sim.requests).toHaveLength(1);
  });

  const badOptions: [string, unknown][] = [
    ['a zero timeoutMs', { timeoutMs: 0 }],
    ['a negative timeoutMs', { timeoutMs: -5 }],
    ['a NaN timeoutMs', { timeoutMs: Number.NaN }],
    ['a string timeoutMs', { timeoutMs: '100' }],
    ['a zero minDelayMs', { minDelayMs: 0 }],
    ['an infinite maxDelayMs', { maxDelayMs: Infinity }],
    ['maxDelayMs below minDelayMs', { minDelayMs: 50, maxDelayMs: 10 }],
    ['a negative notFoundGraceMs', { notFoundGraceMs: -1 }],
    ['a signal that is not an AbortSignal', { signal: { aborted: false } }],
    ['an onProgress that is not a function', { onProgress: 'log' }],
    ['an until that is not a function', { until: true }],
    ['a string throwOnFailure', { throwOnFailure: 'no' }],
    ['options that are a string', 'fast'],
    ['options that are null', null],
  ];

  it.each(badOptions)('rejects %s with InvalidArgumentError before any request', async (_what, options) => {
    const uuid = sim.ontap.addJob();
    const error = await failure(ontap.waitForJob(uuid, options as WaitOptions<OntapJob["raw"]>));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).code).toBe('INVALID_ARGUMENT');
    expect(sim.requests).toEqual([]);
  });

  it('rejects a bad job id with InvalidArgumentError before any request', async () => {
    const error = await failure(ontap.waitForJob('not-a-uuid', FAST));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(sim.requests).toEqual([]);
  });
});

describe('retries and Retry-After', () => {
  it('retries a passing 503 without ending the wait', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'success' }] });
    sim.fault({ type: 'status', status: 503, path: uuid, times: 3 });
    await expect(ontap.waitForJob(uuid, FAST)).resolves.toMatchObject({ state: 'succeeded' });
    expect(sim.requests.filter((r) => r.fault === 'status')).toHaveLength(3);
  });

  it('retries a passing 429 and a connection reset without ending the wait', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'success' }] });
    sim.fault({ type: 'rate-limit', path: uuid, times: 2 });
    sim.fault({ type: 'reset', path: uuid, times: 2 });
    await expect(ontap.waitForJob(uuid, FAST)).resolves.toMatchObject({ state: 'succeeded' });
    expect(sim.requests.filter((r) => r.fault !== undefined)).toHaveLength(4);
  });

  it('stretches the delay before the next poll to a 429 Retry-After', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'success' }] });
    sim.fault({ type: 'rate-limit', retryAfter: 0.2, path: uuid });
    const job = await ontap.waitForJob(uuid, FAST);
    expect(job.state).toBe('succeeded');
    const [limited, next, last] = sim.requests;
    expect(limited?.fault).toBe('rate-limit');
    expect(next?.fault).toBeUndefined();
    expect(next!.at - limited!.at).toBeGreaterThanOrEqual(190);
    expect(last!.at - next!.at).toBeLessThan(150);
  });

  it('honours a short Retry-After inside the transport retry', async () => {
    const client = connect(sim.url, { retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 200 } });
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'rate-limit', retryAfter: 0.08, path: uuid });
    await expect(client.getJob(uuid)).resolves.toMatchObject({ state: 'running' });
    const [limited, retried] = sim.requests;
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(75);
  });
});

describe("ONTAP's wait policy", () => {
  it('declares a delay cap of 60 s, well under the 300 s after which ONTAP deletes a finished job', () => {
    expect(ONTAP_MAX_DELAY_MS).toBe(60_000);
    expect(ontap.waitPolicy.maxDelayMs).toBe(60_000);
    expect(ontap.waitPolicy.maxDelayMs! * 4).toBeLessThanOrEqual(ONTAP_JOB_RETENTION_MS);
    expect(Object.isFrozen(ontap.waitPolicy)).toBe(true);
  });

  it("caps a user's maxDelayMs of 600 000 at 60 000", () => {
    const resolved = resolveWaitOptions({ maxDelayMs: 600_000 }, ontap.waitPolicy);
    expect(resolved.maxDelayMs).toBe(60_000);
    expect(resolved.retryAfterCapMs).toBe(60_000);
    for (const step of [0, 5, 10, 30, 100]) {
      const plan = planNextPoll({ step, remainingMs: Infinity, schedule: resolved, random: () => 0.999 });
      expect(plan.kind).toBe('poll');
      if (plan.kind === 'poll') expect(plan.delayMs).toBeLessThanOrEqual(60_000);
    }
    const late = planNextPoll({ step: 100, remainingMs: Infinity, schedule: resolved, random: () => 0.5 });
    expect(late).toEqual({ kind: 'poll', delayMs: 60_000, earliestDelayMs: 48_000, final: false });
    // without ONTAP's policy the same options would wait ten minutes
    const unbounded = resolveWaitOptions({ maxDelayMs: 600_000 });
    expect(planNextPoll({ step: 100, remainingMs: Infinity, schedule: unbounded, random: () => 0.5 })).toMatchObject({ delayMs: 600_000 });
  });

  it("caps a minDelayMs above 60 s and a 10-minute Retry-After at 60 s too", () => {
    const resolved = resolveWaitOptions({ minDelayMs: 300_000, maxDelayMs: 600_000 }, ontap.waitPolicy);
    expect(resolved.minDelayMs).toBeLessThanOrEqual(60_000);
    const plan = planNextPoll({ step: 0, remainingMs: Infinity, retryAfterMs: 600_000, schedule: resolved, random: () => 0.5 });
    expect(plan).toEqual({ kind: 'poll', delayMs: 60_000, earliestDelayMs: 60_000, final: false });
  });

  it('never lets a 10-minute Retry-After push a wait past its deadline', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    sim.fault({ type: 'rate-limit', retryAfter: 600, path: uuid, times: 10_000 });
    const started = performance.now();
    const error = await failure(ontap.waitForJob(uuid, { ...FAST, timeoutMs: 150 }));
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect((error as JobTimeoutError).cause).toBeInstanceOf(RateLimitError);
    expect(((error as JobTimeoutError).cause as RateLimitError).retryAfterMs).toBe(600_000);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("applies the client's waitPolicy in its own waitForJob (a tighter cap makes the same options poll faster)", async () => {
    // The same options with a 1-second delay floor: under a 5 ms policy cap the wait ends in a few
    // milliseconds; this proves waitForJob reads the client's waitPolicy, whose ONTAP value is 60 s.
    const client = connect(sim.url);
    Object.defineProperty(client, 'waitPolicy', { value: Object.freeze({ maxDelayMs: 5 }) });
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 3 }, { state: 'success' }] });
    const started = performance.now();
    const job = await client.waitForJob(uuid, { minDelayMs: 1_000, maxDelayMs: 1_000 });
    expect(job.state).toBe('succeeded');
    expect(performance.now() - started).toBeLessThan(500);
    expect(sim.requests).toHaveLength(4);
  });
});
