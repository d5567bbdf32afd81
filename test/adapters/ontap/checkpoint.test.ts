import { describe, expect, it } from 'vitest';
import { rejectionOf, useOntapHarness } from '../../helpers/ontap-harness.js';
import { createCasClient } from '../../../adapters/cas/index.js';
import { createCceClient } from '../../../adapters/cce/index.js';
import type { OntapClient } from '../../../adapters/ontap/index.js';
import type { Simulator } from '../../../src/testing/index.js';
import {
  ApiError,
  InvalidArgumentError,
  JobNotFoundError,
  UnsupportedOperationError,
  WaitAbortedError,
  waitForJob,
  watchJob,
  type WaitCheckpoint,
} from '../../../src/index.js';

const FAST = { minDelayMs: 2, maxDelayMs: 10 } as const;

let sim: Simulator;
let ontap: OntapClient;
const { connect } = useOntapHarness((harness) => ({ sim, ontap } = harness));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs wait A on `client` until `polls` polls were made, aborts it, and returns its last checkpoint as stored text. */
async function checkpointAfter(client: OntapClient, uuid: string, polls: number, extra: { timeoutMs?: number } = {}): Promise<{ stored: string; seen: string[] }> {
  const controller = new AbortController();
  const seen: string[] = [];
  let last: WaitCheckpoint | undefined;
  const error = await rejectionOf(
    client.waitForJob(uuid, {
      ...FAST,
      ...extra,
      signal: controller.signal,
      onProgress: (j) => seen.push(`${j.state}:${j.message ?? ''}`),
      onCheckpoint: (c) => {
        last = c;
        if (c.polls === polls) controller.abort();
      },
    }),
  );
  expect(error).toBeInstanceOf(WaitAbortedError);
  return { stored: JSON.stringify(last), seen };
}

describe('a checkpoint carried to another ONTAP client', () => {
  it('lets a second client finish the wait, reporting only the changes since the checkpoint', async () => {
    const uuid = sim.ontap.addJob({
      steps: [
        { state: 'queued', message: 'Queued' },
        { state: 'running', message: 'step 1', polls: 3 },
        { state: 'running', message: 'step 2', polls: 2 },
        { state: 'success', message: 'Done', code: 0 },
      ],
    });
    const { stored, seen: seenA } = await checkpointAfter(ontap, uuid, 2);
    expect(seenA).toEqual(['queued:Queued', 'running:step 1']);
    expect(sim.requests).toHaveLength(2);
    const checkpoint = JSON.parse(stored) as WaitCheckpoint;
    expect(checkpoint).toMatchObject({ version: 2, vendor: 'ontap', jobId: uuid, polls: 2, step: 2, lastJob: { state: 'running', vendorState: 'running', message: 'step 1' } });
    expect(stored).not.toContain('_links');

    const other = connect(sim.url);
    const seenB: string[] = [];
    const job = await other.waitForJob(uuid, { ...FAST, resumeFrom: checkpoint, onProgress: (j) => seenB.push(`${j.state}:${j.message ?? ''}`) });
    expect(job.state).toBe('succeeded');
    expect(job.raw.uuid).toBe(uuid);
    expect(seenB).toEqual(['running:step 2', 'succeeded:Done']);
    // B polled step 1 twice more (unchanged, not reported), step 2 twice, then success.
    expect(sim.requests).toHaveLength(2 + 5);
    expect(sim.requests.every((r) => r.method === 'GET' && r.path === `/api/cluster/jobs/${uuid}`)).toBe(true);
  });

  it('yields from watchJob on the second client only what changed since the checkpoint', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', message: 'Working', polls: 4 }, { state: 'success', message: 'Done' }] });
    const { stored } = await checkpointAfter(ontap, uuid, 2);
    const seen: string[] = [];
    for await (const job of watchJob(connect(sim.url), uuid, { ...FAST, resumeFrom: JSON.parse(stored) as WaitCheckpoint })) seen.push(job.state);
    expect(seen).toEqual(['succeeded']);
  });

  it('reports a job deleted meanwhile as seen-then-vanished, with the checkpoint’s snapshot as lastJob', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', message: 'Working', polls: 1_000 }] });
    const { stored } = await checkpointAfter(ontap, uuid, 2);
    sim.ontap.deleteJob(uuid);
    const error = await rejectionOf(connect(sim.url).waitForJob(uuid, { ...FAST, resumeFrom: JSON.parse(stored) as WaitCheckpoint }));
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect((error as JobNotFoundError).lastJob).toMatchObject({ vendor: 'ontap', id: uuid, state: 'running', message: 'Working', raw: undefined });
    expect(sim.requests).toHaveLength(3);
  });

  it('refuses the checkpoint on another job or another vendor’s client before any request', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    const { stored } = await checkpointAfter(ontap, uuid, 1);
    const count = sim.requests.length;
    const otherJob = sim.ontap.addJob();
    await expect(connect(sim.url).waitForJob(otherJob, { resumeFrom: JSON.parse(stored) as WaitCheckpoint })).rejects.toMatchObject({ name: 'InvalidArgumentError', argument: 'resumeFrom.jobId' });
    const cas = createCasClient({ endpoint: sim.url, projectId: 'p-1', auth: { token: 'tok-123456' } });
    try {
      await expect(cas.waitForJob(uuid, { resumeFrom: JSON.parse(stored) as WaitCheckpoint })).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(cas.waitForJob(uuid, { resumeFrom: JSON.parse(stored) as WaitCheckpoint })).rejects.toMatchObject({ argument: 'resumeFrom.vendor' });
    } finally {
      await cas.close();
    }
    expect(sim.requests).toHaveLength(count);
  });
});

