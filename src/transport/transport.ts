import type { z } from 'zod';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { resolveClientOptions, type ClientOptions, type TlsOptions } from './client-options.js';
import { HttpClient, type HttpRequest, type HttpResponse, type TransportHooks } from './http-client.js';
import { parseBaseUrl } from './path.js';

/** Options of {@link createHttpTransport}: the client's options, where the vendor is, and its {@link TransportHooks}. */
export interface HttpTransportOptions extends ClientOptions, TransportHooks {
  /**
   * The vendor's base URL (`https://api.example.com/v1`): http or https, without credentials, a
   * query or a fragment. Every request goes to its origin, and only there; its path is
   * {@link HttpTransport.basePath}, for the adapter to put before its own paths.
   */
  baseUrl: string | URL;
  /** TLS settings of the transport's own `Agent` (not used with a `dispatcher`). Verification is on by default. */
  tls?: TlsOptions;
}

/**
 * The transport of the shipped adapters, for your own: one keep-alive connection pool, a timeout
 * per request, retries of transient failures (network errors, 429, 502, 503, 504; a non-idempotent
 * request only when the server provably did not act), the client's request budget with one pause
 * for every request when the server answers 429 or `Retry-After`, body size cap, zod validation,
 * typed errors (`ApiError`, `AuthenticationError`, `RateLimitError`, `NetworkError`,
 * `InvalidResponseError`, `JobNotFoundError`, `ClientClosedError`), and secrets cut out of
 * everything it hands out. Make one with {@link createHttpTransport}.
 */
export interface HttpTransport {
  /** The origin every request goes to (`https://host:port`). */
  readonly origin: string;
  /** The base URL's path without its trailing `/` (`''` for none): put it before a request's path. */
  readonly basePath: string;
  /** Requests in flight at once at most (`maxConcurrentRequests`). */
  readonly maxConcurrentRequests: number;
  /**
   * Sends a request, retrying transient failures, and resolves with the validated answer. Rejects
   * with a typed error, or with the request's signal's reason when it aborts.
   */
  request<S extends z.ZodType>(request: HttpRequest<S>): Promise<HttpResponse<z.infer<S>>>;
  /**
   * Ties a job source's waits to this transport's request budget, as the shipped clients are
   * tied to theirs: `waitForJob`, `watchJob` and `waitForJobs` then admit no more of its polls at
   * once than `maxConcurrentRequests`, so a due poll that would queue for a slot waits in the
   * scheduler instead, holding nothing. Call it once, on the object you hand to the waits (a
   * `JobSource`, or `this` in a `JobClientBase` subclass). Returns `source`.
   */
  attach<T extends object>(source: T): T;
  /** Logs a warning, secrets cut, through the client's `logger` (or Node's process warnings when it has none). */
  warn(message: string): void;
  /** Closes the transport's own connections (a caller's `dispatcher` stays open); requests after it reject with `ClientClosedError`. Idempotent. */
  close(): Promise<void>;
}

/**
 * Makes the transport for an adapter. Validates `baseUrl` and the client options (throws
 * `InvalidArgumentError`); opens no connection until the first request.
 *
 * @example
 * ```ts
 * const http = createHttpTransport({ vendor: 'acme', baseUrl, authorize: () => ({ authorization: `Bearer ${token}` }), secrets: [token] });
 * const { data } = await http.request({ method: 'GET', path: `${http.basePath}/tasks/${pathSegment(id)}`, schema: taskSchema, jobId: id });
 * ```
 */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
  const { origin, basePath, host } = parseBaseUrl(options.baseUrl, 'baseUrl');
  return new HttpClient({
    origin,
    host,
    basePath,
    options: resolveClientOptions(options),
    tls: options.tls,
    vendor: options.vendor,
    authorize: options.authorize,
    secrets: options.secrets,
    parseErrorBody: options.parseErrorBody,
    isAuthError: options.isAuthError,
    isNotFound: options.isNotFound,
  });
}
