import type { Job } from '../model/job.js';
import { brand, JobwaitError } from './jobwait-error.js';
import { describeJob } from './describe.js';

/** The job ended in `failed`. `job.error`, `job.tasks` and `job.vendorState` say how. */
export class JobFailedError<TRaw = unknown> extends JobwaitError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'JobFailedError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'JOB_FAILED';
  /** The failed job, as last seen. */
  readonly job: Job<TRaw>;

  constructor(job: Job<TRaw>) {
    const reason = job.error?.message ?? job.message;
    super(`${describeJob(job.vendor, job.id)} failed (${job.vendorState})${reason ? `: ${reason}` : ''}${job.error?.code ? ` [code ${job.error.code}]` : ''}`);
    this.job = job;
  }

  static {
    brand(this, 'JobFailedError', 'JOB_FAILED');
  }
}
