import { vi } from 'vitest';
import type { GetJobOptions, WaitPolicy } from '../../src/client/job-client.js';
import type { Job, JobState } from '../../src/model/job.js';
import type { BatchJobSource } from '../../src/engine/wait-for-jobs.js';
import { fakeJob } from './fake-source.js';

/** A snapshot of the fake vendor's job `id`; each call gets a fresh `raw`. */
export function batchJob(id: string, state: JobState, over: Partial<Job> = {}): Job {
  return fakeJob(state, { id, ...over });
}

/**
 * What one `getJobs` call (one round) does:
 * - a record of id → snapshot (or a state, for a fresh snapshot of that id): the answer, holding
 *   only the ids asked for; an id asked for but left out is missing from the answer;
 * - an `Error`: the whole request fails with it;
 * - `'hang'`: never settles (and ignores its signal);
 * - a function: runs with the ids and the signal.
 */
export type Round =
  | Readonly<Record<string, Job | JobState>>
  | Error
  | 'hang'
  | ((ids: readonly string[], signal: AbortSignal | undefined) => Promise<Map<string, Job>>);

/** One `getJobs` call as the fake saw it. */
export interface BatchCall {
  /** The ids asked for, in the order given. */
  ids: string[];
  /** When, in fake milliseconds since the source was made. */
  at: number;
  /** The signal passed with the call. */
  signal: AbortSignal | undefined;
}

/**
 * A fake batch source playing `rounds` in order, one per `getJobs` call (repeating the last),
 * recording each call's ids, time and signal. Its `getJob` fails the test: a batched fleet must
 * never poll one job at a time.
 */
export function fakeBatchSource(rounds: Round[], waitPolicy?: WaitPolicy) {
  const t0 = performance.now();
  const calls: BatchCall[] = [];
  const getJobs = vi.fn((ids: readonly string[], options?: GetJobOptions): Promise<Map<string, Job>> => {
    calls.push({ ids: [...ids], at: performance.now() - t0, signal: options?.signal });
    const round = rounds[Math.min(calls.length - 1, rounds.length - 1)];
    if (round === undefined) throw new Error('no rounds scripted');
    if (round === 'hang') return new Promise<Map<string, Job>>(() => {});
    if (typeof round === 'function') return round(ids, options?.signal);
    if (round instanceof Error) return Promise.reject(round);
    const answer = new Map<string, Job>();
    for (const id of ids) {
      const entry = round[id];
      if (entry !== undefined) answer.set(id, typeof entry === 'string' ? batchJob(id, entry) : entry);
    }
    return Promise.resolve(answer);
  });
  const getJob = vi.fn((id: string): Promise<Job> => Promise.reject(new Error(`getJob(${id}) called on a batch source: the fleet must use getJobs`)));
  const client: BatchJobSource = waitPolicy ? { vendor: 'fake', getJob, getJobs, waitPolicy } : { vendor: 'fake', getJob, getJobs };
  return {
    client,
    getJobs,
    getJob,
    calls,
    /** The fake times of the calls. */
    times: (): number[] => calls.map((call) => call.at),
    /** The ids of each call. */
    idsPerRound: (): string[][] => calls.map((call) => call.ids),
  };
}
