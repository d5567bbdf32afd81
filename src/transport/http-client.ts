import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import pRetry from 'p-retry';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { ApiError, type VendorErrorDetails } from '../errors/api-error.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import { ClientClosedError } from '../errors/client-closed-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { InvalidResponseError, type ResponseIssue } from '../errors/invalid-response-error.js';
import { JobNotFoundError } from '../errors/job-not-found-error.js';
import { NetworkError } from '../errors/network-error.js';
import { statusRule } from '../errors/transient.js';
import { RateLimitError } from '../errors/rate-limit-error.js';
import { offAbort, onAbort } from '../engine/abort-listeners.js';
import { setRequestBudget } from '../engine/request-budget.js';
import type { ResolvedClientOptions, TlsOptions } from './client-options.js';
import { RequestLimiter } from './limiter.js';
import { createDispatcher, proxySecrets } from './proxy.js';
import { createRedactor, type Redactor } from './redact.js';
import { parseRetryAfter } from './retry-after.js';
import type { HttpTransport } from './transport.js';
import { socketErrorCode, unreachableReason } from './unreachable.js';

/** What an adapter's `authorize` hook sees of a request (once per attempt). */
export interface RequestToSign {
  /** The HTTP method (`GET`, `POST`, `PATCH`, `DELETE`). */
  method: string;
  /** The path with its query, as sent (an absolute URL is reduced to these). */
  path: string;
  /** `host[:port]` of the origin. */
  host: string;
  /** Headers already set (lower-case names). */
  headers: Record<string, string>;
  /** The body as sent (JSON), `''` for none. */
  body: string;
}

/** What an adapter tells its transport about its vendor: credentials, secrets, and how to read errors. */
export interface TransportHooks {
  /**
   * The vendor's name, as a `JobNotFoundError` names it (`'acme'`).
   * @default none: the error names the job only
   */
  vendor?: string | undefined;
  /** Adds credentials to a request: called per attempt (a retried request is signed again). Returns headers (lower-case names). */
  authorize?: ((request: RequestToSign) => Record<string, string>) | undefined;
  /**
   * Values that must never leave the client (passwords, tokens, keys): cut out of every body,
   * error, warning and log line, in any encoding.
   * @default []
   */
  secrets?: readonly (string | undefined)[] | undefined;
  /**
   * Reads the vendor's error body (parsed JSON) into the fields of `ApiError`.
   * @default none: an error keeps its status and the status text
   */
  parseErrorBody?: ((body: unknown, headers: IncomingHttpHeaders) => VendorErrorDetails) | undefined;
  /**
   * Whether an error answer refuses the credentials although its status is not 401/403 (gateway
   * codes): it then rejects with `AuthenticationError`.
   * @default none: 401 and 403 only
   */
  isAuthError?: ((details: VendorErrorDetails, status: number) => boolean) | undefined;
  /**
   * Whether an error answer to a request that names its `jobId` says that job does not exist: it
   * then rejects with `JobNotFoundError` (the `ApiError` as its `cause`), which no retry follows.
   * Never asked about a refused credential (401, 403, or what `isAuthError` accepts).
   * @default status === 404
   */
  isNotFound?: ((details: VendorErrorDetails, status: number) => boolean) | undefined;
}

/** Configuration an adapter gives its transport. @internal */
export interface HttpClientConfig extends TransportHooks {
  origin: string;
  host: string;
  /** The base URL's path, for {@link HttpClient.basePath}. */
  basePath?: string;
  options: ResolvedClientOptions;
  tls?: TlsOptions | undefined;
}

/** One request of an adapter. */
export interface HttpRequest<S extends z.ZodType> {
  /** The HTTP method. */
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /**
   * The path and query, already encoded (`/v1/tasks/abc?view=full`, sent as is), or an absolute
   * URL on the transport's own origin (a vendor's `Operation-Location`). A URL on any other origin
   * is refused with `InvalidArgumentError` before any request, so credentials never go elsewhere.
   */
  path: string;
  /** Validates the body of a 2xx answer; an empty body is read as `undefined`. */
  schema: S;
  /** A body, sent as JSON. */
  body?: unknown;
  /** Aborts the request (and its retries); it then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * The job the request reads or acts on: an error answer that {@link TransportHooks.isNotFound}
   * accepts then rejects with `JobNotFoundError` for this id.
   * @default none: every error answer is an `ApiError`
   */
  jobId?: string | undefined;
  /**
   * Whether sending the request twice has the effect of sending it once, so it may go again after
   * a failure that may have reached the server (a reset, a stale kept-alive socket, a timeout, 502, 504).
   * @default true for GET, false otherwise
   */
  idempotent?: boolean;
}

