import { brand, JobwaitError } from './jobwait-error.js';

/** Arguments of {@link NetworkError}. */
export interface NetworkErrorOptions {
  /** The HTTP method of the request. */
  method: string;
  /** The request URL; it never carries credentials. */
  url: string;
  /** A readable reason; the default is the cause's message. */
  message?: string;
  /** True when the per-request timeout (`requestTimeoutMs`) fired. */
  timedOut?: boolean;
  /**
   * False for trouble that asking again cannot fix: an untrusted or misnamed certificate, or an
   * origin that never answered this client and cannot be reached (DNS, a refused connection).
   * @default true
   */
  transient?: boolean;
  /** The underlying error (socket, TLS, DNS), kept as the error's `cause`. */
  cause?: unknown;
}

/**
 * The request got no HTTP answer: connection refused or reset, DNS, TLS, or the per-request
 * timeout. A wait treats it as transient and keeps polling until its deadline, unless `transient`
 * is false (a certificate that is not trusted or does not name the host; a host that does not
 * resolve or refuses connections before it ever answered this client): that ends it at once.
 */
export class NetworkError extends JobwaitError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'NetworkError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'NETWORK';
  /** The HTTP method of the request. */
  readonly method: string;
  /** The request URL; it never carries credentials. */
  readonly url: string;
  /** True when the per-request timeout fired. */
  readonly timedOut: boolean;
  /** Whether asking again may help. False for certificate failures and for an origin that never answered and cannot be reached. */
  readonly transient: boolean;

  constructor(options: NetworkErrorOptions) {
    const reason = options.message ?? (options.cause instanceof Error ? options.cause.message : 'network error');
    super(`${options.method} ${options.url} failed: ${reason}`, { cause: options.cause });
    this.method = options.method;
    this.url = options.url;
    this.timedOut = options.timedOut ?? false;
    this.transient = options.transient ?? true;
  }

  static {
    brand(this, 'NetworkError', 'NETWORK');
  }
}
