import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHIPPED_VENDORS } from '../../adapters/registry.js';
import { conformanceCases } from '../../src/conformance/cases.js';
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

// What the kit above does not check; its cases (succeeded, failed, throwOnFailure, not found, 503s,
// refused credentials) are not repeated here.
describe.each(REGISTRY)('waitForJob and watchJob behave the same way for $name, beyond the conformance kit', (vendor) => {
  let sim: Awaited<ReturnType<typeof startSimulatorWith>>;
  let simulation: VendorSimulation;
  let client: JobClient;
  beforeEach(async () => {
    sim = await startSimulatorWith(REGISTRY);
    simulation = simulationOf(sim, vendor.name);
    client = vendor.simulator.client(sim.url, 'right', { retry: RETRY });
  });
  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  it('resolves early with until', async () => {
    const job = await client.waitForJob(vendor.simulator.succeeding(simulation), { ...FAST, until: (j) => j.state === 'running' });
    expect(job.state).toBe('running');
  });

  it('watchJob yields each change once and ends after the terminal snapshot', async () => {
    const seen: Job[] = [];
    for await (const job of client.watchJob(vendor.simulator.succeeding(simulation), FAST)) seen.push(job);
    expect(seen[0]?.state).toBe('queued');
    expect(seen.at(-1)?.state).toBe('succeeded');
    for (let i = 1; i < seen.length; i++) expect(jobChanged(seen[i - 1] as Job, seen[i] as Job), `snapshot ${i} repeats ${i - 1}`).toBe(true);
    // polls that saw nothing new were not yielded: each step is shown for one poll, and the last one repeats
    expect(sim.requests.length).toBeGreaterThanOrEqual(seen.length);
  });

  it('rejects with JobTimeoutError naming the last state when the job outlives timeoutMs', async () => {
    const error = await client.waitForJob(vendor.simulator.running(simulation), { ...FAST, timeoutMs: 60 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect((error as JobTimeoutError).lastJob?.state).toBe('running');
    expect((error as Error).message).toContain('last state running');
  });

  it('stops at once with WaitAbortedError and sends nothing after the abort', async () => {
    const controller = new AbortController();
    const wait = client.waitForJob(vendor.simulator.running(simulation), { minDelayMs: 20, maxDelayMs: 20, signal: controller.signal });
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
});
