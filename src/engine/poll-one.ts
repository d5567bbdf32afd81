import type { GetJobOptions, JobSource, PolledJob } from '../client/job-client.js';
import type { Job } from '../model/job.js';
import type { PollResult } from './advance.js';
import type { BatchJobSource } from './wait-for-jobs.js';

/** Ids per `getJobs` call when the source does not say. */
const DEFAULT_BATCH_SIZE = 100;

/** How many ids one `getJobs` call of `source` carries at most (its `maxBatchSize`, whole and at least 1). @internal */
export function batchSizeOf(source: Partial<BatchJobSource<unknown>>): number {
  return Math.max(1, Math.floor(source.maxBatchSize ?? DEFAULT_BATCH_SIZE));
}

/**
 * One poll of one job: through the source's `pollJob` when it has one (the answer then carries the
 * vendor's hint for the next poll), else `getJob`. Rejects as they do. @internal
 */
export function pollOne<TRaw>(source: JobSource<TRaw>, id: string, options: GetJobOptions): Promise<PollResult<TRaw>> {
  return typeof source.pollJob === 'function' ? source.pollJob(id, options).then(fromPolled) : source.getJob(id, options).then(fromJob);
}

function fromJob<TRaw>(job: Job<TRaw>): PollResult<TRaw> {
  return { job };
}

function fromPolled<TRaw>(polled: PolledJob<TRaw>): PollResult<TRaw> {
  return { job: polled.job, retryAfterMs: polled.retryAfterMs };
}
