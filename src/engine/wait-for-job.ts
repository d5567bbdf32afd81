import { schedulerOf } from './scheduler.js';
import { prepareWait } from './prepare.js';
import type { WaitEnd } from './advance.js';
import type { WaitSink } from './wait.js';
import type { JobSource } from '../client/job-client.js';
import type { Job } from '../model/job.js';
import type { WaitOptions } from './options.js';

/**
 * Polls a job until it ends and resolves with the terminal snapshot (or the first one that meets
 * `until`). A failed job rejects with `JobFailedError`, a cancelled one with `JobCancelledError`,
 * unless `throwOnFailure: false`.
 *
 * The first poll is immediate; delays then grow exponentially with jitter from `minDelayMs` to
 * `maxDelayMs`, stretched by `Retry-After`; the last poll is placed just before the deadline.
 * Transient trouble (network errors, 429, 5xx) never ends the wait before its deadline: it becomes
 * the `cause` of the `JobTimeoutError`.
 *
 * Every wait on a client is driven by that client's one scheduler: a poll waits for a free request
 * slot without holding a request, and on a client that reads many jobs in one request (ONTAP),
 * waits due together are polled together.
 *
 * `onCheckpoint` hands out where the wait stands after each poll; `resumeFrom` continues from
 * such a checkpoint in another process, within the same deadline. An aborted `signal` only stops
 * the wait, unless `cancelOnAbort` (ONTAP): then the job is cancelled and followed to its end first.
 *
 * @example
 * ```ts
 * const job = await waitForJob(client, id, { timeoutMs: 600_000, onProgress: (j) => console.log(j.state) });
 * ```
 */
export function waitForJob<TRaw>(client: JobSource<TRaw>, id: string, options?: WaitOptions<TRaw>): Promise<Job<TRaw>> {
  try {
    const resolved = prepareWait(client, id, options);
    return new Promise((resolve, reject) => {
      schedulerOf(client).start(id, resolved, new Settle(resolve, reject));
    });
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The promise's end of a wait: resolve with the last snapshot, or reject. */
class Settle<TRaw> implements WaitSink<TRaw> {
  constructor(
    readonly resolve: (job: Job<TRaw>) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  end(end: WaitEnd<TRaw>): void {
    if (end.error !== undefined || end.reason === 'error') this.reject(end.error);
    else this.resolve(end.job);
  }
}
