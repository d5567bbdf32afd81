import { brand, JobwaitError } from './jobwait-error.js';

/**
 * No durable wait has this id: it was never enqueued, or it ended longer ago than the queue keeps
 * results (`resultRetentionMs`) and was removed. Permanent for this id; enqueue the job again to
 * wait on it anew.
 */
export class WaitNotFoundError extends JobwaitError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'WaitNotFoundError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'WAIT_NOT_FOUND';
  /** The wait's id (`handle.id`). */
  readonly waitId: string;

  constructor(waitId: string) {
    super(`No durable wait ${JSON.stringify(waitId)}: it was never enqueued, or its result was removed after resultRetentionMs`);
    this.waitId = waitId;
  }

  static {
    brand(this, 'WaitNotFoundError', 'WAIT_NOT_FOUND');
  }
}
