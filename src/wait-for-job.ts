import type { JobSource } from './job-client.js';
import type { Job } from './model.js';
import type { WaitOptions } from './options.js';
import { terminalError } from './poll-state.js';
import { pollJob, prepare } from './watch-job.js';

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
 * `onCheckpoint` hands out where the wait stands after each poll; `resumeFrom` continues from
 * such a checkpoint in another process, within the same deadline. An aborted `signal` only stops
 * the wait, unless `cancelOnAbort` (ONTAP): then the job is cancelled and followed to its end first.
 *
 * @example
 * ```ts
 * const job = await waitForJob(client, id, { timeoutMs: 600_000, onProgress: (j) => console.log(j.state) });
 * ```
 */
export async function waitForJob<TRaw>(client: JobSource<TRaw>, id: string, options?: WaitOptions<TRaw>): Promise<Job<TRaw>> {
  const resolved = prepare(client, id, options);
  const watch = pollJob(client, id, resolved);
  let step = await watch.next();
  while (!step.done) step = await watch.next();
  const { job, reason } = step.value;
  const error = reason === 'terminal' ? terminalError(job, resolved.throwOnFailure) : undefined;
  if (error) throw error;
  return job;
}
