import { ApiError, type ApiErrorOptions } from './api-error.js';
import { brand } from './jobwait-error.js';

/** The vendor refused the credentials (401) or the permission (403). Retrying will not help. */
export class AuthenticationError extends ApiError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'AuthenticationError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'AUTHENTICATION';

  constructor(options: ApiErrorOptions) {
    super(options);
  }

  static {
    brand(this, 'AuthenticationError', 'AUTHENTICATION');
  }
}
