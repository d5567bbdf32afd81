import type { Job } from '../model/job.js';
import { brand, JobwaitError } from './jobwait-error.js';
import { describeJob } from './describe.js';

/** The job ended in `cancelled`. */
export class JobCancelledError<TRaw = unknown> extends JobwaitError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'JobCancelledError';
  /** Stable machine-readable error code; match on it rather than on the message. */
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
