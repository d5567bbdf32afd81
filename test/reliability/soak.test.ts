/**
 * Soak: 2,000 concurrent waits across the three vendors against one simulator, with 5 % of the
 * requests meeting a transient fault (seeded), and on every 50th job a burst of three faults that
 * outlasts the transport's retries. Every wait must end with its scripted outcome, and closing the
 * clients and the simulator must leave no timer, socket, listener or heap growth behind.
 *
 * The heap bound is loose on purpose: it catches a gross leak (more than ~8 KB kept per wait), not a
 * few megabytes (a first large run costs ~3.5 MB once; later runs add nothing).
 */
import { randomUUID } from 'node:crypto';
import { getEventListeners, setMaxListeners } from 'node:events';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createCasClient } from '../../adapters/cas/index.js';
import { createCceClient } from '../../adapters/cce/index.js';
import { createOntapClient } from '../../adapters/ontap/index.js';
import {
  isTerminal,
  JobCancelledError,
  JobFailedError,
  JobNotFoundError,
  WaitAbortedError,
  type Job,
  type JobClient,
  type WaitOptions,
} from '../../src/index.js';
import { startSimulator, type Fault, type Simulator } from '../../src/testing/index.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

// ---------------------------------------------------------------------------------------------
// The scenario

type Vendor = 'ontap' | 'cas' | 'cce';
type Expected = 'succeeded' | 'failed' | 'cancelled' | 'not-found' | 'vanished' | 'aborted';

const VENDORS: readonly Vendor[] = ['ontap', 'cas', 'cce'];

/** What each vendor can script. ONTAP has no cancelled state (a cancel ends as failure), CCE neither. */
const OUTCOMES: Readonly<Record<Vendor, readonly Expected[]>> = {
  ontap: ['succeeded', 'failed', 'not-found', 'vanished', 'aborted'],
  cas: ['succeeded', 'failed', 'cancelled', 'not-found', 'vanished', 'aborted'],
  cce: ['succeeded', 'failed', 'not-found', 'vanished', 'aborted'],
};

/** Transient trouble only: each one is retried, so no scripted outcome may change. */
const TRANSIENT_FAULTS: readonly Fault[] = [
  { type: 'status', status: 503, body: { error: { message: 'Service Unavailable', code: '503' } } },
  { type: 'raw', status: 502, body: '<html><body><h1>502 Bad Gateway</h1>nginx</body></html>', contentType: 'text/html' },
  { type: 'rate-limit', retryAfter: '0.01' },
  { type: 'reset' },
  { type: 'delay', ms: 20 },
  { type: 'truncate' },
];

/**
 * Bursts of three in a row, queued on some jobs' first poll: they use up the transport's retries
 * (one attempt and two retries), so the poller itself must take the error as transient and poll again.
 */
