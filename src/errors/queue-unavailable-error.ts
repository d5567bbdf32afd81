import { brand, JobwaitError } from './jobwait-error.js';

/** Arguments of {@link QueueUnavailableError}. */
export interface QueueUnavailableErrorOptions {
  /** What could not be done, such as `enqueue cluster1/3f2a…` or `worker cluster1`. */
  operation: string;
  /** The Redis client's error (its message names the cause: refused, timed out, closed). */
  cause?: unknown;
}

/**
 * The durable queue's Redis could not be reached (refused, timed out, or the connection dropped)
 * while `jobwait/bullmq` worked on `operation`. Transient: the connection is re-made on its own;
 * asking again once Redis is back succeeds, and an `enqueue` that may have gone through is safe to
 * repeat (the same client name and job id give the same wait). A worker reports it through its
 * `onError` and goes on; no wait is lost.
 */
export class QueueUnavailableError extends JobwaitError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'QueueUnavailableError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'QUEUE_UNAVAILABLE';
  /** What could not be done. */
  readonly operation: string;

  constructor(options: QueueUnavailableErrorOptions) {
    const reason = options.cause instanceof Error ? options.cause.message : options.cause === undefined ? 'no answer' : String(options.cause);
    super(`Redis is unavailable (${reason}): ${options.operation} did not complete`, { cause: options.cause });
    this.operation = options.operation;
  }

  static {
    brand(this, 'QueueUnavailableError', 'QUEUE_UNAVAILABLE');
  }
}
