import { brand, JobwaitError } from './jobwait-error.js';

/** The client (or vendor) does not support this operation. */
export class UnsupportedOperationError extends JobwaitError {
  declare readonly name: 'UnsupportedOperationError';
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
