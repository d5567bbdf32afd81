import type { Job } from '../model.js';
import { brand, JobwaitError } from './jobwait-error.js';
import { describeJob } from './describe.js';

/** The job ended in `cancelled`. */
export class JobCancelledError<TRaw = unknown> extends JobwaitError {
  declare readonly name: 'JobCancelledError';
  declare readonly code: 'JOB_CANCELLED';
  /** The cancelled job, as last seen. */
  readonly job: Job<TRaw>;

  constructor(job: Job<TRaw>) {
    super(`${describeJob(job.vendor, job.id)} was cancelled (${job.vendorState})${job.message ? `: ${job.message}` : ''}`);
    this.job = job;
  }

  static {
    brand(this, 'JobCancelledError', 'JOB_CANCELLED');
  }
}
