import { brand, JobwaitError } from './jobwait-error.js';

/** An argument or option was out of range or malformed. Raised before any request is sent. */
export class InvalidArgumentError extends JobwaitError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'InvalidArgumentError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'INVALID_ARGUMENT';
  /** The argument or option at fault (`timeoutMs`, `id`). */
  readonly argument: string;

  constructor(argument: string, problem: string) {
    super(`Invalid ${argument}: ${problem}`);
    this.argument = argument;
  }

  static {
    brand(this, 'InvalidArgumentError', 'INVALID_ARGUMENT');
  }
}
