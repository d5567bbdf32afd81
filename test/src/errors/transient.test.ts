import { describe, expect, it } from 'vitest';
import { ApiError, AuthenticationError, InvalidResponseError, JobNotFoundError, NetworkError, RateLimitError } from '../../../src/errors/index.js';
import { isTransient, outcomeKey, retryAfterOf, statusRule } from '../../../src/errors/transient.js';

const api = (status: number, retryAfterMs?: number): ApiError => new ApiError({ status, method: 'GET', url: 'http://127.0.0.1/x', retryAfterMs });

describe('isTransient', () => {
  it('treats network errors, 429 and the 5xx answers that may change as transient', () => {
    expect(isTransient(new NetworkError({ method: 'GET', url: 'http://127.0.0.1/x', message: 'reset' }))).toBe(true);
    expect(isTransient(new RateLimitError({ status: 429, method: 'GET', url: 'http://127.0.0.1/x' }))).toBe(true);
    for (const status of [500, 502, 503, 504, 507, 599]) expect(isTransient(api(status)), String(status)).toBe(true);
  });

  it('treats a NetworkError marked not transient (an untrusted certificate) as permanent', () => {
    expect(isTransient(new NetworkError({ method: 'GET', url: 'https://127.0.0.1/x', message: 'self-signed certificate', transient: false }))).toBe(false);
  });

  it('treats a plain ApiError with status 429 (as a custom adapter may throw) as transient', () => {
    expect(isTransient(api(429))).toBe(true);
  });

  it('treats 501 Not Implemented and 505 HTTP Version Not Supported as permanent: asking again cannot help', () => {
    expect(isTransient(api(501))).toBe(false);
    expect(isTransient(api(505))).toBe(false);
  });

  it('treats 4xx, authentication, invalid bodies, not-found and foreign errors as permanent', () => {
    for (const status of [400, 403, 404, 409, 422]) expect(isTransient(api(status)), String(status)).toBe(false);
    expect(isTransient(new AuthenticationError({ status: 401, method: 'GET', url: 'http://127.0.0.1/x' }))).toBe(false);
    expect(isTransient(new InvalidResponseError({ status: 200, method: 'GET', url: 'http://127.0.0.1/x', reason: 'not JSON' }))).toBe(false);
    expect(isTransient(new JobNotFoundError({ jobId: 'x' }))).toBe(false);
    expect(isTransient(new TypeError('boom'))).toBe(false);
    expect(isTransient('a string')).toBe(false);
  });
});

describe('statusRule', () => {
  it('lets the transport retry at once only what a proxy or a rate limit answers: 429, 502, 503, 504', () => {
    const retried = Array.from({ length: 600 }, (_, i) => i).filter((status) => statusRule(status).retryNow);
    expect(retried).toEqual([429, 502, 503, 504]);
  });

  it('keeps a wait going on every status the transport retries, and on 500 and the other 5xx but 501 and 505', () => {
    const transient = Array.from({ length: 600 }, (_, i) => i).filter((status) => statusRule(status).transient);
    expect(transient).toEqual([429, ...Array.from({ length: 100 }, (_, i) => 500 + i).filter((status) => status !== 501 && status !== 505)]);
  });

  it('is the rule isTransient applies to an ApiError', () => {
    for (const status of [400, 404, 429, 500, 501, 502, 503, 504, 505, 599]) {
      expect(isTransient(new ApiError({ status, method: 'GET', url: 'https://x/' }))).toBe(statusRule(status).transient);
    }
  });
});

describe('outcomeKey and retryAfterOf', () => {
  it('counts HTTP errors by status and other failures by kind', () => {
    expect(outcomeKey(api(503))).toBe('503');
    expect(outcomeKey(new NetworkError({ method: 'GET', url: 'u', message: 'x' }))).toBe('NETWORK');
    expect(outcomeKey(new NetworkError({ method: 'GET', url: 'u', message: 'x', timedOut: true }))).toBe('TIMEOUT');
    expect(outcomeKey(new JobNotFoundError({ jobId: 'x' }))).toBe('404');
    expect(outcomeKey(new TypeError('x'))).toBe('TypeError');
  });

  it('reads Retry-After from any ApiError and from nothing else', () => {
    expect(retryAfterOf(api(503, 1500))).toBe(1500);
    expect(retryAfterOf(new NetworkError({ method: 'GET', url: 'u', message: 'x' }))).toBeUndefined();
  });
});
