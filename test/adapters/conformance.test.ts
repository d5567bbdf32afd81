import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCasClient } from '../../adapters/cas/index.js';
import { createCceClient } from '../../adapters/cce/index.js';
import { createOntapClient } from '../../adapters/ontap/index.js';
import { AuthenticationError, JobFailedError, JobNotFoundError, JobTimeoutError, WaitAbortedError, type Job, type JobClient } from '../../src/index.js';
import { startSimulator, type Simulator } from '../../src/testing/index.js';
import { jobChanged } from '../../src/job-changes.js';

/** One vendor, as the scenarios below see it: how to script a job and make a client. */
interface Vendor {
  name: 'ontap' | 'cas' | 'cce';
  client(sim: Simulator, credential?: string): JobClient;
  /** A job that goes queued → running → succeeded, one step per poll. */
  succeeding(sim: Simulator): string;
  /** A job that goes queued → running → failed with a vendor error. */
  failing(sim: Simulator): string;
  /** A job that stays running. */
  running(sim: Simulator): string;
  /** An id the vendor accepts but does not have. */
  missing: string;
  /** Makes the simulated vendor demand a credential the default client lacks. */
  demandCredential(sim: Simulator): void;
  /** The path part that addresses a job, to aim faults. */
  jobPath: string;
}

const RETRY = { retries: 0 } as const;
const PROJECT = '063a3158b1a34710b36ad208b9497d00';

const vendors: Vendor[] = [
  {
    name: 'ontap',
    client: (sim, credential = 'right') => createOntapClient({ baseUrl: sim.url, auth: { username: 'admin', password: credential }, retry: RETRY }),
    succeeding: (sim) => sim.ontap.addJob({ steps: [{ state: 'queued' }, { state: 'running', message: 'working' }, { state: 'success', message: 'done' }] }),
    failing: (sim) => sim.ontap.addJob({ steps: [{ state: 'queued' }, { state: 'running' }, { state: 'failure', message: 'Volume is offline', error: { code: '917927', message: 'Volume is offline' } }] }),
    running: (sim) => sim.ontap.addJob({ steps: [{ state: 'running' }] }),
    missing: '00000000-0000-4000-8000-000000000000',
    demandCredential: (sim) => {
      sim.ontap.credentials = { username: 'admin', password: 'another' };
    },
    jobPath: '/api/cluster/jobs/',
  },
  {
    name: 'cas',
    client: (sim, credential = 'right') => createCasClient({ endpoint: sim.url, projectId: PROJECT, auth: { token: credential }, retry: RETRY }),
    succeeding: (sim) =>
      sim.cas.addJob({
        tasks: [{ TASK_NAME: 'build' }, { TASK_NAME: 'deploy' }],
        steps: [
          { status: 'SUBMITTED', taskStatuses: ['SUBMITTED', 'SUBMITTED'] },
          { status: 'RUNNING', taskStatuses: ['SUCCEEDED', 'RUNNING'] },
          { status: 'SUCCEEDED', taskStatuses: ['SUCCEEDED', 'SUCCEEDED'] },
        ],
      }),
    failing: (sim) => sim.cas.addJob({ jobId: `JOB${Math.random().toString(16).slice(2)}` }),
    running: (sim) => sim.cas.addJob({ steps: [{ status: 'RUNNING' }] }),
    missing: 'JOB00000000-0000-4000-8000-000000000000',
    demandCredential: (sim) => {
      sim.cas.auth = { token: 'another' };
    },
    jobPath: '/cas/jobs/',
  },
  {
    name: 'cce',
    client: (sim, credential = 'right') => createCceClient({ endpoint: sim.url, projectId: PROJECT, auth: { token: credential }, retry: RETRY }),
    succeeding: (sim) => sim.cce.addJob({ uid: crypto.randomUUID() }),
    failing: (sim) =>
      sim.cce.addJob({
        uid: crypto.randomUUID(),
        steps: [
          { phase: 'Initializing', subJobPhases: ['Initializing', 'Initializing'] },
          { phase: 'Running', subJobPhases: ['Success', 'Running'] },
          { phase: 'Failed', reason: 'InstallFailed', message: 'Install master failed', subJobPhases: ['Success', 'Failed'] },
        ],
      }),
    running: (sim) => sim.cce.addJob({ uid: crypto.randomUUID(), steps: [{ phase: 'Running' }] }),
    missing: '00000000-0000-4000-8000-000000000000',
    demandCredential: (sim) => {
      sim.cce.auth = { token: 'another' };
    },
    jobPath: '/jobs/',
  },
];

