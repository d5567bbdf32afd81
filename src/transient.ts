import { ApiError } from './errors/api-error.js';
import { AuthenticationError } from './errors/authentication-error.js';
import { JobNotFoundError } from './errors/job-not-found-error.js';
import { JobwaitError } from './errors/jobwait-error.js';
import { NetworkError } from './errors/network-error.js';
import { RateLimitError } from './errors/rate-limit-error.js';

/** 5xx answers that will not change by asking again. */
const PERMANENT_5XX = new Set([501, 505]);

/**
 * Whether a failed poll is passing trouble that must not end a wait before its deadline:
 * network errors (including the per-request timeout) but certificate failures and an origin that
 * never answered the client and cannot be reached, 429, and 5xx answers but 501 Not Implemented
 * and 505 HTTP Version Not Supported.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof NetworkError) return error.transient;
  if (error instanceof RateLimitError) return true;
  if (error instanceof AuthenticationError || !(error instanceof ApiError)) return false;
  return error.status === 429 || (error.status >= 500 && error.status <= 599 && !PERMANENT_5XX.has(error.status));
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
