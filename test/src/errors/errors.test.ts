import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  ClientClosedError,
  InvalidArgumentError,
  InvalidResponseError,
  JobCancelledError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  JobwaitError,
  NetworkError,
  RateLimitError,
  UnsupportedOperationError,
  WaitAbortedError,
} from '../../../src/errors/index.js';
import * as publicApi from '../../../src/index.js';
import type { Job } from '../../../src/model/job.js';

const URL_ = 'https://cluster1.example.com/api/cluster/jobs/abc?fields=*';

function job(over: Partial<Job> = {}): Job {
  return { vendor: 'ontap', id: 'abc-123', state: 'failed', vendorState: 'failure', tasks: [], raw: {}, ...over };
}

/** Every error class, built with its real constructor, with its literal name and code (API.md table). */
const CLASSES: [name: string, code: string, make: () => JobwaitError][] = [
  ['JobFailedError', 'JOB_FAILED', () => new JobFailedError(job())],
  ['JobCancelledError', 'JOB_CANCELLED', () => new JobCancelledError(job({ state: 'cancelled', vendorState: 'CANCELLED' }))],
  ['JobTimeoutError', 'JOB_TIMEOUT', () => new JobTimeoutError({ jobId: 'abc-123', elapsedMs: 1000, polls: 2 })],
  ['JobNotFoundError', 'JOB_NOT_FOUND', () => new JobNotFoundError({ jobId: 'abc-123' })],
  ['WaitAbortedError', 'ABORTED', () => new WaitAbortedError({ jobId: 'abc-123' })],
  ['ClientClosedError', 'CLIENT_CLOSED', () => new ClientClosedError({ vendor: 'ontap', jobId: 'abc-123' })],
  ['ApiError', 'API_ERROR', () => new ApiError({ status: 400, method: 'GET', url: URL_ })],
  ['AuthenticationError', 'AUTHENTICATION', () => new AuthenticationError({ status: 401, method: 'GET', url: URL_ })],
  ['RateLimitError', 'RATE_LIMITED', () => new RateLimitError({ status: 429, method: 'GET', url: URL_, retryAfterMs: 2000 })],
  ['NetworkError', 'NETWORK', () => new NetworkError({ method: 'GET', url: URL_, message: 'connect ECONNREFUSED' })],
  ['InvalidResponseError', 'INVALID_RESPONSE', () => new InvalidResponseError({ status: 200, method: 'GET', url: URL_, reason: 'schema mismatch' })],
  ['UnsupportedOperationError', 'UNSUPPORTED', () => new UnsupportedOperationError('pauseJob')],
  ['InvalidArgumentError', 'INVALID_ARGUMENT', () => new InvalidArgumentError('timeoutMs', 'must be above 0')],
];