describe('cancelOnAbort on ONTAP', () => {
  it('sends PATCH ?action=cancel once after the abort, polls until the job ends, and reports it in WaitAbortedError', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', message: 'Working', polls: 1_000 }] });
    const controller = new AbortController();
    const error = await rejectionOf(
      ontap.waitForJob(uuid, {
        ...FAST,
        signal: controller.signal,
        cancelOnAbort: true,
        onProgress: (j) => {
          if (j.state === 'running') controller.abort();
        },
      }),
    );
    expect(error).toBeInstanceOf(WaitAbortedError);
    const aborted = error as WaitAbortedError<unknown>;
    expect(aborted.cancel).toBe('sent');
    expect(aborted.lastJob?.state).toBe('failed');
    expect(aborted.lastJob?.vendorState).toBe('failure');
    expect(aborted.lastJob?.error?.code).toBe('458753');
    expect(aborted.message).toContain('the cancel was sent and the job ended failed');
    expect(aborted.message).toContain('Job was cancelled.');
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET /api/cluster/jobs/${uuid}`,
      `PATCH /api/cluster/jobs/${uuid}?action=cancel`,
      `GET /api/cluster/jobs/${uuid}`,
    ]);
    await sleep(40);
    expect(sim.requests).toHaveLength(3);
  });

  it('keeps polling through transient trouble after the cancel until it sees how the job ended', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    const controller = new AbortController();
    const error = await rejectionOf(
      ontap.waitForJob(uuid, {
        ...FAST,
        signal: controller.signal,
        cancelOnAbort: true,
        onProgress: () => {
          // The next four GETs (two polls, with the client's one retry each) answer 503.
          sim.fault({ type: 'status', status: 503, method: 'GET', times: 4 });
          controller.abort();
        },
      }),
    );
    expect((error as WaitAbortedError).cancel).toBe('sent');
    expect((error as WaitAbortedError).lastJob?.state).toBe('failed');
    expect(sim.requests.map((r) => r.method)).toEqual(['GET', 'PATCH', 'GET', 'GET', 'GET', 'GET', 'GET']);
  });

  it('puts ONTAP’s refusal (458784) as the cause when the job cannot be cancelled, and polls no more', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }], cancellable: false });
    const controller = new AbortController();
    const error = await rejectionOf(
      ontap.waitForJob(uuid, {
        ...FAST,
        signal: controller.signal,
        cancelOnAbort: true,
        onProgress: () => controller.abort('stop'),
      }),
    );
    expect(error).toBeInstanceOf(WaitAbortedError);
    const aborted = error as WaitAbortedError;
    expect(aborted.cancel).toBe('refused');
    expect(aborted.cause).toBeInstanceOf(ApiError);
    expect((aborted.cause as ApiError).vendorCode).toBe('458784');
    expect(aborted.lastJob?.state).toBe('running');
    expect(aborted.message).toContain('the cancel was refused');
    expect(sim.requests.map((r) => r.method)).toEqual(['GET', 'PATCH']);
    await sleep(40);
    expect(sim.requests).toHaveLength(2);
  });

  it('sends no PATCH and no request at all after a plain abort', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    const controller = new AbortController();
    const error = await rejectionOf(ontap.waitForJob(uuid, { ...FAST, signal: controller.signal, onProgress: () => controller.abort() }));
    expect(error).toBeInstanceOf(WaitAbortedError);
    expect((error as WaitAbortedError).cancel).toBeUndefined();
    await sleep(40);
    expect(sim.requests.map((r) => r.method)).toEqual(['GET']);
    expect(sim.ontap.peek(uuid)?.['state']).toBe('running');
  });

  it('rejects cancelOnAbort on a CAS or CCE client with UnsupportedOperationError before any request', async () => {
    const casId = sim.cas.addJob();
    const cceId = sim.cce.addJob();
    const cas = createCasClient({ endpoint: sim.url, projectId: 'p-1', auth: { token: 'tok-123456' } });
    const cce = createCceClient({ endpoint: sim.url, projectId: 'p-1', auth: { token: 'tok-123456' } });
    try {
      const casError = await rejectionOf(cas.waitForJob(casId, { cancelOnAbort: true }));
      expect(casError).toBeInstanceOf(UnsupportedOperationError);
      expect((casError as UnsupportedOperationError).operation).toBe('cancelOnAbort');
      expect((casError as UnsupportedOperationError).message).toContain('cas client has no cancelJob');
      await expect(cas.waitForJob(casId, { cancelOnAbort: true, instanceId: 'i-1' })).rejects.toBeInstanceOf(UnsupportedOperationError);
      await expect(waitForJob(cce, cceId, { cancelOnAbort: true })).rejects.toBeInstanceOf(UnsupportedOperationError);
      expect(() => cce.watchJob(cceId, { cancelOnAbort: true })).toThrow(UnsupportedOperationError);
    } finally {
      await cas.close();
      await cce.close();
    }
    expect(sim.requests).toEqual([]);
  });
});
