import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCceClient, type CceClient } from '../../../adapters/cce/index.js';
import { createOntapClient, type OntapClient } from '../../../adapters/ontap/index.js';
import { ClientClosedError, JobwaitError, waitForJob, waitForJobs, watchJob } from '../../../src/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { isTransient } from '../../../src/errors/transient.js';

/** A schedule whose next poll is far away: a wait that is not stopped by close() sleeps for seconds. */
const SLOW = { minDelayMs: 5_000, maxDelayMs: 5_000, timeoutMs: 60_000 } as const;
const RUNNING = [{ state: 'running' }] as const;

let sim: Simulator;
let ontap: OntapClient;
let cce: CceClient;

beforeEach(async () => {
  sim = await startSimulator();
  ontap = createOntapClient({ baseUrl: sim.url, auth: { username: 'admin', password: 'pw-123456' }, retry: { retries: 0 } });
  cce = createCceClient({ endpoint: sim.url, projectId: 'p-123', auth: { token: 'tok-123456' }, retry: { retries: 0 } });
});

afterEach(async () => {
  await ontap.close();
  await cce.close();
  await sim.close();
});

/** The rejection of `promise` and how long it took to come. */
async function rejectionAndTime(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - started };
}

/** Resolves once the simulator has answered `count` requests in all. */
async function requestsSeen(count: number): Promise<void> {
  while (sim.requests.length < count) await new Promise((resolve) => setTimeout(resolve, 2));
}

function expectClosed(error: unknown, jobId?: string): void {
  expect(error).toBeInstanceOf(ClientClosedError);
  expect(error).toBeInstanceOf(JobwaitError);
  expect((error as ClientClosedError).name).toBe('ClientClosedError');
  expect((error as ClientClosedError).code).toBe('CLIENT_CLOSED');
  if (jobId !== undefined) expect((error as ClientClosedError).jobId).toBe(jobId);
}

describe('close() ends the waits of a client', () => {
  it('a ClientClosedError is permanent: a wait never polls on after it', () => {
    expect(isTransient(new ClientClosedError({ vendor: 'ontap' }))).toBe(false);
  });

  it('a wait started after close() rejects at once with ClientClosedError, without sending a request', async () => {
    const uuid = sim.ontap.addJob({ steps: [...RUNNING] });
    await ontap.close();
    const { error, ms } = await rejectionAndTime(ontap.waitForJob(uuid, SLOW));
    expectClosed(error, uuid);
    expect(ms).toBeLessThan(1_000);
    expect(sim.requests).toHaveLength(0);
  });

  it('a getJob after close() rejects with ClientClosedError, without sending a request', async () => {
    const uuid = sim.ontap.addJob({ steps: [...RUNNING] });
    await ontap.close();
    expectClosed(await ontap.getJob(uuid).catch((e: unknown) => e));
    expect(sim.requests).toHaveLength(0);
  });

  it('a wait sleeping between polls rejects at once when the client is closed, keeping its last snapshot', async () => {
    const uuid = sim.ontap.addJob({ steps: [...RUNNING] });
    const waiting = rejectionAndTime(ontap.waitForJob(uuid, SLOW));
    await requestsSeen(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ontap.close();
    const { error, ms } = await waiting;
    expectClosed(error, uuid);
    expect((error as ClientClosedError).lastJob?.state).toBe('running');
    expect(ms).toBeLessThan(2_000);
    expect(sim.requests).toHaveLength(1);
  });

  it('the standalone waitForJob(client, …) and watchJob on a base client reject at once on close()', async () => {
    const a = sim.ontap.addJob({ steps: [...RUNNING] });
    const b = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    const standalone = rejectionAndTime(waitForJob(ontap, a, SLOW));
    const watched = (async () => {
      for await (const job of watchJob(cce, b, SLOW)) void job;
    })();
    const watching = rejectionAndTime(watched);
    await requestsSeen(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all([ontap.close(), cce.close()]);
    const [first, second] = await Promise.all([standalone, watching]);
    expectClosed(first.error, a);
    expectClosed(second.error, b);
    expect(Math.max(first.ms, second.ms)).toBeLessThan(2_000);
  });

  it('a batched waitForJobs fleet (ONTAP getJobs) settles every job with ClientClosedError on close()', async () => {
    const ids = [sim.ontap.addJob({ steps: [...RUNNING] }), sim.ontap.addJob({ steps: [...RUNNING] })];
    const fleet = rejectionAndTime(waitForJobs(ontap, ids, SLOW).then((outcomes) => Promise.reject(outcomes)));
    await requestsSeen(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ontap.close();
    const { error: outcomes, ms } = await fleet;
    expect(ms).toBeLessThan(2_000);
    expect((outcomes as { id: string; status: string; error: unknown }[]).map((o) => o.status)).toEqual(['rejected', 'rejected']);
    for (const [i, outcome] of (outcomes as { error: unknown }[]).entries()) expectClosed(outcome.error, ids[i]);
  });

  it('a waitForJobs fleet of one-job requests (CCE) settles every job with ClientClosedError on close()', async () => {
    const ids = [sim.cce.addJob({ steps: [{ phase: 'Running' }] }), sim.cce.addJob({ steps: [{ phase: 'Running' }] })];
    const fleet = rejectionAndTime(waitForJobs(cce, ids, SLOW).then((outcomes) => Promise.reject(outcomes)));
    await requestsSeen(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await cce.close();
    const { error: outcomes, ms } = await fleet;
    expect(ms).toBeLessThan(2_000);
    for (const [i, outcome] of (outcomes as { error: unknown }[]).entries()) expectClosed(outcome.error, ids[i]);
  });

  it('a wait whose request is in flight when the client is closed rejects at once', async () => {
    const uuid = sim.ontap.addJob({ steps: [...RUNNING] });
    sim.fault({ type: 'delay', ms: 5_000 });
    const waiting = rejectionAndTime(ontap.waitForJob(uuid, SLOW));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = ontap.close();
    const { error, ms } = await waiting;
    await closing;
    expectClosed(error, uuid);
    expect(ms).toBeLessThan(2_000);
  });
});
