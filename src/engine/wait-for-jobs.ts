import { offAbort, onAbort } from './abort-listeners.js';
import type { WaitEnd } from './advance.js';
import { assertSource } from './prepare.js';
import { schedulerOf } from './scheduler.js';
import type { ActiveWait, Lane, WaitSink } from './wait.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { GetJobOptions, JobSource } from '../client/job-client.js';
import type { Job } from '../model/job.js';
import { checkCount, resolveWaitOptions, type WaitOptions } from './options.js';

/**
 * A client that can read many jobs in one request (the ONTAP client can). `waitForJobs` then polls
 * every pending job of a round with one call; a job missing from the answer counts as a 404 for
 * that job alone.
 */
export interface BatchJobSource<TRaw = unknown> extends JobSource<TRaw> {
  /** Fetches many jobs in one request; a job that does not exist is absent from the map. */
  getJobs(ids: readonly string[], options?: GetJobOptions): Promise<Map<string, Job<TRaw>>>;
  /**
   * How many ids one `getJobs` request carries at most: the scheduler asks for no more at once.
   * @default 100
   */
  readonly maxBatchSize?: number;
}

/** Options of {@link waitForJobs}: a wait's options, for every job, plus the fleet's own. */
export interface WaitForJobsOptions<TRaw = unknown> extends Omit<WaitOptions<TRaw>, 'resumeFrom' | 'onCheckpoint' | 'cancelOnAbort'> {
  /** Not for fleets: a checkpoint belongs to one wait (`InvalidArgumentError`). */
  resumeFrom?: undefined;
  /** Not for fleets: a checkpoint belongs to one wait (`InvalidArgumentError`). */
  onCheckpoint?: undefined;
  /** Not for fleets yet (`InvalidArgumentError`): cancel each job with the client's `cancelJob`. */
  cancelOnAbort?: false;
  /**
   * Requests in flight at once, for a client that fetches one job per request. Every wait runs
   * from the start; only their polls queue.
   * @default 16
   */
  concurrency?: number;
  /**
   * Reject with the first job's error (a failed or cancelled job, a timeout, …) and stop every
   * other wait, instead of settling all of them.
   * @default false
   */
  failFast?: boolean;
}

/** How one job of a fleet ended, in the manner of `Promise.allSettled`. */
export type JobOutcome<TRaw = unknown> =
  | {
      /** The job id, as passed in. */
      id: string;
      /** The wait resolved. */
      status: 'fulfilled';
      /** The job's final snapshot. */
      job: Job<TRaw>;
      /** Never set on a fulfilled outcome. */
      error?: undefined;
    }
  | {
      /** The job id, as passed in. */
      id: string;
      /** The wait rejected. */
      status: 'rejected';
      /** Why the wait rejected (a {@link JobwaitError} or the signal's reason). */
      error: unknown;
      /** Never set on a rejected outcome. */
      job?: undefined;
    };

/** The fleet defaults, in one place. */
export const WAIT_FOR_JOBS_DEFAULTS = Object.freeze({
  /** How many jobs are waited on at once. */
  concurrency: 16,
  /** Whether the first error rejects the whole fleet wait. */
  failFast: false,
});

/**
 * Waits on many jobs at once and resolves with one outcome per id, in input order: `{ id, job }`
 * or `{ id, error }`. `timeoutMs` is one deadline for the whole fleet; `onProgress` fires for each
 * job's changes. With `failFast: true` it rejects with the first error instead.
 *
 * Each job is a wait of the client's scheduler, like a `waitForJob` of its own: on a client with
 * `getJobs` (ONTAP) the jobs due together are polled with one request per chunk, whether they
 * belong to this fleet or not.
 *
 * @example
 * ```ts
 * const outcomes = await waitForJobs(ontap, uuids, { timeoutMs: 600_000 });
 * const failed = outcomes.filter((o) => o.status === 'rejected');
 * ```
 */
