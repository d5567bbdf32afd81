import { brand, JobwaitError } from './jobwait-error.js';

/** The client (or vendor) does not support this operation. */
export class UnsupportedOperationError extends JobwaitError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'UnsupportedOperationError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'UNSUPPORTED';
  /** The operation asked for, such as `cancelJob`. */
  readonly operation: string;

  constructor(operation: string, reason?: string) {
    super(`${operation} is not supported${reason ? `: ${reason}` : ''}`);
    this.operation = operation;
  }

  static {
    brand(this, 'UnsupportedOperationError', 'UNSUPPORTED');
  }
}
