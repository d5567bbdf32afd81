import type { WaitEnd } from './advance.js';
import { prepareWait } from './prepare.js';
import { schedulerOf, type Scheduler } from './scheduler.js';
import type { ActiveWait, WaitSink } from './wait.js';
import type { JobSource } from '../client/job-client.js';
import type { Job } from '../model/job.js';
import type { ResolvedWaitOptions, WaitOptions } from './options.js';

/**
 * Watches a job: yields the first snapshot and every changed one, and ends after yielding the
 * terminal one (a failed job is yielded, not thrown) or the one that meets `until`. Breaking out of
 * the loop stops all polling. Throws `JobTimeoutError`, `JobNotFoundError`, `WaitAbortedError`, or a
 * permanent error (`AuthenticationError`, `InvalidResponseError`, an `ApiError` such as 400).
 *
 * Options are validated at once: a bad value throws `InvalidArgumentError` from this call, and
 * `cancelOnAbort` on a client without `cancelJob` throws `UnsupportedOperationError`. Polling
 * starts with the first `next()`; snapshots that arrive while the loop body runs are kept in order.
 *
 * With `resumeFrom`, it yields only the changes since the checkpoint (see `WaitOptions.resumeFrom`).
 *
 * @example
 * ```ts
 * for await (const job of watchJob(client, id, { timeoutMs: 600_000 })) {
 *   console.log(job.state, job.message);
 * }
 * ```
 */
export function watchJob<TRaw>(client: JobSource<TRaw>, id: string, options?: WaitOptions<TRaw>): AsyncIterableIterator<Job<TRaw>> {
  const resolved = prepareWait(client, id, options);
  return new JobWatch(schedulerOf(client), id, resolved);
}

type Pull<TRaw> = { resolve: (result: IteratorResult<Job<TRaw>, undefined>) => void; reject: (error: unknown) => void };

/** A watch: the scheduler's snapshots of one wait, as an async iterator. */
class JobWatch<TRaw> implements AsyncIterableIterator<Job<TRaw>>, WaitSink<TRaw> {
  readonly #scheduler: Scheduler<TRaw>;
  readonly #id: string;
  readonly #options: ResolvedWaitOptions<TRaw>;
  #wait: ActiveWait<TRaw> | undefined;
  /** Snapshots not yet taken by `next()`. */
  readonly #queued: Job<TRaw>[] = [];
  /** The `next()` calls waiting for a snapshot or the end, in order (as an async generator queues them). */
  readonly #pulls: Pull<TRaw>[] = [];
  /** How the wait ended, once it did; `closed` after `return()`. */
  #end: WaitEnd<TRaw> | 'closed' | undefined;

  constructor(scheduler: Scheduler<TRaw>, id: string, options: ResolvedWaitOptions<TRaw>) {
    this.#scheduler = scheduler;
    this.#id = id;
    this.#options = options;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Job<TRaw>, undefined>> {
    if (this.#pulls.length > 0) return new Promise((resolve, reject) => this.#pulls.push({ resolve, reject }));
    const job = this.#queued.shift();
    if (job !== undefined) return Promise.resolve({ value: job, done: false });
    const end = this.#end;
    if (end !== undefined) {
      this.#end = 'closed';
      if (end === 'closed' || end.reason !== 'error') return Promise.resolve({ value: undefined, done: true });
      return Promise.reject(end.error);
    }
    this.#wait ??= this.#scheduler.start(this.#id, this.#options, this);
    // The start may have ended the wait at once (a closed client, an aborted signal).
    if (this.#queued.length > 0 || this.#end !== undefined) return this.next();
    return new Promise((resolve, reject) => this.#pulls.push({ resolve, reject }));
  }

  /** Stops polling; the loop ends. */
  return(): Promise<IteratorResult<Job<TRaw>, undefined>> {
    if (this.#wait) this.#scheduler.drop(this.#wait);
    this.#queued.length = 0;
    this.#end = 'closed';
    for (const pull of this.#pulls.splice(0)) pull.resolve({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Stops polling and rethrows `error`. */
  throw(error?: unknown): Promise<IteratorResult<Job<TRaw>, undefined>> {
    void this.return();
    return Promise.reject(error);
  }

  snapshot(job: Job<TRaw>): void {
    const pull = this.#pulls.shift();
    if (pull) pull.resolve({ value: job, done: false });
    else this.#queued.push(job);
  }

  end(end: WaitEnd<TRaw>): void {
    if (this.#end === 'closed') return;
    this.#end = end;
    const pulls = this.#pulls.splice(0);
    if (pulls.length === 0) return;
    this.#end = 'closed';
    // The first waiting next() takes the end; any after it, the loop's close.
    const [first, ...rest] = pulls as [Pull<TRaw>, ...Pull<TRaw>[]];
    if (end.reason === 'error') first.reject(end.error);
    else first.resolve({ value: undefined, done: true });
    for (const pull of rest) pull.resolve({ value: undefined, done: true });
  }
}