/** A validated answer. */
export interface HttpResponse<T> {
  /** The HTTP status (2xx). */
  status: number;
  /** The answer's headers (lower-case names). */
  headers: IncomingHttpHeaders;
  /** The body, validated by the request's schema. */
  data: T;
}

/** Statuses that say the server did not act, so even a non-idempotent request may go again. */
const NOT_PROCESSED_STATUS = new Set([429, 503]);
const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);
const SNIPPET_LENGTH = 512;
/** U+FEFF, the byte order mark some servers put before a UTF-8 body. */
const BOM = 0xfeff;
const EMPTY = Buffer.alloc(0);
const SLASH = 0x2f;
/** How long a 429 without `Retry-After` pauses the client. */
const DEFAULT_429_PAUSE_MS = 1_000;
const ignore = (): void => {};

/** The socket's code of a failed attempt (`ECONNREFUSED`), or `NETWORK` when it has none. */
function failureCode(error: unknown): string {
  const code = socketErrorCode(error);
  return typeof code === 'string' ? code : 'NETWORK';
}

/**
 * The transport every adapter uses: one keep-alive undici `Agent` (or the caller's dispatcher),
 * a per-request timeout, p-retry retries of transient failures, a cap on body size, zod validation,
 * vendor error bodies turned into typed errors, and credentials that no error text can reach.
 * @internal
 */
export class HttpClient implements HttpTransport {
  readonly #config: HttpClientConfig;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #redact: Redactor;
  readonly #userAgent: string;
  readonly #limiter: RequestLimiter;
  #closed = false;
  /** Whether the origin has given this client any HTTP answer (any status). Until then it may be a wrong URL. */
  #answered = false;

  constructor(config: HttpClientConfig) {
    this.#config = config;
    const { options, tls } = config;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      createDispatcher(
        {
          ...(tls?.ca === undefined ? {} : { ca: tls.ca }),
          ...(tls?.cert === undefined ? {} : { cert: tls.cert }),
          ...(tls?.key === undefined ? {} : { key: tls.key }),
          ...(tls?.servername === undefined ? {} : { servername: tls.servername }),
          rejectUnauthorized: tls?.rejectUnauthorized ?? true,
        },
        options.proxy,
      );
    const secrets = config.secrets ?? [];
    this.#redact = createRedactor(options.proxy === undefined ? secrets : [...secrets, ...proxySecrets(options.proxy)]);
    if (tls?.rejectUnauthorized === false) {
      this.warn(`jobwait: TLS certificate verification is off for ${config.origin} (tls.rejectUnauthorized: false); trust the server's CA with tls.ca instead`);
    }
    this.#userAgent = options.userAgent;
    this.#limiter = new RequestLimiter({ maxConcurrent: options.maxConcurrentRequests, requestsPerSecond: options.requestsPerSecond });
  }

  /** Requests in flight at once at most (`maxConcurrentRequests`): the scheduler admits no more polls. */
  get maxConcurrentRequests(): number {
    return this.#config.options.maxConcurrentRequests;
  }

  /** The origin every request goes to (`https://host:port`). */
  get origin(): string {
    return this.#config.origin;
  }

  /** The base URL's path without its trailing `/` (`''` for none). */
  get basePath(): string {
    return this.#config.basePath ?? '';
  }

