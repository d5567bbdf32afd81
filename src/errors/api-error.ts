import { brand, JobwaitError } from './jobwait-error.js';
import { truncate } from './describe.js';

/** What the vendor said in an error answer, parsed by the adapter. */
export interface VendorErrorDetails {
  /** The vendor's error code (`"4"`, `"458784"`, `"SVCSTG.00100429"`). */
  vendorCode?: string | undefined;
  /** The vendor's own error message, untouched. */
  vendorMessage?: string | undefined;
  /** The parameter or object the error is about. */
  target?: string | undefined;
  /** The vendor's request id, for a support case. */
  requestId?: string | undefined;
}

/** Arguments of {@link ApiError} and its subclasses. */
export interface ApiErrorOptions extends VendorErrorDetails {
  /** The HTTP status code of the answer. */
  status: number;
  /** The HTTP method of the request (`GET`, `POST`, ...). */
  method: string;
  /** The request URL; it never carries credentials. */
  url: string;
  /** From a `Retry-After` header (429, 503), if it had a usable value. */
  retryAfterMs?: number | undefined;
  /** The underlying error, if any; kept as the error's `cause`. */
  cause?: unknown;
}

/** The vendor answered with an HTTP error status. */
export class ApiError extends JobwaitError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'ApiError' | 'AuthenticationError' | 'RateLimitError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'API_ERROR' | 'AUTHENTICATION' | 'RATE_LIMITED';
  /** The HTTP status code of the answer. */
  readonly status: number;
  /** The vendor's error code (`"4"`, `"458784"`), when the answer had one. */
  readonly vendorCode: string | undefined;
  /** The vendor's own error message, untouched, when the answer had one. */
  readonly vendorMessage: string | undefined;
  /** The parameter or object the error is about, when the vendor says. */
  readonly target: string | undefined;
  /** The vendor's request id, for a support case, when the answer had one. */
  readonly requestId: string | undefined;
  /** The HTTP method of the request (`GET`, `POST`, ...). */
  readonly method: string;
  /** The request URL; it never carries credentials. */
  readonly url: string;
  /** How long the vendor asked to wait, from `Retry-After`; a wait honours it. */
  readonly retryAfterMs: number | undefined;

  constructor(options: ApiErrorOptions) {
    super(apiErrorMessage(options), { cause: options.cause });
    this.status = options.status;
    this.vendorCode = options.vendorCode;
    this.vendorMessage = options.vendorMessage;
    this.target = options.target;
    this.requestId = options.requestId;
    this.method = options.method;
    this.url = options.url;
    this.retryAfterMs = options.retryAfterMs;
  }

  static {
    brand(this, 'ApiError', 'API_ERROR');
  }
}

function apiErrorMessage(options: ApiErrorOptions): string {
  let path = options.url;
  try {
    const url = new URL(options.url);
    path = url.pathname + url.search;
  } catch {
    // keep the url as given
  }
  const details = [
    options.vendorCode === undefined ? undefined : `vendor code ${options.vendorCode}`,
    options.target === undefined ? undefined : `target ${options.target}`,
    options.requestId === undefined ? undefined : `request id ${options.requestId}`,
  ].filter(Boolean);
  return (
    `${options.method} ${truncate(path, 300)} answered ${options.status}` +
    (options.vendorMessage ? `: ${truncate(options.vendorMessage, 500)}` : '') +
    (details.length > 0 ? ` (${details.join(', ')})` : '')
  );
}
