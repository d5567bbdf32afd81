import { describe, expect, it } from 'vitest';
import type { OntapClient } from '../../../adapters/ontap/index.js';
import { AuthenticationError, JobFailedError, JobNotFoundError, JobTimeoutError, WaitAbortedError, waitForJob, waitForJobs } from '../../../src/index.js';
import type { Simulator } from '../../../src/testing/index.js';
import { useOntapHarness } from '../../helpers/ontap-harness.js';

let sim: Simulator;
let ontap: OntapClient;
useOntapHarness((harness) => ({ sim, ontap } = harness));

const FAST = { minDelayMs: 2, maxDelayMs: 10 } as const;
const collection = (): typeof sim.requests => sim.requests.filter((r) => r.path === '/api/cluster/jobs');

describe('waitForJobs on ONTAP (batched through getJobs)', () => {
  it('waits on 250 jobs with one collection query per chunk per round, never one request per job', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => sim.ontap.addJob({ steps: [{ state: 'running', polls: 1 + (i % 4) }, { state: 'success' }] }));
    // Each job is a wait of its own on the client's scheduler: a round's chunks answer a few ms
    // apart, so the delays must be long enough for their jitter windows (±20 %) to overlap.
    const outcomes = await waitForJobs(ontap, ids, { minDelayMs: 40, maxDelayMs: 80 });
    expect(outcomes.every((o) => o.status === 'fulfilled' && o.job.state === 'succeeded')).toBe(true);
    expect(outcomes.map((o) => o.id)).toEqual(ids);
    // 5 rounds at most (1-4 running polls, then success), 3 chunks in the first rounds, fewer later
    expect(collection().length).toBeLessThanOrEqual(15);
    expect(sim.requests.filter((r) => r.path.startsWith('/api/cluster/jobs/'))).toHaveLength(0);
  });

  it('treats a job missing from a batch like a 404 for that job alone: never seen, or seen and then vanished', async () => {
    const fine = sim.ontap.addJob({ steps: [{ state: 'running', polls: 2 }, { state: 'success' }] });
    const vanishing = sim.ontap.addJob({ steps: [{ state: 'running' }], deleteAfterPolls: 0 });
    const never = '00000000-0000-4000-8000-000000000000';
    const outcomes = await waitForJobs(ontap, [fine, vanishing, never], { ...FAST, onProgress: (job) => job.id === vanishing && sim.ontap.deleteJob(vanishing) });
    expect(outcomes[0]).toMatchObject({ status: 'fulfilled', job: { state: 'succeeded' } });
    expect(outcomes[1]?.error).toBeInstanceOf(JobNotFoundError);
    expect((outcomes[1]?.error as JobNotFoundError).lastJob?.state).toBe('running');
    expect(outcomes[2]?.error).toBeInstanceOf(JobNotFoundError);
    expect((outcomes[2]?.error as JobNotFoundError).lastJob).toBeUndefined();
  });

  it('keeps polling a job not visible yet within notFoundGraceMs', async () => {
    const late = sim.ontap.addJob({ hiddenForPolls: 2, steps: [{ state: 'success' }] });
    const outcomes = await waitForJobs(ontap, [late], { ...FAST, notFoundGraceMs: 1_000 });
    expect(outcomes[0]).toMatchObject({ status: 'fulfilled', job: { state: 'succeeded' } });
  });

  it('reports failures per job, fires onProgress per change, and keeps input order with repeated ids', async () => {
    const ok = sim.ontap.addJob({ steps: [{ state: 'queued' }, { state: 'success' }] });
    const bad = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', message: 'disk full' }] });
    const seen: string[] = [];
    const outcomes = await waitForJobs(ontap, [bad, ok, bad], { ...FAST, onProgress: (job) => seen.push(`${job.id === ok ? 'ok' : 'bad'}:${job.state}`) });
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect(outcomes[0]?.error).toBeInstanceOf(JobFailedError);
    expect(seen.sort()).toEqual(['bad:failed', 'bad:running', 'ok:queued', 'ok:succeeded']);
  });

  it('rejects at once under failFast and sends nothing more', async () => {
    const bad = sim.ontap.addJob({ steps: [{ state: 'failure' }] });
    const slow = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    await expect(waitForJobs(ontap, [slow, bad], { ...FAST, failFast: true })).rejects.toBeInstanceOf(JobFailedError);
    const count = sim.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sim.requests.length).toBe(count);
  });

  it('times every unfinished job out at the one deadline, and stops on abort', async () => {
    const a = sim.ontap.addJob({ steps: [{ state: 'running' }] });
    const timedOut = await waitForJobs(ontap, [a], { ...FAST, timeoutMs: 50 });
    expect(timedOut[0]?.error).toBeInstanceOf(JobTimeoutError);
    expect((timedOut[0]?.error as JobTimeoutError).lastJob?.state).toBe('running');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('enough')), 20);
    const aborted = await waitForJobs(ontap, [a], { ...FAST, signal: controller.signal });
    expect(aborted[0]?.error).toBeInstanceOf(WaitAbortedError);
  });

  it('gives every pending job the permanent error of a round (401)', async () => {
    const a = sim.ontap.addJob();
    const b = sim.ontap.addJob();
    sim.ontap.credentials = { username: 'admin', password: 'another' };
    const outcomes = await waitForJobs(ontap, [a, b], FAST);
    expect(outcomes.every((o) => o.error instanceof AuthenticationError)).toBe(true);
    expect(sim.requests).toHaveLength(1);
  });

  it('polls through transient trouble of a round (503) and still ends right', async () => {
    const a = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'success' }] });
    sim.fault({ type: 'status', status: 503, path: '/api/cluster/jobs', times: 4 });
    const outcomes = await waitForJobs(ontap, [a], FAST);
    expect(outcomes[0]).toMatchObject({ status: 'fulfilled', job: { state: 'succeeded' } });
  });
});

