import { ApiError } from './api-error.js';
import { AuthenticationError } from './authentication-error.js';
import { JobNotFoundError } from './job-not-found-error.js';
import { JobwaitError } from './jobwait-error.js';
import { NetworkError } from './network-error.js';

/**
 * What an error answer's status means, in one table for the transport and the wait alike:
 * - `retryNow`: the transport's per-request retries may send the request again after their short
 *   backoff (a proxy or a load balancer in trouble: 502, 503, 504; and a 429 whose `Retry-After`
 *   is short, which the transport checks itself);
 * - `transient`: passing trouble that does not end a wait before its deadline: the wait polls again
 *   on its schedule (every `retryNow` status, and 500 and the other 5xx, which a server may get over
 *   but not within milliseconds). 501 Not Implemented and 505 HTTP Version Not Supported will not
 *   change by asking again, and no 4xx but 429 will.
 * @internal
 */
export function statusRule(status: number): { retryNow: boolean; transient: boolean } {
  if (status === 429 || status === 502 || status === 503 || status === 504) return RETRY_NOW;
  if (status >= 500 && status <= 599 && status !== 501 && status !== 505) return LATER;
  return NEVER;
}

const RETRY_NOW = Object.freeze({ retryNow: true, transient: true });
const LATER = Object.freeze({ retryNow: false, transient: true });
const NEVER = Object.freeze({ retryNow: false, transient: false });

/**
 * Whether a failed poll is passing trouble that must not end a wait before its deadline:
 * network errors (including the per-request timeout) but certificate failures and an origin that
 * never answered the client and cannot be reached, and error answers whose status
 * the status table (`statusRule`) calls transient (429, 5xx but 501 and 505).
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof NetworkError) return error.transient;
  if (error instanceof AuthenticationError || !(error instanceof ApiError)) return false;
  return statusRule(error.status).transient;
}

/** The key a failed poll is counted under in a timeout's summary: `503`, `NETWORK`, `TIMEOUT`. */
export function outcomeKey(error: unknown): string {
  if (error instanceof ApiError) return String(error.status);
  if (error instanceof NetworkError) return error.timedOut ? 'TIMEOUT' : 'NETWORK';
  if (error instanceof JobNotFoundError) return '404';
  if (error instanceof JobwaitError) return error.code;
  return error instanceof Error ? error.name : 'ERROR';
}

/** The `Retry-After` an error carries, in milliseconds. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof ApiError ? error.retryAfterMs : undefined;
}