  /**
   * Ties `source`'s waits to this client's request budget: the scheduler admits no more of its
   * polls at once than `maxConcurrentRequests`, so a due poll that would queue for a slot waits
   * in the scheduler, holding nothing. Returns `source`.
   */
  attach<T extends object>(source: T): T {
    setRequestBudget(source, this.#config.options.maxConcurrentRequests, this.#limiter);
    return source;
  }

  /** Logs a warning through the client's logger (or Node's process warnings when it has none). */
  warn(message: string): void {
    const logger = this.#config.options.logger;
    if (logger?.warn) logger.warn(this.#redact(message));
    else process.emitWarning(this.#redact(message), { code: 'JOBWAIT_WARNING' });
  }

  /** Sends a request, retrying transient failures, and validates the answer. */
  async request<S extends z.ZodType>(request: HttpRequest<S>): Promise<HttpResponse<z.infer<S>>> {
    if (request.path.charCodeAt(0) !== SLASH) request = this.#onOrigin(request);
    const { options } = this.#config;
    if (options.retries === 0) return this.#attempt(request);
    // Most requests succeed at once: the first attempt goes without p-retry's machinery. Measured
    // against pRetry(fn, options) for every request (node bench/ab-poll.mjs, three runs), that costs
    // a CCE poll about 20 µs of client CPU (6-7 %) and an ONTAP poll about 8 µs (3 %), though the
    // call alone is some 3 µs (node bench/hot-path.mjs). A failure is handed to p-retry as its own
    // first attempt, so what follows (the checks, the logging, the delays, the attempt numbers) is
    // exactly as if p-retry had made it.
    let firstFailure: { error: unknown } | undefined;
    try {
      return await this.#attempt(request);
    } catch (error) {
      firstFailure = { error };
    }
    return pRetry(() => {
      if (firstFailure === undefined) return this.#attempt(request);
      const { error } = firstFailure;
      firstFailure = undefined;
      throw error;
    }, {
      retries: options.retries,
      minTimeout: options.retryMinTimeoutMs,
      maxTimeout: options.retryMaxTimeoutMs,
      factor: 2,
      randomize: true,
      signal: request.signal,
      shouldRetry: ({ error }) => this.#shouldRetry(error, request),
      // A Retry-After needs no sleep here: it paused the client (see #apiError), and the next
      // attempt waits for its slot until the pause is over.
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft === 0 || !this.#shouldRetry(error, request)) return;
        options.logger?.debug?.(`jobwait: retrying ${request.method} ${request.path} after attempt ${attemptNumber}: ${error.message}`, {
          method: request.method,
          path: request.path,
          attempt: attemptNumber,
          retryAfterMs: error instanceof ApiError ? error.retryAfterMs : undefined,
        });
      },
    });
  }

  /** Closes the client's own Agent (a caller's dispatcher stays open). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  /** An absolute URL reduced to its path and query, when it is on this client's origin; else refused. */
  #onOrigin<S extends z.ZodType>(request: HttpRequest<S>): HttpRequest<S> {
    let url: URL | undefined;
    try {
      url = new URL(request.path);
    } catch {
      url = undefined;
    }
    const origin = this.#config.origin;
    if (url === undefined) throw new InvalidArgumentError('path', `must be a path (/…) or an absolute URL on ${origin}`);
    // Only the origin of the refused URL is quoted: its path or user info may carry anything.
    if (url.origin !== origin) throw new InvalidArgumentError('path', `must stay on ${origin}: a URL on ${this.#redact(url.origin)} is refused, so the client's credentials go nowhere else`);
    if (url.username || url.password) throw new InvalidArgumentError('path', 'must not carry credentials');
    return { ...request, path: url.pathname + url.search };
  }

  #shouldRetry(error: unknown, request: HttpRequest<z.ZodType>): boolean {
    if (request.signal?.aborted) return false;
    if (error instanceof NetworkError) {
      // A certificate will not change by asking again; an origin that was never reached gets its
      // retries (a blip at start-up), and only then ends the wait.
      if (!error.transient && !neverReached(error)) return false;
      return mayResend(request, error);
    }
    if (error instanceof ApiError && !(error instanceof AuthenticationError) && statusRule(error.status).retryNow) {
      if (!mayResend(request, error)) return false;
      // A 429 paused the whole client: retry it here only when the server said when (and soon);
      // otherwise the caller (a wait's schedule) decides, and sees the 429.
      if (error.status === 429 && error.retryAfterMs === undefined) return false;
      return error.retryAfterMs === undefined || error.retryAfterMs <= this.#config.options.retryMaxTimeoutMs;
    }
    return false;
  }