const BURST_FAULTS: readonly Fault[] = [
  { type: 'status', status: 503, body: { error: { message: 'Service Unavailable', code: '503' } } },
  { type: 'raw', status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' },
  { type: 'rate-limit', retryAfter: '0.01' },
  { type: 'reset' },
];
const BURST_EVERY = 50;

const WAIT: WaitOptions = { timeoutMs: 20_000, minDelayMs: 5, maxDelayMs: 50 };
const RETRY = { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 10 };

const CAS_TASKS = [{ TASK_NAME: 'build', TASK_TYPE: 'restful' }, { TASK_NAME: 'deploy', TASK_TYPE: 'restful' }];

/**
 * Scripts one job with a known outcome and returns its id. Non-terminal steps last long enough
 * (4 polls together) that a `truncate` fault, which consumes a poll the client never sees, cannot
 * hide the job from a wait that must see it before it vanishes. A `vanished` job is deleted on the
 * poll that would have shown its end (`deleteAfterPolls: 0`).
 */
function scriptJob(sim: Simulator, vendor: Vendor, expected: Expected): string {
  const vanish = expected === 'vanished' ? { deleteAfterPolls: 0 } : {};
  switch (vendor) {
    case 'ontap': {
      if (expected === 'not-found') return randomUUID();
      const end =
        expected === 'failed'
          ? { state: 'failure', message: 'Volume creation failed.', code: 460770, error: { code: '460770', message: 'Volume creation failed.' } }
          : { state: 'success', message: 'Complete: Successful', code: 0 };
      const steps = [{ state: 'queued', message: 'Queued' }, { state: 'running', message: 'creating', polls: 3 }, ...(expected === 'aborted' ? [] : [end])];
      return sim.ontap.addJob({ steps, ...vanish });
    }
    case 'cas': {
      const jobId = `JOB${randomUUID()}`;
      if (expected === 'not-found') return jobId;
      const end =
        expected === 'failed'
          ? { status: 'FAILED', taskStatuses: ['SUCCEEDED', 'FAILED'], taskMessages: [undefined, '{ "Message" : "ECC00011", "Detail" : "Building failed." }'] }
          : expected === 'cancelled'
            ? { status: 'CANCELLED', taskStatuses: ['SUCCEEDED', 'CANCELLED'] }
            : { status: 'SUCCEEDED', taskStatuses: ['SUCCEEDED', 'SUCCEEDED'] };
      const steps = [
        { status: 'SUBMITTED', taskStatuses: ['SUBMITTED', 'SUBMITTED'] },
        { status: 'RUNNING', taskStatuses: ['SUCCEEDED', 'RUNNING'], polls: 3 },
        ...(expected === 'aborted' ? [] : [end]),
      ];
      return sim.cas.addJob({ jobId, tasks: CAS_TASKS, steps, ...vanish });
    }
    case 'cce': {
      const uid = randomUUID();
      if (expected === 'not-found') return uid;
      const end =
        expected === 'failed'
          ? { phase: 'Failed', reason: 'InstallMasterFailed', message: 'install master failed', subJobPhases: ['Failed', 'Success'] }
          : { phase: 'Success', subJobPhases: ['Success', 'Success'] };
      const steps = [
        { phase: 'Initializing', subJobPhases: ['Initializing', 'Initializing'] },
        { phase: 'Running', subJobPhases: ['Running', 'Success'], polls: 3 },
        ...(expected === 'aborted' ? [] : [end]),
      ];
      return sim.cce.addJob({ uid, steps, ...vanish });
    }
  }
}

interface Planned {
  vendor: Vendor;
  expected: Expected;
  id: string;
  /** The wait's own controller (aborted waits), aborted with `reason`. */
  controller?: AbortController;
  reason?: Error;
  /** The signal passed to the wait, whose listeners must all be gone after it. */
  signal?: AbortSignal;
}

/** The actual outcome, checked against the script: `undefined` when it matches, else what went wrong. */
function mismatch(plan: Planned, result: PromiseSettledResult<Job>): string | undefined {
  const { id, vendor, expected } = plan;
  const actual =
    result.status === 'fulfilled'
      ? `resolved ${result.value.state}`
      : result.reason instanceof Error
        ? `${result.reason.name}: ${result.reason.message}`
        : `rejected with ${String(result.reason)}`;
  const sameJob = (job: Job | undefined): boolean => job !== undefined && job.id === id && job.vendor === vendor;
  let ok: boolean;
  if (result.status === 'fulfilled') {
    ok = expected === 'succeeded' && sameJob(result.value) && result.value.state === 'succeeded';
  } else {
    const error: unknown = result.reason;
    switch (expected) {
      case 'failed':
        ok = error instanceof JobFailedError && sameJob(error.job) && error.job.state === 'failed';
        break;
      case 'cancelled':
        ok = error instanceof JobCancelledError && sameJob(error.job) && error.job.state === 'cancelled';
        break;
      case 'not-found':
        ok = error instanceof JobNotFoundError && error.jobId === id && error.lastJob === undefined;
        break;
      case 'vanished':
        ok = error instanceof JobNotFoundError && error.jobId === id && sameJob(error.lastJob) && !isTerminal(error.lastJob?.state ?? 'unknown');
        break;
      case 'aborted':
        ok = error instanceof WaitAbortedError && error.jobId === id && error.cause === plan.reason && error.lastJob?.state === 'running';
        break;
      default:
        ok = false;
    }
  }
  return ok ? undefined : `${vendor} ${id}: expected ${expected}, got ${actual}`;
}

// ---------------------------------------------------------------------------------------------
// One run

interface RunReport {
  waits: number;
  perVendor: Record<Vendor, number>;
  perOutcome: Record<Expected, number>;
  requests: number;
  requestsPerVendor: Record<Vendor, number>;
  faults: Record<string, number>;
  /** Waits whose first poll met a burst of three faults, and the faulted requests they got. */
  bursts: { waits: number; faulted: number };
  wrong: string[];
  unhandled: unknown[];
  listenersLeft: number;
  /** Sockets still open once the clients are closed, the simulator still running (their close() must end them). */
  socketsAfterClientsClose: number;
  heapAtPeakMb: number;
  waitsMs: number;
}

const WATCHED_RESOURCES = ['Timeout', 'TCPSocketWrap', 'TCPServerWrap'] as const;

function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(WATCHED_RESOURCES.map((type) => [type, 0]));
  for (const type of process.getActiveResourcesInfo()) if (type in counts) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

function vendorOf(path: string): Vendor {
  if (path.includes('/cas/jobs/')) return 'cas';
  if (path.startsWith('/api/v3/projects/')) return 'cce';
  return 'ontap';
}

/**
 * Starts a simulator and one client per vendor, runs `count` waits together (round robin over the
 * vendors and their outcomes), closes everything, and returns plain figures (no reference to the
 * simulator, the clients or the jobs survives, so the heap can be measured after).
 */
async function run(count: number, chaos: boolean, baseline: Record<string, number> = resourceCounts()): Promise<RunReport> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);
  const sim = await startSimulator();
  const clients: Record<Vendor, JobClient> = {
    ontap: createOntapClient({ baseUrl: sim.url, auth: { username: 'admin', password: 'soak-password' }, retry: RETRY }),
    cas: createCasClient({ endpoint: sim.url, projectId: 'soakproject01', auth: { token: 'soak-token' }, retry: RETRY }),
    cce: createCceClient({ endpoint: sim.url, projectId: 'soakproject01', auth: { token: 'soak-token' }, retry: RETRY }),
  };
  try {
    if (chaos) sim.chaos({ rate: 0.05, seed: 42, faults: TRANSIENT_FAULTS });

    // A signal shared by many waits (a process-wide "shutdown"), never aborted: every wait must
    // take its listener off it when it ends.
    const shutdown = new AbortController();
    setMaxListeners(count, shutdown.signal);

    const plans: Planned[] = [];
    const burstIds = new Set<string>();
    const perVendor = { ontap: 0, cas: 0, cce: 0 };
    for (let i = 0; i < count; i++) {
      const vendor = VENDORS[i % VENDORS.length] as Vendor;
      const options = OUTCOMES[vendor];
      const expected = options[perVendor[vendor]++ % options.length] as Expected;
      const plan: Planned = { vendor, expected, id: scriptJob(sim, vendor, expected) };
      // Bursts go to the per-job path, so to the vendors polled one job per request: ONTAP waits
      // share collection queries (which chaos faults all the same).
      if (chaos && i % BURST_EVERY === 0 && vendor !== 'ontap') {
        const fault = BURST_FAULTS[(i / BURST_EVERY) % BURST_FAULTS.length] as Fault;
        sim.fault({ ...fault, path: `/${plan.id}`, times: 1 + RETRY.retries });
        burstIds.add(plan.id);
      }
      if (expected === 'aborted') {
        plan.controller = new AbortController();
        plan.reason = new Error(`soak: stop waiting for ${plan.id}`);
        plan.signal = plan.controller.signal;
      } else if (i % 4 === 0) {
        plan.signal = shutdown.signal;
      }
      plans.push(plan);
    }

    const started = performance.now();
    const settled = await Promise.allSettled(
      plans.map((plan) =>
        clients[plan.vendor].waitForJob(plan.id, {
          ...WAIT,
          ...(plan.signal ? { signal: plan.signal } : {}),
          // An aborted wait stops as soon as it has seen the job running.
          ...(plan.controller ? { onProgress: (job: Job) => (job.state === 'running' ? plan.controller?.abort(plan.reason) : undefined) } : {}),
        }),
      ),
    );
    const waitsMs = performance.now() - started;
    const heapAtPeakMb = process.memoryUsage().heapUsed / 2 ** 20;

    const wrong = plans.flatMap((plan, i) => mismatch(plan, settled[i] as PromiseSettledResult<Job>) ?? []);
    const listenersLeft = [shutdown.signal, ...plans.flatMap((plan) => plan.signal ?? [])].reduce(
      (sum, signal) => sum + getEventListeners(signal, 'abort').length,
      0,
    );
    const perOutcome = { succeeded: 0, failed: 0, cancelled: 0, 'not-found': 0, vanished: 0, aborted: 0 };
    for (const plan of plans) perOutcome[plan.expected]++;
    const requestsPerVendor = { ontap: 0, cas: 0, cce: 0 };
    const faults: Record<string, number> = {};
    let burstFaulted = 0;
    for (const request of sim.requests) {
      requestsPerVendor[vendorOf(request.path)]++;
      if (request.fault) faults[request.fault] = (faults[request.fault] ?? 0) + 1;
      if (request.fault && burstIds.has(request.path.split('/').pop() ?? '')) burstFaulted++;
    }

    // The clients' close() alone must end their connections (the simulator, still open, then
    // closes its side): a client that kept its sockets would show here, before sim.close() cuts them.
    await Promise.all(VENDORS.map((vendor) => clients[vendor].close()));
    const socketsAfterClientsClose = (await leakedHandles(baseline, 1_000, ['TCPSocketWrap']))['TCPSocketWrap'] ?? 0;
    return {
      waits: plans.length,
      perVendor,
      perOutcome,
      requests: sim.requests.length,
      requestsPerVendor,
      faults,
      bursts: { waits: burstIds.size, faulted: burstFaulted },
      wrong,
      unhandled,
      listenersLeft,
      socketsAfterClientsClose,
      heapAtPeakMb,
      waitsMs,
    };
  } finally {
    await Promise.all(VENDORS.map((vendor) => clients[vendor].close()));
    await sim.close();
    // A rejection nobody handled surfaces a turn or two after its promise settles.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setTimeout(resolve, 10));
    process.off('unhandledRejection', onUnhandled);
  }
}

