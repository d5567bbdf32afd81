import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHIPPED_VENDORS } from '../../adapters/registry.js';
import { conformanceCases } from '../../src/conformance/cases.js';
import { AuthenticationError } from '../../src/errors/authentication-error.js';
import { JobFailedError } from '../../src/errors/job-failed-error.js';
import { JobNotFoundError } from '../../src/errors/job-not-found-error.js';
import { JobTimeoutError } from '../../src/errors/job-timeout-error.js';
import { WaitAbortedError } from '../../src/errors/wait-aborted-error.js';
import { jobChanged } from '../../src/model/job-changes.js';
import type { JobClient } from '../../src/client/job-client.js';
import type { Job } from '../../src/model/job.js';
import { simulationOf, startSimulatorWith } from '../../src/testing/simulator.js';
import type { VendorSimulation } from '../../src/vendor/descriptor.js';
import { defineRegistry } from '../../src/vendor/registry.js';
import { acmeVendor } from '../fixtures/vendor-acme/descriptor.js';
import { simulatorTarget } from '../helpers/simulator-target.js';

/** Every shipped vendor, and the fixture vendor of test/fixtures/vendor-acme/, registered here only. */
const REGISTRY = defineRegistry([...SHIPPED_VENDORS, acmeVendor]);
const RETRY = { retries: 0 } as const;

describe.each(REGISTRY)('the conformance kit passes for $name', (vendor) => {
  for (const check of conformanceCases(simulatorTarget(vendor, REGISTRY))) it(check.name, () => check.run());
});

const FAST = { minDelayMs: 2, maxDelayMs: 10 } as const;

describe.each(REGISTRY)('waitForJob behaves the same way for $name', (descriptor) => {
  type Sim = Awaited<ReturnType<typeof startSimulatorWith>>;
  let sim: Sim;
  let simulation: VendorSimulation;
  let client: JobClient;
  const vendor = {
    name: descriptor.name,
    succeeding: (_sim: Sim) => descriptor.simulator.succeeding(simulation),
    failing: (_sim: Sim) => descriptor.simulator.failing(simulation),
    running: (_sim: Sim) => descriptor.simulator.running(simulation),
    missing: descriptor.simulator.missing,
    demandCredential: (_sim: Sim) => descriptor.simulator.demandCredential(simulation, 'another'),
    jobPath: descriptor.simulator.jobPath,
  };
  beforeEach(async () => {
    sim = await startSimulatorWith(REGISTRY);
    simulation = simulationOf(sim, descriptor.name);
    client = descriptor.simulator.client(sim.url, 'right', { retry: RETRY });
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
    // A poll already out at the abort may still reach the server: let it land before counting.
    await new Promise((resolve) => setTimeout(resolve, 20));
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
