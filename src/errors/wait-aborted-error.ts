import type { Job } from '../model.js';
import { brand, JobwaitError } from './jobwait-error.js';
import { describeJob, describeLastState } from './describe.js';

/** Arguments of {@link WaitAbortedError}. */
export interface WaitAbortedErrorOptions<TRaw> {
  vendor?: string;
  jobId: string;
  lastJob?: Job<TRaw> | undefined;
  /** The signal's reason. */
  cause?: unknown;
}

/** The wait's `signal` was aborted. Only the wait stopped: the job itself goes on. */
export class WaitAbortedError<TRaw = unknown> extends JobwaitError {
  declare readonly name: 'WaitAbortedError';
  declare readonly code: 'ABORTED';
  readonly jobId: string;
  readonly lastJob: Job<TRaw> | undefined;

  constructor(options: WaitAbortedErrorOptions<TRaw>) {
    super(`Stopped waiting for ${describeJob(options.vendor ?? options.lastJob?.vendor, options.jobId)}: the signal was aborted (${describeLastState(options.lastJob)})`, {
      cause: options.cause,
    });
    this.jobId = options.jobId;
    this.lastJob = options.lastJob;
  }

  static {
    brand(this, 'WaitAbortedError', 'ABORTED');
  }
}