  /** The request's headers, in one object literal: the base ones, the body's type, the credentials. */
  #headers(request: HttpRequest<z.ZodType>, body: string): Record<string, string> {
    const headers: Record<string, string> = body
      ? { accept: 'application/json', 'user-agent': this.#userAgent, 'content-type': 'application/json' }
      : { accept: 'application/json', 'user-agent': this.#userAgent };
    if (this.#config.authorize) {
      const added = this.#config.authorize({ method: request.method, path: request.path, host: this.#config.host, headers, body });
      for (const name in added) headers[name] = added[name] as string;
    }
    return headers;
  }

  async #attempt<S extends z.ZodType>(request: HttpRequest<S>): Promise<HttpResponse<z.infer<S>>> {
    // Permanent, so a wait ends on it and no retry follows; checked per attempt, so a retry that
    // comes after close() is not sent either.
    if (this.#closed) throw new ClientClosedError({ request: `${request.method} ${this.#config.origin}${request.path}` });
    const { options } = this.#config;
    // The slot first, then the request: a request queued behind the client's budget holds nothing
    // yet, and an AK/SK signature is dated when the request leaves, not when it queued.
    const release = await this.#limiter.acquire(request.signal);
    const url = this.#config.origin + request.path;
    let body: string;
    let headers: Record<string, string>;
    try {
      body = request.body === undefined ? '' : JSON.stringify(request.body);
      headers = this.#headers(request, body);
    } catch (error) {
      release();
      throw error;
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.requestTimeoutMs);
    const onCallerAbort = (): void => controller.abort();
    if (request.signal?.aborted) controller.abort();
    else if (request.signal) onAbort(request.signal, onCallerAbort);
    const started = performance.now();

    let status = 0;
    let responseHeaders: IncomingHttpHeaders = {};
    let raw: Buffer | undefined;
    try {
      const response = await this.#dispatcher.request({
        origin: this.#config.origin,
        path: request.path,
        method: request.method,
        headers,
        body: body || null,
        signal: controller.signal,
      });
      status = response.statusCode;
      this.#answered = true;
      responseHeaders = response.headers as IncomingHttpHeaders;
      raw = await readBody(response.body, responseHeaders, options.maxResponseBytes);
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      const failure = this.#networkError(request.method, url, error, timedOut);
      // An attempt that got no answer is logged as an answer is (below): one line per attempt
      // (without a debug logger, the optional call evaluates none of its arguments).
      options.logger?.debug?.(`jobwait: ${request.method} ${request.path} failed in ${Math.round(performance.now() - started)} ms: ${failure.message}`, {
        method: request.method,
        path: request.path,
        code: timedOut ? 'TIMEOUT' : failureCode(error),
      });
      throw failure;
    } finally {
      clearTimeout(timer);
      if (request.signal) offAbort(request.signal, onCallerAbort);
      release();
    }

    options.logger?.debug?.(`jobwait: ${request.method} ${request.path} ${status} in ${Math.round(performance.now() - started)} ms`, {
      method: request.method,
      path: request.path,
      status,
    });

    // An error answer keeps its status (a huge 503 page stays transient); only its body is dropped.
    if (status < 200 || status > 299) throw this.#apiError(request, url, status, responseHeaders, raw ?? EMPTY);
    if (raw === undefined) {
      throw new InvalidResponseError({ status, method: request.method, url, reason: `the body is larger than maxResponseBytes (${options.maxResponseBytes} bytes)` });
    }