export async function waitForJobs<TRaw>(client: JobSource<TRaw>, ids: readonly string[], options: WaitForJobsOptions<TRaw> = {}): Promise<JobOutcome<TRaw>[]> {
  const { concurrency = WAIT_FOR_JOBS_DEFAULTS.concurrency, failFast = WAIT_FOR_JOBS_DEFAULTS.failFast, ...wait } = options;
  if (!Array.isArray(ids)) throw new InvalidArgumentError('ids', 'must be an array of job ids');
  for (const [index, id] of ids.entries()) {
    if (typeof id !== 'string' || id.length === 0) throw new InvalidArgumentError(`ids[${index}]`, 'must be a non-empty string');
  }
  checkCount('concurrency', concurrency);
  if (typeof failFast !== 'boolean') throw new InvalidArgumentError('failFast', 'must be a boolean');
  // One job's checkpoint, or cancelling every job of a fleet on abort, has no fleet meaning yet.
  for (const option of ['resumeFrom', 'onCheckpoint', 'cancelOnAbort'] as const) {
    if (wait[option] !== undefined && wait[option] !== false) {
      throw new InvalidArgumentError(option, 'belongs to one wait: use waitForJob for each job that needs it');
    }
  }
  assertSource(client);
  const resolved = resolveWaitOptions(wait, client.waitPolicy); // validates before any request
  if (ids.length === 0) return [];
  return new Fleet(client, ids, resolved, concurrency, failFast).done;
}

/** One fleet: a wait per distinct id on the client's scheduler, and their outcomes. */
class Fleet<TRaw> implements WaitSink<TRaw> {
  readonly done: Promise<JobOutcome<TRaw>[]>;
  readonly #ids: readonly string[];
  readonly #outcomes = new Map<string, JobOutcome<TRaw>>();
  readonly #waits: ActiveWait<TRaw>[] = [];
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => {
    for (const wait of this.#waits) this.#scheduler.interrupt(wait);
  };
  readonly #scheduler;
  readonly #failFast: boolean;
  #pending: number;
  #resolve!: (outcomes: JobOutcome<TRaw>[]) => void;
  #reject!: (error: unknown) => void;
  #settled = false;

  constructor(client: JobSource<TRaw>, ids: readonly string[], o: ReturnType<typeof resolveWaitOptions<TRaw>>, concurrency: number, failFast: boolean) {
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#ids = ids;
    this.#failFast = failFast;
    this.#scheduler = schedulerOf(client);
    this.#signal = o.signal;
    const distinct = [...new Set(ids)];
    this.#pending = distinct.length;
    // The fleet listens to the caller's signal once, for all its waits.
    if (this.#signal && !this.#signal.aborted) onAbort(this.#signal, this.#onAbort);
    const lane: Lane = { limit: concurrency, active: 0, parked: [] };
    for (const id of distinct) {
      if (this.#settled) break;
      this.#waits.push(this.#scheduler.start(id, o, this, { lane, listen: false }));
    }
    // The fleet's first round goes at once.
    this.#scheduler.flush();
  }

  /** One wait of the fleet is over (the scheduler calls it: the fleet is its waits' one sink). */
  end(end: WaitEnd<TRaw>, wait: ActiveWait<TRaw>): void {
    if (this.#settled) return;
    const id = wait.id;
    const failed = end.error !== undefined || end.reason === 'error';
    this.#outcomes.set(id, failed ? { id, status: 'rejected', error: end.error } : { id, status: 'fulfilled', job: end.job });
    this.#pending--;
    if (this.#failFast && failed) {
      // Every way a job can fail (its own error, the deadline, the abort) rejects the fleet; the
      // other waits stop.
      this.#finish();
      for (const wait of this.#waits) this.#scheduler.drop(wait);
      this.#reject(end.error);
      return;
    }
    if (this.#pending > 0) return;
    this.#finish();
    this.#resolve(this.#ids.map((id) => this.#outcomes.get(id) as JobOutcome<TRaw>));
  }

  #finish(): void {
    this.#settled = true;
    if (this.#signal) offAbort(this.#signal, this.#onAbort);
  }
}
