import type { Dispatcher } from 'undici';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { messageFirst, type Logger } from './logger.js';
import { resolveProxy, type ResolvedProxy } from './proxy.js';

/** Per-request retries (p-retry) of transient failures: network errors, 429, 502, 503, 504. */
export interface RetryOptions {
  /**
   * Retries after the first attempt. `0` turns request retries off (a wait still polls again).
   * @default 2
   */
  retries?: number;
  /**
   * The delay before the first retry, in milliseconds; later ones double, with jitter.
   * @default 200
   */
  minTimeoutMs?: number;
  /**
   * The cap of one retry delay. A `Retry-After` longer than this is left to the wait's schedule.
   * @default 2_000
   */
  maxTimeoutMs?: number;
}

/** Options every client takes. */
export interface ClientOptions {
  /**
   * An undici `Dispatcher` (a `ProxyAgent`, a `MockAgent`, your own `Agent`). The client then uses
   * it instead of its own keep-alive `Agent`, and `close()` leaves it open. TLS options then belong
   * on your dispatcher, and `proxy` cannot be given with it.
   */
  dispatcher?: Dispatcher;
  /**
   * The HTTP proxy every request goes through: a proxy URL (`http://proxy.example.com:3128`; a
   * user and password in it are sent as `Proxy-Authorization` and never printed), or `'env'` for
   * the conventional variables `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (lower-case names too),
   * read when the client is made. Requests to an https server go through a `CONNECT` tunnel, with
   * `tls` applied to the server's certificate as without a proxy.
   *
   * Off by default, as in Node's own `fetch` and undici: a library that read the environment by
   * itself would send an application's credentials to whatever proxy the machine names, and behave
   * differently from one machine to the next. Ask for `'env'` to get curl's behaviour; the
   * `jobwait` command line does.
   * @default false (direct connections)
   */
  proxy?: string | URL | false;
  /**
   * The longest one request may take, from sending to the last byte of the body, in milliseconds.
   * @default 30_000
   */
  requestTimeoutMs?: number;
  /** Per-request retry settings, or `false` for none. */
  retry?: RetryOptions | false;
  /**
   * The `User-Agent` header.
   * @default `jobwait/<version>`
   */
  userAgent?: string;
  /**
   * Receives debug lines (one per request) and warnings. Never given a credential. `console` fits,
   * and so does a pino logger, called `(fields, message)` (see {@link Logger} for the rule).
   */
  logger?: Logger;
  /**
   * A response body larger than this is refused with `InvalidResponseError`, in bytes.
   * @default 8_388_608 (8 MiB)
   */
  maxResponseBytes?: number;
  /**
   * Requests of this client in flight at once, across all its waits, lists and batch calls; the
   * others queue. A 429 (or a 503 with `Retry-After`) on any of them pauses the whole client.
   * @default 16
   */
  maxConcurrentRequests?: number;
  /**
   * Requests this client starts per second at most, evenly spaced. No limit when absent.
   */
  requestsPerSecond?: number;
}

/** TLS settings of a client that makes its own `Agent`. Verification is on by default. */
export interface TlsOptions {
  /** Certificate authorities to trust (PEM), e.g. a cluster's self-signed CA. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** A client certificate (PEM), for certificate authentication. */
  cert?: string | Buffer;
  /** The client certificate's private key (PEM). */
  key?: string | Buffer;
  /**
   * `false` turns certificate verification off. Insecure: logged as a warning once per client.
   * @default true
   */
  rejectUnauthorized?: boolean;
  /** The name to verify the certificate against, when it differs from the URL's host. */
  servername?: string;
}

/** package.json's `version`, put in at build time: tsup's and vitest's `define` (their configs). */
declare const __JOBWAIT_VERSION__: string;

/** The version in the default `User-Agent`: package.json's, set at build time. */
export const VERSION: string = __JOBWAIT_VERSION__;

