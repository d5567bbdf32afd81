import { ApiError, type ApiErrorOptions } from './api-error.js';
import { brand } from './jobwait-error.js';

/** The vendor answered 429 Too Many Requests. A wait retries it after `retryAfterMs`. */
export class RateLimitError extends ApiError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'RateLimitError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'RATE_LIMITED';
  constructor(options: ApiErrorOptions) {
    super(options);
  }

  static {
    brand(this, 'RateLimitError', 'RATE_LIMITED');
  }
}