function heapMb(): number {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Handles of the watched types beyond `before`, after giving sockets up to `ms` to close. */
async function leakedHandles(before: Record<string, number>, ms: number, types: readonly string[] = WATCHED_RESOURCES): Promise<Record<string, number>> {
  const deadline = performance.now() + ms;
  for (;;) {
    const now = resourceCounts();
    const leaked = Object.fromEntries(types.flatMap((type) => ((now[type] ?? 0) > (before[type] ?? 0) ? [[type, (now[type] ?? 0) - (before[type] ?? 0)]] : [])));
    if (Object.keys(leaked).length === 0 || performance.now() >= deadline) return leaked;
    await new Promise<void>((resolve) => setTimeout(resolve, 25));
  }
}

// ---------------------------------------------------------------------------------------------

describe('soak: 2,000 concurrent waits on one simulator with 5 % transient faults', () => {
  it('ends every wait with its scripted outcome and leaves no handle, listener or heap growth behind', async () => {
    // Warm up (JIT, lazily loaded modules, undici's parser) so the heap baseline is a steady state.
    const warmUp = await run(60, false);
    expect(warmUp.wrong).toEqual([]);
    const handlesBefore = resourceCounts();
    const heapBeforeMb = heapMb();

    const t0 = performance.now();
    const report = await run(2_000, true, handlesBefore);
    const leaked = await leakedHandles(handlesBefore, 1_000);
    const heapAfterMb = heapMb();
    const elapsedS = (performance.now() - t0) / 1000;

    const faultsInjected = Object.values(report.faults).reduce((a, b) => a + b, 0);
    const queuedFaults = report.bursts.waits * (1 + RETRY.retries);
    const chaosFaults = faultsInjected - queuedFaults;
    const line = (label: string, value: string): string => `  ${label.padEnd(22)} ${value}`;
    console.log(
      [
        'jobwait soak: 2,000 concurrent waits, one simulator, chaos rate 0.05 (seed 42), transient faults only',
        line('waits', `${report.waits} (ontap ${report.perVendor.ontap}, cas ${report.perVendor.cas}, cce ${report.perVendor.cce})`),
        line('scripted outcomes', Object.entries(report.perOutcome).map(([k, v]) => `${k} ${v}`).join(', ')),
        line('requests', `${report.requests} (ontap ${report.requestsPerVendor.ontap}, cas ${report.requestsPerVendor.cas}, cce ${report.requestsPerVendor.cce})`),
        line('faults injected', `${faultsInjected} = ${chaosFaults} by chaos (${((100 * chaosFaults) / report.requests).toFixed(1)} % of requests) + ${queuedFaults} queued in bursts`),
        line('  by type', Object.entries(report.faults).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ')),
        line('poller-level bursts', `${report.bursts.waits} waits met 3 faults in a row on their first poll (${report.bursts.faulted} faulted requests)`),
        line('wrong outcomes', String(report.wrong.length)),
        line('unhandled rejections', String(report.unhandled.length)),
        line('leaked handles', Object.keys(leaked).length === 0 ? '0 (Timeout, TCPSocketWrap, TCPServerWrap)' : JSON.stringify(leaked)),
        line('sockets after close()', `${report.socketsAfterClientsClose} (clients closed, simulator still open)`),
        line('abort listeners left', String(report.listenersLeft)),
        line('heap before / after', `${heapBeforeMb.toFixed(1)} MB / ${heapAfterMb.toFixed(1)} MB (${heapAfterMb - heapBeforeMb >= 0 ? '+' : ''}${(heapAfterMb - heapBeforeMb).toFixed(1)} MB; ${report.heapAtPeakMb.toFixed(1)} MB when the waits ended, before GC)`),
        line('elapsed', `${elapsedS.toFixed(1)} s (waits ${(report.waitsMs / 1000).toFixed(1)} s)`),
      ].join('\n'),
    );

    expect(report.wrong.slice(0, 10)).toEqual([]);
    expect(report.waits).toBe(2_000);
    expect(chaosFaults).toBeGreaterThan(0);
    // Every queued burst was met in full (chaos may add to it).
    // every 50th wait but ONTAP's (vendors take turns: every third is ONTAP, so 14 of the 40)
    expect(report.bursts.waits).toBe(2_000 / BURST_EVERY - Math.ceil(2_000 / (3 * BURST_EVERY)));
    expect(report.bursts.faulted).toBeGreaterThanOrEqual(report.bursts.waits * (1 + RETRY.retries));
    // Each kind of fault was met at least once, so every one of them was survived.
    expect(Object.keys(report.faults).sort()).toEqual(['delay', 'rate-limit', 'raw', 'reset', 'status', 'truncate']);
    expect(report.unhandled).toEqual([]);
    expect(report.listenersLeft).toBe(0);
    expect(report.socketsAfterClientsClose).toBe(0);
    expect(leaked).toEqual({});
    expect(heapAfterMb - heapBeforeMb).toBeLessThan(20);
  }, 60_000);
});
