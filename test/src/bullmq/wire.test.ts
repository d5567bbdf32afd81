import { describe, expect, test } from 'vitest';
import { errorFromWire, errorToWire, jobFromWire, jobToWire, outcomeOf } from '../../../src/bullmq/wire.js';
import {
  ApiError,
  AuthenticationError,
  InvalidArgumentError,
  JobCancelledError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  JobwaitError,
  NetworkError,
  RateLimitError,
} from '../../../src/index.js';
import type { Job } from '../../../src/model/job.js';

const job: Job<{ uuid: string }> = {
  vendor: 'ontap',
  id: '1cd8a442-86d1-11e0-ae1c-123478563412',
  state: 'failed',
  vendorState: 'failure',
  message: 'disk full',
  error: { code: '42', message: 'disk full' },
  createdAt: new Date('2026-12-01T10:00:00.000Z'),
  endedAt: new Date('2026-12-01T10:05:00.000Z'),
  tasks: [{ id: 't1', state: 'failed', vendorState: 'Failed', updatedAt: new Date('2026-12-01T10:04:00.000Z'), tasks: [{ id: 't1.1', state: 'succeeded', vendorState: 'Success', createdAt: new Date('2026-12-01T10:01:00.000Z'), tasks: [] }] }],
  raw: { uuid: '1cd8a442-86d1-11e0-ae1c-123478563412' },
};
/** Through JSON text, as Redis keeps it. */
const stored = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

describe('the wire format of a durable wait', () => {
  test('a Job comes back equal, its and its tasks\' Dates revived at every depth, raw kept', () => {
    const back = jobFromWire(stored(jobToWire(job)));
    expect(back).toEqual(job);
    expect(back.tasks[0]?.tasks[0]?.createdAt).toBeInstanceOf(Date);
  });

  test.each([
    ['JobFailedError', () => new JobFailedError(job)],
    ['JobCancelledError', () => new JobCancelledError({ ...job, state: 'cancelled' })],
    ['JobTimeoutError', () => new JobTimeoutError({ vendor: 'ontap', jobId: job.id, lastJob: job, elapsedMs: 600_000, polls: 12, outcomes: { ok: 10, '503': 2 }, cause: new ApiError({ status: 503, method: 'GET', url: 'https://c/api' }) })],
    ['JobNotFoundError', () => new JobNotFoundError({ vendor: 'ontap', jobId: job.id, lastJob: job })],
    ['AuthenticationError', () => new AuthenticationError({ status: 401, method: 'GET', url: 'https://c/api' })],
    ['RateLimitError', () => new RateLimitError({ status: 429, method: 'GET', url: 'https://c/api', retryAfterMs: 2_000 })],
    ['NetworkError', () => new NetworkError({ method: 'GET', url: 'https://c/api', message: 'refused' })],
    ['InvalidArgumentError', () => new InvalidArgumentError('minDelayMs', 'must be a number')],
  ])('a %s comes back an instance of its class, with its code, message and own fields', (name, make) => {
    const original = make() as unknown as JobwaitError & Record<string, unknown>;
    const back = errorFromWire(stored(errorToWire(original))) as JobwaitError & Record<string, unknown>;
    expect(back).toBeInstanceOf(original.constructor);
    expect(back).toBeInstanceOf(JobwaitError);
    expect(back).toBeInstanceOf(Error);
    expect(back.name).toBe(name);
    expect(back.code).toBe(original.code);
    expect(back.message).toBe(original.message);
    expect(JSON.stringify(back)).toBe(JSON.stringify(original));
    for (const key of ['job', 'lastJob'] as const) if (original[key] !== undefined) expect(back[key]).toEqual(original[key]);
  });

  test('a timeout keeps its outcomes, and its cause comes back as the ApiError it was', () => {
    const original = new JobTimeoutError({ vendor: 'ontap', jobId: job.id, elapsedMs: 1_000, polls: 3, outcomes: { '503': 3 }, cause: new ApiError({ status: 503, method: 'GET', url: 'https://c/api' }) });
    const back = errorFromWire(stored(errorToWire(original))) as JobTimeoutError;
    expect(back.outcomes).toEqual({ '503': 3 });
    expect(back.cause).toBeInstanceOf(ApiError);
    expect((back.cause as ApiError).status).toBe(503);
    expect(back.lastJob).toBeUndefined();
  });

  test('an error that is no jobwait error comes back an Error with its name and message', () => {
    const back = errorFromWire(stored(errorToWire(new TypeError('boom'))));
    expect(back).toBeInstanceOf(Error);
    expect(back).not.toBeInstanceOf(JobwaitError);
    expect([back.name, back.message]).toEqual(['TypeError', 'boom']);
  });

  test("a wait's end is stored as the result it gives: the job, or the error a failed job rejects with", () => {
    expect(outcomeOf({ reason: 'terminal', job: { ...job, state: 'succeeded' } })).toMatchObject({ ok: true, job: { state: 'succeeded' } });
    expect(outcomeOf({ reason: 'terminal', job, error: new JobFailedError(job) })).toMatchObject({ ok: false, error: { name: 'JobFailedError' } });
    expect(outcomeOf({ reason: 'error', error: new JobNotFoundError({ vendor: 'ontap', jobId: job.id }) })).toMatchObject({ ok: false, error: { code: 'JOB_NOT_FOUND' } });
  });
});
