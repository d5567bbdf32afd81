import type { Job } from '../model.js';
import { brand, JobwaitError } from './jobwait-error.js';
import { describeJob, describeLastState } from './describe.js';

/** Arguments of {@link JobNotFoundError}. */
export interface JobNotFoundErrorOptions<TRaw> {
  vendor?: string;
  jobId: string;
  /** Set when the job was seen and then vanished. */
  lastJob?: Job<TRaw> | undefined;
  cause?: unknown;
}

/**
 * The job does not exist. With `lastJob` set, it was seen and then vanished (ONTAP deletes finished
 * jobs after 300 s): its outcome is unknown.
 */
export class JobNotFoundError<TRaw = unknown> extends JobwaitError {
  declare readonly name: 'JobNotFoundError';
  declare readonly code: 'JOB_NOT_FOUND';
  readonly jobId: string;
  /** The last snapshot before the job vanished; `undefined` when it was never seen. */
  readonly lastJob: Job<TRaw> | undefined;

  constructor(options: JobNotFoundErrorOptions<TRaw>) {
    const what = describeJob(options.vendor ?? options.lastJob?.vendor, options.jobId);
    super(
      options.lastJob
        ? `${what} vanished after it was seen (${describeLastState(options.lastJob)}); its outcome is unknown. The vendor may have deleted it after it ended: poll more often than its retention window.`
        : `${what} was not found`,
      { cause: options.cause },
    );
    this.jobId = options.jobId;
    this.lastJob = options.lastJob;
  }

  static {
    brand(this, 'JobNotFoundError', 'JOB_NOT_FOUND');
  }
}
