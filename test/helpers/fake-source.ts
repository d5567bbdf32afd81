import { afterEach, aroundEach, beforeEach, vi } from 'vitest';
import type { GetJobOptions, JobSource, WaitPolicy } from '../../src/client/job-client.js';
import type { Job, JobState, Task } from '../../src/model/job.js';

/** A snapshot of the fake vendor's job `job-1`; each call gets a fresh `raw`. */
export function fakeJob(state: JobState, over: Partial<Job> = {}): Job {
  return { vendor: 'fake', id: 'job-1', state, vendorState: state.toUpperCase(), tasks: [], raw: { n: Math.random() }, ...over };
}

export function fakeTask(id: string, state: Task['state'], over: Partial<Task> = {}): Task {
  return { id, state, vendorState: state.toUpperCase(), tasks: [], ...over };
}

/** What one getJob call does: answer a job, fail, never settle, or run a function. */
export type Step = Job | Error | 'hang' | ((signal: AbortSignal | undefined) => Promise<Job>);

/** A fake JobSource playing `steps` in order (repeating the last one), recording call times and signals. */
export function fakeSource(steps: Step[], waitPolicy?: WaitPolicy) {
  const t0 = performance.now();
  const times: number[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  let calls = 0;
  const getJob = vi.fn((_id: string, options?: GetJobOptions): Promise<Job> => {
    times.push(performance.now() - t0);
    signals.push(options?.signal);
    const step = steps[Math.min(calls++, steps.length - 1)];
    if (step === undefined) throw new Error('no steps scripted');
    if (step === 'hang') return new Promise<Job>(() => {});
    if (typeof step === 'function') return step(options?.signal);
    if (step instanceof Error) return Promise.reject(step);
    return Promise.resolve(step);
  });
  const client: JobSource = waitPolicy ? { vendor: 'fake', getJob, waitPolicy } : { vendor: 'fake', getJob };
  return { client, getJob, times, signals };
}

export interface Tracked<T> {
  settled: boolean;
  value?: T;
  error?: unknown;
}

/** Watches a promise without awaiting it, so a test can check whether it settled yet. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const state: Tracked<T> = { settled: false };
  promise.then(
    (value) => {
      state.settled = true;
      state.value = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

/** Lets pending promise callbacks run without moving the fake clock (setImmediate is not faked). */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A fixed 1 s between polls: no growth, and the jitter is clamped away. For tests about something
 * other than the schedule, so that their times do not hang on the schedule's defaults.
 */
export const STEADY = Object.freeze({ minDelayMs: 1000, maxDelayMs: 1000 });

// The real timers, taken when this module loads, before any test fakes them: the guard below must
// run on real time whatever the fake clock does.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** What the fake clock fakes; everything else (`setImmediate`, `process.nextTick`, …) stays real. */
export const FAKED = Object.freeze(['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const);

/** How long a fake-timer test may take in real time before its guard fails it. Each takes a few ms. */
export const REAL_TIME_GUARD_MS = 2000;

/**
 * Runs `run`, or rejects after `ms` of real time if it has not settled by then. A fake-timer test
 * settles in a few milliseconds of real time unless the code under test waits on something the fake
 * clock does not drive: the guard turns that hang into a failure that says so, long before the
 * runner's own timeout.
 */
export async function withRealTimeGuard<T>(run: () => Promise<T>, ms: number = REAL_TIME_GUARD_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = realSetTimeout(() => {
      reject(
        new Error(
          `real-time guard: this fake-timer test did not settle within ${ms} ms of real time. The code under test ` +
            `waits on time the fake clock does not drive (it fakes only ${FAKED.join(', ')}): a timer or clock read ` +
            'another way (setImmediate, node:timers, process.hrtime, a real socket, …), or a promise that never settles.',
        ),
      );
    }, ms);
  });
  try {
    return await Promise.race([run(), guard]);
  } finally {
    realClearTimeout(timer);
  }
}

/**
 * Fake timers (with `performance`, the poller's clock) and jitter fixed at its middle, for every
 * test, each test run under {@link withRealTimeGuard}.
 */
export function useFakeClock(): void {
  aroundEach(async (runTest) => {
    await withRealTimeGuard(runTest);
  });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: [...FAKED] });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });
}