const FAST = { minDelayMs: 2, maxDelayMs: 10 } as const;

describe.each(vendors)('waitForJob behaves the same way for $name', (vendor) => {
  let sim: Simulator;
  let client: JobClient;
  beforeEach(async () => {
    sim = await startSimulator();
    client = vendor.client(sim);
  });
  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  it('resolves with the succeeded job after reporting queued, running and succeeded to onProgress', async () => {
    const id = vendor.succeeding(sim);
    const states: string[] = [];
    const job = await client.waitForJob(id, { ...FAST, onProgress: (j) => states.push(j.state) });
    expect(job).toMatchObject({ vendor: vendor.name, id, state: 'succeeded' });
    expect(states[0]).toBe('queued');
    expect(states).toContain('running');
    expect(states.at(-1)).toBe('succeeded');
  });

  it('rejects a failed job with JobFailedError whose job carries the vendor error', async () => {
    const id = vendor.failing(sim);
    const error = await client.waitForJob(id, FAST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    const job = (error as JobFailedError).job as Job;
    expect(job.state).toBe('failed');
    expect(job.error?.message).toBeTruthy();
  });

  it('resolves a failed job with throwOnFailure: false', async () => {
    const job = await client.waitForJob(vendor.failing(sim), { ...FAST, throwOnFailure: false });
    expect(job.state).toBe('failed');
  });

  it('resolves early with until', async () => {
    const job = await client.waitForJob(vendor.succeeding(sim), { ...FAST, until: (j) => j.state === 'running' });
    expect(job.state).toBe('running');
  });

  it('watchJob yields each change once and ends after the terminal snapshot', async () => {
    const seen: Job[] = [];
    for await (const job of client.watchJob(vendor.succeeding(sim), FAST)) seen.push(job);
    expect(seen[0]?.state).toBe('queued');
    expect(seen.at(-1)?.state).toBe('succeeded');
    for (let i = 1; i < seen.length; i++) expect(jobChanged(seen[i - 1] as Job, seen[i] as Job), `snapshot ${i} repeats ${i - 1}`).toBe(true);
    // polls that saw nothing new were not yielded: each step is shown for one poll, and the last one repeats
    expect(sim.requests.length).toBeGreaterThanOrEqual(seen.length);
  });

  it('rejects an id the vendor does not have with JobNotFoundError', async () => {
    const error = await client.waitForJob(vendor.missing, FAST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect((error as JobNotFoundError).lastJob).toBeUndefined();
  });

  it('rejects with JobTimeoutError naming the last state when the job outlives timeoutMs', async () => {
    const error = await client.waitForJob(vendor.running(sim), { ...FAST, timeoutMs: 60 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect((error as JobTimeoutError).lastJob?.state).toBe('running');
    expect((error as Error).message).toContain('last state running');
  });

  it('keeps polling through 503s and still ends right', async () => {
    const id = vendor.succeeding(sim);
    sim.fault({ type: 'status', status: 503, path: vendor.jobPath, times: 3 });
    const job = await client.waitForJob(id, FAST);
    expect(job.state).toBe('succeeded');
    expect(sim.requests.filter((r) => r.fault === 'status')).toHaveLength(3);
  });

  it('stops at once with WaitAbortedError and sends nothing after the abort', async () => {
    const controller = new AbortController();
    const wait = client.waitForJob(vendor.running(sim), { minDelayMs: 20, maxDelayMs: 20, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort(new Error('operator gave up'));
    const error = await wait.catch((e: unknown) => e);
    const count = sim.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(error).toBeInstanceOf(WaitAbortedError);
    expect((error as WaitAbortedError).cause).toEqual(new Error('operator gave up'));
    expect(sim.requests.length).toBe(count);
  });

  it('rejects refused credentials with AuthenticationError at once', async () => {
    vendor.demandCredential(sim);
    const error = await client.waitForJob(vendor.running(sim), FAST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(sim.requests).toHaveLength(1);
  });
});