    let json: unknown;
    if (raw.length > 0) {
      try {
        json = this.#decode(raw);
      } catch {
        // No `cause`: the parser's message quotes the body, and the body may echo a secret.
        throw new InvalidResponseError({ status, method: request.method, url, reason: 'the body is not JSON', bodySnippet: this.#snippet(raw) });
      }
    }
    const parsed = request.schema.safeParse(json);
    if (!parsed.success) {
      throw new InvalidResponseError({
        status,
        method: request.method,
        url,
        reason: 'the body does not match the expected schema',
        issues: parsed.error.issues.map((issue): ResponseIssue => ({ path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: issue.message })),
        bodySnippet: this.#snippet(raw),
      });
    }
    return { status, headers: responseHeaders, data: parsed.data as z.infer<S> };
  }

  #apiError(request: HttpRequest<z.ZodType>, url: string, status: number, headers: IncomingHttpHeaders, raw: Buffer): ApiError | JobNotFoundError {
    const { method, jobId } = request;
    let details: VendorErrorDetails = {};
    let json: unknown;
    try {
      json = raw.length > 0 ? this.#decode(raw) : undefined;
    } catch {
      json = undefined;
    }
    if (json !== undefined && this.#config.parseErrorBody) {
      try {
        details = this.#config.parseErrorBody(json, headers);
      } catch {
        details = {};
      }
    }
    const requestId = details.requestId ?? headerValue(headers['x-request-id']);
    const options = {
      status,
      method,
      url,
      vendorCode: details.vendorCode === undefined ? undefined : this.#redact(String(details.vendorCode)),
      vendorMessage: details.vendorMessage === undefined ? (json === undefined ? STATUS_CODES[status] : undefined) : this.#redact(details.vendorMessage),
      target: details.target === undefined ? undefined : this.#redact(details.target),
      requestId: requestId === undefined ? undefined : this.#redact(requestId),
      retryAfterMs: parseRetryAfter(headers['retry-after']),
    };
    if (status === 401 || status === 403 || this.#config.isAuthError?.(details, status)) return new AuthenticationError(options);
    // The server asked the client to slow down: pause every request of the client, not just this
    // one. This pause is the one place the transport honours a Retry-After.
    if (status === 429 || (options.retryAfterMs !== undefined && statusRule(status).transient)) {
      this.#limiter.pause(Math.min(options.retryAfterMs ?? DEFAULT_429_PAUSE_MS, this.#config.options.maxClientPauseMs));
    }
    const error = status === 429 ? new RateLimitError(options) : new ApiError(options);
    if (jobId !== undefined && (this.#config.isNotFound ?? isNotFoundStatus)(details, status)) {
      return new JobNotFoundError({ vendor: this.#config.vendor, jobId, cause: error });
    }
    return error;
  }

  #networkError(method: string, url: string, unsafe: unknown, timedOut: boolean): NetworkError {
    // A caller's dispatcher may quote the request (its Authorization header) in its error.
    const error = this.#redact.error(unsafe);
    if (timedOut) {
      return new NetworkError({ method, url, timedOut: true, message: `no complete answer within ${this.#config.options.requestTimeoutMs} ms (requestTimeoutMs)`, cause: error });
    }
    const code = socketErrorCode(error);
    const unreachable = this.#answered ? undefined : unreachableReason(code);
    if (unreachable !== undefined) {
      // Never answered: a wrong URL, a closed port, a name that does not resolve. Waiting cannot fix it.
      const message = `cannot reach ${this.#config.host}: ${unreachable} (${String(code)}); this client has never had an answer from it: check the URL${this.#config.options.proxy === undefined ? '' : ' and the proxy'}`;
      return new NetworkError({ method, url, message: this.#redact(message), transient: false, cause: error });
    }
    const cause = (error as { cause?: unknown })?.cause ?? error;
    let message = cause instanceof Error ? cause.message : String(cause);
    if (typeof code === 'string' && !message.includes(code)) message = `${message} (${code})`;
    let transient = true;
    if (typeof code === 'string' && TLS_TRUST_CODES.has(code)) {
      message += '. To trust a self-signed or private CA, pass its PEM certificate as tls.ca (or, insecurely, tls.rejectUnauthorized: false)';
      transient = false;
    } else if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      message += '. The certificate does not name this host: connect by a name it lists, or set tls.servername';
      transient = false;
    } else if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
      transient = false;
    }
    return new NetworkError({ method, url, message, transient, cause: error });
  }

  /**
   * The one place a body is decoded: UTF-8, one leading BOM dropped (as `fetch().json()` does),
   * parsed, and every secret cut out of the parsed value (where every escape is decoded), so that
   * no job text, `raw` value or error built from it can hold one. Throws when it is not JSON.
   */
  #decode(raw: Buffer): unknown {
    let text = raw.toString('utf8');
    if (text.charCodeAt(0) === BOM) text = text.slice(1);
    return this.#redact.json(JSON.parse(text) as unknown, text);
  }

  #snippet(raw: Buffer): string {
    // Redact the whole body first: a secret that crosses the cut must not leave its first half.
    return this.#redact(raw.toString('utf8')).slice(0, SNIPPET_LENGTH);
  }

  /** Secret-free view for `util.inspect`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `HttpClient { origin: ${JSON.stringify(this.#config.origin)} }`;
  }

  toJSON(): { origin: string } {
    return { origin: this.#config.origin };
  }
}

/**
 * Whether a failed request may be sent again: it is idempotent (a GET, or a request its adapter
 * marks so), or the server provably did not act on it (no connection was made; a 429 or 503).
 */
function mayResend(request: HttpRequest<z.ZodType>, error: NetworkError | ApiError): boolean {
  if (request.idempotent ?? request.method === 'GET') return true;
  return error instanceof NetworkError ? neverReached(error) : NOT_PROCESSED_STATUS.has(error.status);
}

/** Whether the request of a network failure never left this machine (DNS, a refused connection). */
function neverReached(error: NetworkError): boolean {
  return unreachableReason(socketErrorCode(error.cause)) !== undefined;
}

/** What a not-found answer is unless an adapter says otherwise. */
function isNotFoundStatus(_details: VendorErrorDetails, status: number): boolean {
  return status === 404;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads a body up to `limit` bytes; `undefined` when it is larger (the rest is dropped). */
async function readBody(body: Dispatcher.ResponseData['body'], headers: IncomingHttpHeaders, limit: number): Promise<Buffer | undefined> {
  const declared = Number(headerValue(headers['content-length']));
  if (Number.isFinite(declared) && declared > limit) {
    discard(body);
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      discard(body);
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}

/** Drops a body we will not read; the abort error undici then emits has a listener. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', ignore);
  body.destroy();
}