describe('every error class', () => {
  it.each(CLASSES)('%s has its literal name and the code %s', (name, code, make) => {
    const error = make();
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.constructor.name).toBe(name);
  });

  it.each(CLASSES)('%s is an instance of JobwaitError and Error', (_name, _code, make) => {
    const error = make();
    expect(error).toBeInstanceOf(JobwaitError);
    expect(error).toBeInstanceOf(Error);
    expect(Object.prototype.toString.call(error)).toBe('[object Error]');
  });

  it.each(CLASSES)('%s starts its stack with the class name', (name, _code, make) => {
    const error = make();
    expect(error.stack?.split('\n')[0]).toMatch(new RegExp(`^${name}: `));
    expect(error.stack?.split('\n')[0]).toBe(`${name}: ${error.message}`);
  });

  it.each(CLASSES)('%s shows its name in util.inspect', (name, _code, make) => {
    expect(inspect(make())).toMatch(new RegExp(`^${name}: `));
  });

  it.each(CLASSES)('%s keeps name and code out of its enumerable keys', (_name, _code, make) => {
    const error = make();
    const inherited: string[] = [];
    for (const key in error) inherited.push(key);
    for (const keys of [Object.keys(error), inherited]) {
      expect(keys).not.toContain('name');
      expect(keys).not.toContain('code');
    }
  });

  it.each(CLASSES)('%s serializes name, code and message with toJSON and JSON.stringify', (name, code, make) => {
    const error = make();
    const json = error.toJSON();
    expect(json).toMatchObject({ name, code, message: error.message });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name, code, message: error.message });
  });

  it.each(CLASSES)('%s has a non-empty message', (_name, _code, make) => {
    expect(make().message.length).toBeGreaterThan(0);
  });

  it.each(CLASSES)('%s is exported from the package entry', (name) => {
    expect(Object.keys(publicApi)).toContain(name);
  });

  it('makes AuthenticationError and RateLimitError instances of ApiError, and the others not', () => {
    const auth = new AuthenticationError({ status: 403, method: 'GET', url: URL_ });
    const rate = new RateLimitError({ status: 429, method: 'GET', url: URL_ });
    expect(auth).toBeInstanceOf(ApiError);
    expect(rate).toBeInstanceOf(ApiError);
    expect(auth).not.toBeInstanceOf(RateLimitError);
    expect(rate).not.toBeInstanceOf(AuthenticationError);
    expect(new NetworkError({ method: 'GET', url: URL_ })).not.toBeInstanceOf(ApiError);
    expect(new InvalidResponseError({ status: 200, method: 'GET', url: URL_, reason: 'x' })).not.toBeInstanceOf(ApiError);
  });

  it('gives every class a distinct code', () => {
    const codes = CLASSES.map(([, code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('ApiError', () => {
  it('carries status, vendor details, method, url and retryAfterMs', () => {
    const cause = new Error('underlying');
    const error = new ApiError({
      status: 400,
      method: 'POST',
      url: URL_,
      vendorCode: '458784',
      vendorMessage: 'Invalid field',
      target: 'svm.name',
      requestId: 'req-9',
      retryAfterMs: 1500,
      cause,
    });
    expect(error).toMatchObject({
      status: 400,
      method: 'POST',
      url: URL_,
      vendorCode: '458784',
      vendorMessage: 'Invalid field',
      target: 'svm.name',
      requestId: 'req-9',
      retryAfterMs: 1500,
    });
    expect(error.cause).toBe(cause);
  });

  it('names the method, path, status, vendor message, vendor code, target and request id in its message', () => {
    const error = new ApiError({ status: 400, method: 'POST', url: URL_, vendorCode: '458784', vendorMessage: 'Invalid field', target: 'svm.name', requestId: 'req-9' });
    expect(error.message).toBe('POST /api/cluster/jobs/abc?fields=* answered 400: Invalid field (vendor code 458784, target svm.name, request id req-9)');
  });

  it('keeps only the path of the url in its message, so credentials in the url never show', () => {
    const error = new ApiError({ status: 500, method: 'GET', url: 'https://admin:s3cret@cluster1.example.com/api/x' });
    expect(error.message).toBe('GET /api/x answered 500');
    expect(error.message).not.toContain('s3cret');
  });

  it('keeps a url that is not absolute as it is in its message', () => {
    expect(new ApiError({ status: 502, method: 'GET', url: '/api/x' }).message).toBe('GET /api/x answered 502');
  });

  it('truncates a very long vendor message', () => {
    const error = new ApiError({ status: 500, method: 'GET', url: URL_, vendorMessage: 'x'.repeat(5000) });
    expect(error.message.length).toBeLessThan(700);
    expect(error.message).toContain('…');
  });

  it('serializes its fields in toJSON and describes a JobwaitError cause with its own toJSON', () => {
    const cause = new NetworkError({ method: 'GET', url: URL_, message: 'reset' });
    const error = new RateLimitError({ status: 429, method: 'GET', url: URL_, retryAfterMs: 2000, cause });
    expect(error.toJSON()).toEqual({
      name: 'RateLimitError',
      code: 'RATE_LIMITED',
      message: error.message,
      status: 429,
      method: 'GET',
      url: URL_,
      vendorCode: undefined,
      vendorMessage: undefined,
      target: undefined,
      requestId: undefined,
      retryAfterMs: 2000,
      cause: cause.toJSON(),
    });
  });
});

describe('NetworkError', () => {
  it('uses the cause message as its reason by default and records timedOut', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
    const error = new NetworkError({ method: 'GET', url: URL_, cause });
    expect(error.message).toBe(`GET ${URL_} failed: connect ECONNREFUSED 127.0.0.1:443`);
    expect(error.timedOut).toBe(false);
    expect(error.cause).toBe(cause);
    expect(error.method).toBe('GET');
    expect(error.url).toBe(URL_);
    expect(error.toJSON()['cause']).toEqual({ name: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:443' });
  });

  it('records a per-request timeout', () => {
    expect(new NetworkError({ method: 'GET', url: URL_, timedOut: true }).timedOut).toBe(true);
  });

  it('has no cause property when given no cause', () => {
    const error = new NetworkError({ method: 'GET', url: URL_ });
    expect(Object.hasOwn(error, 'cause')).toBe(false);
    expect(error.toJSON()).not.toHaveProperty('cause');
    expect(error.message).toContain('network error');
  });
});

describe('InvalidResponseError', () => {
  it('carries issues, bodySnippet and status, and lists the first three issues in its message', () => {
    const issues = [
      { path: ['records', 0, 'state'], message: 'Required' },
      { path: [], message: 'Expected object' },
      { path: ['uuid'], message: 'Invalid uuid' },
      { path: ['x'], message: 'fourth' },
    ];
    const error = new InvalidResponseError({ status: 200, method: 'GET', url: URL_, reason: 'schema mismatch', issues, bodySnippet: '{"records":[{}]}' });
    expect(error.issues).toEqual(issues);
    expect(error.bodySnippet).toBe('{"records":[{}]}');
    expect(error.status).toBe(200);
    expect(error.message).toContain('records.0.state: Required');
    expect(error.message).toContain('(root): Expected object');
    expect(error.message).toContain('+1 more');
    expect(error.message).not.toContain('fourth');
  });

  it('defaults to no issues and an empty snippet', () => {
    const error = new InvalidResponseError({ status: 200, method: 'GET', url: URL_, reason: 'not JSON' });
    expect(error.issues).toEqual([]);
    expect(error.bodySnippet).toBe('');
    expect(error.message).toContain('not JSON');
  });
});

describe('JobFailedError and JobCancelledError', () => {
  it('JobFailedError carries the job and names its id, vendor state, error message and code', () => {
    const failed = job({ error: { code: '460770', message: 'Volume is offline' }, tasks: [] });
    const error = new JobFailedError(failed);
    expect(error.job).toBe(failed);
    expect(error.message).toContain('"abc-123"');
    expect(error.message).toContain('ontap');
    expect(error.message).toContain('failure');
    expect(error.message).toContain('Volume is offline');
    expect(error.message).toContain('460770');
  });

  it('JobFailedError falls back to the job message when the job has no error', () => {
    expect(new JobFailedError(job({ message: 'went wrong' })).message).toContain('went wrong');
  });

  it('JobCancelledError carries the job and names its id', () => {
    const cancelled = job({ state: 'cancelled', vendorState: 'CANCELLED', message: 'by admin' });
    const error = new JobCancelledError(cancelled);
    expect(error.job).toBe(cancelled);
    expect(error.message).toContain('"abc-123"');
    expect(error.message).toContain('by admin');
  });

  it('serializes the job in toJSON', () => {
    const failed = job();
    expect(new JobFailedError(failed).toJSON()).toMatchObject({ name: 'JobFailedError', code: 'JOB_FAILED', job: failed });
  });
});

describe('JobTimeoutError', () => {
  it('carries jobId, lastJob, elapsedMs, polls, outcomes and cause', () => {
    const last = job({ state: 'running', vendorState: 'running', message: 'Copying' });
    const cause = new ApiError({ status: 503, method: 'GET', url: URL_ });
    const error = new JobTimeoutError({ vendor: 'ontap', jobId: 'abc-123', lastJob: last, elapsedMs: 60_000.4, polls: 4, outcomes: { ok: 1, '503': 3 }, cause });
    expect(error).toMatchObject({ jobId: 'abc-123', lastJob: last, elapsedMs: 60_000.4, polls: 4, outcomes: { ok: 1, '503': 3 } });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(
      'Timed out after 60000 ms waiting for ontap job "abc-123": last state running ("Copying"); 4 polls (503 x3, ok x1); last error: GET /api/cluster/jobs/abc?fields=* answered 503',
    );
  });

  it('says never seen, a single poll, and no summary when nothing was recorded', () => {
    const error = new JobTimeoutError({ jobId: 'abc-123', elapsedMs: 10, polls: 1 });
    expect(error.message).toBe('Timed out after 10 ms waiting for job "abc-123": never seen; 1 poll');
    expect(error.outcomes).toEqual({});
    expect(error.lastJob).toBeUndefined();
  });

  it('serializes its fields and its cause in toJSON', () => {
    const cause = new TypeError('bad');
    const json = new JobTimeoutError({ jobId: 'j', elapsedMs: 5, polls: 2, outcomes: { NETWORK: 2 }, cause }).toJSON();
    expect(json).toMatchObject({ name: 'JobTimeoutError', code: 'JOB_TIMEOUT', jobId: 'j', elapsedMs: 5, polls: 2, outcomes: { NETWORK: 2 }, cause: { name: 'TypeError', message: 'bad' } });
  });
});

describe('JobNotFoundError', () => {
  it('says the job was not found when it was never seen', () => {
    const error = new JobNotFoundError({ vendor: 'cas', jobId: 'j-1' });
    expect(error.message).toBe('cas job "j-1" was not found');
    expect(error.jobId).toBe('j-1');
    expect(error.lastJob).toBeUndefined();
  });

  it('says the outcome is unknown, with the last state, when the job vanished after it was seen', () => {
    const last = job({ state: 'running', vendorState: 'running' });
    const error = new JobNotFoundError({ jobId: 'abc-123', lastJob: last });
    expect(error.lastJob).toBe(last);
    expect(error.message).toContain('ontap job "abc-123"');
    expect(error.message).toContain('vanished');
    expect(error.message).toContain('last state running');
    expect(error.message).toContain('outcome is unknown');
  });
});

describe('WaitAbortedError', () => {
  it('carries jobId, lastJob and the signal reason as cause', () => {
    const last = job({ state: 'queued', vendorState: 'queued' });
    const error = new WaitAbortedError({ vendor: 'cce', jobId: 'abc-123', lastJob: last, cause: 'user' });
    expect(error.jobId).toBe('abc-123');
    expect(error.lastJob).toBe(last);
    expect(error.cause).toBe('user');
    expect(error.message).toContain('cce job "abc-123"');
    expect(error.message).toContain('aborted');
    expect(error.message).toContain('last state queued');
    expect(error.toJSON()['cause']).toBe('user');
  });

  it('has no cancel outcome when the wait only detached', () => {
    const error = new WaitAbortedError({ vendor: 'ontap', jobId: 'abc-123', lastJob: job({ state: 'running', vendorState: 'running' }) });
    expect(error.cancel).toBeUndefined();
    expect(error.message).toBe('Stopped waiting for ontap job "abc-123": the signal was aborted (last state running)');
  });

  it('says the cancel was sent and how the job ended', () => {
    const last = job({ state: 'failed', vendorState: 'failure', message: 'Job was cancelled.' });
    const error = new WaitAbortedError({ vendor: 'ontap', jobId: 'abc-123', lastJob: last, cancel: 'sent', cause: 'user' });
    expect(error.cancel).toBe('sent');
    expect(error.message).toBe('Stopped waiting for ontap job "abc-123": the signal was aborted; the cancel was sent and the job ended failed (last state failed / failure ("Job was cancelled."))');
    expect(error.toJSON()).toMatchObject({ cancel: 'sent', cause: 'user' });
  });

  it('says the cancel was sent but the job had not ended when it had not', () => {
    const error = new WaitAbortedError({ vendor: 'ontap', jobId: 'abc-123', lastJob: job({ state: 'running', vendorState: 'running' }), cancel: 'sent' });
    expect(error.message).toContain('the cancel was sent but the job had not ended when the wait stopped (last state running)');
  });

  it('says the cancel was refused, with the refusal as its cause and in its message', () => {
    const refusal = new ApiError({ status: 400, method: 'PATCH', url: URL_, vendorCode: '458784', vendorMessage: 'This job does not support cancel.' });
    const error = new WaitAbortedError({ vendor: 'ontap', jobId: 'abc-123', lastJob: job({ state: 'running', vendorState: 'running' }), cancel: 'refused', cause: refusal });
    expect(error.cause).toBe(refusal);
    expect(error.message).toContain('the cancel was refused: ');
    expect(error.message).toContain('458784');
    expect(error.message).toContain('(last state running)');
    expect(error.toJSON()['cause']).toMatchObject({ name: 'ApiError', vendorCode: '458784' });
  });
});

describe('UnsupportedOperationError and InvalidArgumentError', () => {
  it('UnsupportedOperationError names the operation and the reason', () => {
    const error = new UnsupportedOperationError('cancelJob', 'CCE jobs cannot be cancelled');
    expect(error.operation).toBe('cancelJob');
    expect(error.message).toBe('cancelJob is not supported: CCE jobs cannot be cancelled');
    expect(error.toJSON()).toMatchObject({ operation: 'cancelJob' });
  });

  it('InvalidArgumentError names the argument and the problem', () => {
    const error = new InvalidArgumentError('minDelayMs', 'must be 1 or more');
    expect(error.argument).toBe('minDelayMs');
    expect(error.message).toBe('Invalid minDelayMs: must be 1 or more');
    expect(error.toJSON()).toEqual({ name: 'InvalidArgumentError', code: 'INVALID_ARGUMENT', message: error.message, argument: 'minDelayMs' });
  });
});