/** Transport defaults, in one place. */
export const CLIENT_DEFAULTS = Object.freeze({
  /** The timeout of one HTTP request, in milliseconds. */
  requestTimeoutMs: 30_000,
  /** How many times a transient request failure is retried. */
  retries: 2,
  /** The first delay before a retry, in milliseconds. */
  retryMinTimeoutMs: 200,
  /** The longest delay before a retry, in milliseconds. */
  retryMaxTimeoutMs: 2_000,
  /** The `User-Agent` header sent with every request. */
  userAgent: `jobwait/${VERSION}`,
  /** The largest response body read, in bytes (8 MiB). */
  maxResponseBytes: 8 * 1024 * 1024,
  /** How many requests one client runs at once. */
  maxConcurrentRequests: 16,
  /** The longest a server's `Retry-After` pauses a whole client. */
  maxClientPauseMs: 60_000,
});

/** @internal */
export interface ResolvedClientOptions {
  dispatcher: Dispatcher | undefined;
  proxy: ResolvedProxy | undefined;
  requestTimeoutMs: number;
  retries: number;
  retryMinTimeoutMs: number;
  retryMaxTimeoutMs: number;
  userAgent: string;
  logger: Logger | undefined;
  maxResponseBytes: number;
  maxConcurrentRequests: number;
  requestsPerSecond: number | undefined;
  maxClientPauseMs: number;
}

/** Fills in defaults and validates. @internal */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const retry = options.retry === false ? { retries: 0 } : (options.retry ?? {});
  const resolved: ResolvedClientOptions = {
    dispatcher: options.dispatcher,
    proxy: resolveProxy(options.proxy),
    requestTimeoutMs: options.requestTimeoutMs ?? CLIENT_DEFAULTS.requestTimeoutMs,
    retries: retry.retries ?? CLIENT_DEFAULTS.retries,
    retryMinTimeoutMs: retry.minTimeoutMs ?? CLIENT_DEFAULTS.retryMinTimeoutMs,
    retryMaxTimeoutMs: retry.maxTimeoutMs ?? Math.max(CLIENT_DEFAULTS.retryMaxTimeoutMs, retry.minTimeoutMs ?? 0),
    userAgent: options.userAgent ?? CLIENT_DEFAULTS.userAgent,
    logger: messageFirst(options.logger),
    maxResponseBytes: options.maxResponseBytes ?? CLIENT_DEFAULTS.maxResponseBytes,
    maxConcurrentRequests: options.maxConcurrentRequests ?? CLIENT_DEFAULTS.maxConcurrentRequests,
    requestsPerSecond: options.requestsPerSecond,
    maxClientPauseMs: CLIENT_DEFAULTS.maxClientPauseMs,
  };
  positive('requestTimeoutMs', resolved.requestTimeoutMs, 1, 2_147_483_647);
  positive('retry.retries', resolved.retries, 0, 100, true);
  positive('retry.minTimeoutMs', resolved.retryMinTimeoutMs, 0, 600_000);
  positive('retry.maxTimeoutMs', resolved.retryMaxTimeoutMs, resolved.retryMinTimeoutMs, 600_000);
  positive('maxResponseBytes', resolved.maxResponseBytes, 1, 1024 * 1024 * 1024, true);
  positive('maxConcurrentRequests', resolved.maxConcurrentRequests, 1, 100_000, true);
  if (resolved.requestsPerSecond !== undefined) positive('requestsPerSecond', resolved.requestsPerSecond, 0.001, 100_000);
  if (typeof resolved.userAgent !== 'string' || /[\r\n\0]/.test(resolved.userAgent)) {
    throw new InvalidArgumentError('userAgent', 'must be a string without line breaks');
  }
  if (resolved.dispatcher !== undefined && typeof (resolved.dispatcher as { request?: unknown }).request !== 'function') {
    throw new InvalidArgumentError('dispatcher', 'must be an undici Dispatcher');
  }
  if (resolved.dispatcher !== undefined && options.proxy !== undefined && options.proxy !== false) {
    throw new InvalidArgumentError('proxy', 'cannot be given with a dispatcher: give your dispatcher the proxy (an undici ProxyAgent)');
  }
  return resolved;
}

function positive(name: string, value: unknown, min: number, max: number, integer = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new InvalidArgumentError(name, `must be a${integer ? 'n integer' : ' number'} from ${min} to ${max}, got ${String(value)}`);
  }
}
