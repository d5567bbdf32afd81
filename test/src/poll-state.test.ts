import { describe, expect, it } from 'vitest';
import { ApiError, AuthenticationError, JobCancelledError, JobFailedError, JobNotFoundError } from '../../src/errors/index.js';
import { recordFailure, recordSnapshot, terminalError, type PollState } from '../../src/poll-state.js';
import { fakeJob } from '../helpers/fake-source.js';

const fresh = (): PollState<unknown> => ({ polls: 0, step: 0, last: undefined, lastError: undefined, outcomes: {} });
const context = { vendor: 'fake', jobId: 'job-1', elapsedMs: 10, notFoundGraceMs: 0 };

describe('the per-poll rules shared by a single wait and a batched fleet', () => {
  it('counts a snapshot, clears the last error and reports only real changes', () => {
    const state = fresh();
    state.lastError = new Error('before');
    expect(recordSnapshot(state, fakeJob('running', { raw: 1 }))).toBe(true);
    expect(recordSnapshot(state, fakeJob('running', { raw: 2 }))).toBe(false);
    expect(recordSnapshot(state, fakeJob('succeeded'))).toBe(true);
    expect(state.outcomes).toEqual({ ok: 3 });
    expect(state.lastError).toBeUndefined();
  });

  it('keeps going on transient trouble, with its Retry-After, and keeps it as the cause', () => {
    const state = fresh();
    const error = new ApiError({ status: 503, method: 'GET', url: 'u', retryAfterMs: 700 });
    expect(recordFailure(state, error, context)).toEqual({ ends: false, retryAfterMs: 700 });
    expect(state.lastError).toBe(error);
    expect(state.outcomes).toEqual({ '503': 1 });
  });

  it('ends on permanent trouble', () => {
    const error = new AuthenticationError({ status: 401, method: 'GET', url: 'u' });
    expect(recordFailure(fresh(), error, context)).toEqual({ ends: true, error });
  });

  it('ends on a 404 after the grace, goes on within it, and reports a seen job as vanished', () => {
    const notFound = new JobNotFoundError({ vendor: 'fake', jobId: 'job-1' });
    expect(recordFailure(fresh(), notFound, context)).toEqual({ ends: true, error: notFound });
    expect(recordFailure(fresh(), notFound, { ...context, notFoundGraceMs: 1_000 })).toMatchObject({ ends: false });
    const seen = fresh();
    recordSnapshot(seen, fakeJob('running'));
    const result = recordFailure(seen, notFound, { ...context, notFoundGraceMs: 1_000 });
    expect(result.ends).toBe(true);
    expect(((result as { error: JobNotFoundError }).error).lastJob?.state).toBe('running');
  });

  it('maps a failed or cancelled end to its error unless throwOnFailure is off', () => {
    expect(terminalError(fakeJob('failed'), true)).toBeInstanceOf(JobFailedError);
    expect(terminalError(fakeJob('cancelled'), true)).toBeInstanceOf(JobCancelledError);
    expect(terminalError(fakeJob('succeeded'), true)).toBeUndefined();
    expect(terminalError(fakeJob('failed'), false)).toBeUndefined();
  });
});
