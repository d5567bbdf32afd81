import { ApiError, type ApiErrorOptions } from './api-error.js';
import { brand } from './jobwait-error.js';

/** The vendor answered 429 Too Many Requests. A wait retries it after `retryAfterMs`. */
export class RateLimitError extends ApiError {
  declare readonly name: 'RateLimitError';
  declare readonly code: 'RATE_LIMITED';
  constructor(options: ApiErrorOptions) {
    super(options);
  }

  static {
    brand(this, 'RateLimitError', 'RATE_LIMITED');
  }
}
