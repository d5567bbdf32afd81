import type { Job } from '../model/job.js';
import { brand, JobwaitError } from './jobwait-error.js';
import { describeJob, describeLastState } from './describe.js';

/** Arguments of {@link JobNotFoundError}. */
export interface JobNotFoundErrorOptions<TRaw> {
  /** The adapter's vendor name (`'ontap'`, `'cas'`, `'cce'`), for the message. */
  vendor?: string;
  /** The id of the job that was not found. */
  jobId: string;
  /** Set when the job was seen and then vanished. */
  lastJob?: Job<TRaw> | undefined;
  /** The underlying error, if any; kept as the error's `cause`. */
  cause?: unknown;
}

/**
 * The job does not exist. With `lastJob` set, it was seen and then vanished (ONTAP deletes finished
 * jobs after 300 s): its outcome is unknown.
 */
export class JobNotFoundError<TRaw = unknown> extends JobwaitError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'JobNotFoundError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'JOB_NOT_FOUND';
  /** The id of the job that was not found. */
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