describe('waits of one client meeting a 429', () => {
  it('pause together: only the requests already in flight see the 429, the rest wait out the Retry-After', async () => {
    const ids = Array.from({ length: 40 }, () => sim.ontap.addJob({ steps: [{ state: 'running', polls: 2 }, { state: 'success' }] }));
    const client = ontap;
    // Every request for the next 150 ms is answered 429 with Retry-After: 0.2.
    sim.fault({ type: 'rate-limit', retryAfter: '0.2', times: Infinity });
    setTimeout(() => sim.clearFaults(), 150);
    const plain = { vendor: client.vendor, waitPolicy: client.waitPolicy, getJob: client.getJob.bind(client) };
    const outcomes = await waitForJobs(plain, ids, { minDelayMs: 5, maxDelayMs: 20, concurrency: 40 });
    expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
    const limited = sim.requests.filter((r) => r.fault === 'rate-limit');
    // the client's budget is 16 requests in flight: at most those met the 429 before the pause
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.length).toBeLessThanOrEqual(16);
    const firstLimited = limited[0]?.at ?? 0;
    const afterPause = sim.requests.filter((r) => !r.fault && r.at > firstLimited);
    expect(Math.min(...afterPause.map((r) => r.at)) - firstLimited).toBeGreaterThanOrEqual(190);
  });
});

describe('waits started together', () => {
  it('do not poll in lock-step on a client without getJobs: their first delays are spread by the jitter', async () => {
    const ids = Array.from({ length: 20 }, () => sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'success' }] }));
    const plain = { vendor: ontap.vendor, waitPolicy: ontap.waitPolicy, getJob: ontap.getJob.bind(ontap) };
    const started = Date.now();
    await Promise.all(ids.map((id) => waitForJob(plain, id, { minDelayMs: 100, maxDelayMs: 100_000 })));
    const secondPolls = ids.map((id) => (sim.requests.filter((r) => r.path.endsWith(id))[1]?.at ?? 0) - started);
    // ±20 % of 100 ms, kept at or above minDelayMs: spread over 100-120 ms rather than all at 100 ms
    // (with 20 waits, a spread under 8 ms has odds of about 1 in 10,000)
    expect(Math.max(...secondPolls) - Math.min(...secondPolls)).toBeGreaterThanOrEqual(8);
    for (const at of secondPolls) expect(at).toBeGreaterThanOrEqual(75);
  });

  it('share requests on ONTAP: separate waits due together are polled with one collection query per round', async () => {
    const ids = Array.from({ length: 20 }, () => sim.ontap.addJob({ steps: [{ state: 'running', polls: 2 }, { state: 'success' }] }));
    const outcomes = await Promise.all(ids.map((id) => ontap.waitForJob(id, { minDelayMs: 100, maxDelayMs: 100_000 })));
    expect(outcomes.map((job) => job.state)).toEqual(ids.map(() => 'succeeded'));
    // three rounds (running, running, success), one request each; no job polled on its own
    expect(collection()).toHaveLength(3);
    expect(sim.requests.filter((r) => r.path.startsWith('/api/cluster/jobs/'))).toHaveLength(0);
  });
});
