import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HUAWEI_AUTH_ERROR_CODES, parseHuaweiError } from '../../../adapters/huawei/errors.js';
import { createCasClient, type CasClient } from '../../../adapters/cas/index.js';
import { createCceClient, type CceClient } from '../../../adapters/cce/index.js';
import { ApiError, AuthenticationError, JobNotFoundError } from '../../../src/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { rejectionOf } from '../../helpers/promises.js';

const PROJECT = 'proj-0123';
const TOKEN = 'gateway-token-abc';
const FAST_RETRY = { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 5 };


describe('parseHuaweiError', () => {
  it('reads { error_code, error_msg }', () => {
    expect(parseHuaweiError({ error_code: 'CCE.01404001', error_msg: 'Job not found.' }, {})).toEqual({ vendorCode: 'CCE.01404001', vendorMessage: 'Job not found.' });
  });

  it('reads { code, message }', () => {
    expect(parseHuaweiError({ code: 'CCE_CM.0404', message: 'Not found' }, {})).toEqual({ vendorCode: 'CCE_CM.0404', vendorMessage: 'Not found' });
  });

  it('reads { errorCode, errorMessage }', () => {
    expect(parseHuaweiError({ errorCode: 'SVCSTG.00100400', errorMessage: 'Bad request' }, {})).toEqual({ vendorCode: 'SVCSTG.00100400', vendorMessage: 'Bad request' });
  });

  it('reads a code and message nested under error', () => {
    expect(parseHuaweiError({ error: { code: 'APIGW.0101', message: 'The API does not exist' } }, {})).toEqual({
      vendorCode: 'APIGW.0101',
      vendorMessage: 'The API does not exist',
    });
  });

  it('prefers the nested error over top-level fields and falls back to the top level for what it lacks', () => {
    expect(parseHuaweiError({ error: { code: 'INNER' }, code: 'OUTER', message: 'outer message' }, {})).toEqual({
      vendorCode: 'INNER',
      vendorMessage: 'outer message',
    });
  });

  it('turns a numeric code into a string', () => {
    const details = parseHuaweiError({ code: 404, message: 'Not Found' }, {});
    expect(details.vendorCode).toBe('404');
    expect(typeof details.vendorCode).toBe('string');
  });

  it('reads request_id from the body', () => {
    expect(parseHuaweiError({ error_code: 'X.1', error_msg: 'm', request_id: 'req-body-1' }, {}).requestId).toBe('req-body-1');
  });

  it('reads the request id from the X-Request-Id header when the body has none', () => {
    expect(parseHuaweiError({ error_code: 'X.1', error_msg: 'm' }, { 'x-request-id': 'req-header-1' }).requestId).toBe('req-header-1');
  });

  it('takes the first X-Request-Id when the header repeats', () => {
    expect(parseHuaweiError({ error_code: 'X.1' }, { 'x-request-id': ['first-id', 'second-id'] as unknown as string }).requestId).toBe('first-id');
  });

  it('skips an empty code and takes the next form', () => {
    expect(parseHuaweiError({ error_code: '', code: 'REAL.1' }, {}).vendorCode).toBe('REAL.1');
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'Internal Server Error'],
    ['a number', 500],
    ['an array', [{ error_code: 'X.1', error_msg: 'm' }]],
    ['an empty object', {}],
    ['an object without known keys', { foo: 'bar', status: 'bad' }],
    ['codes of the wrong type', { error_code: { nested: true }, error_msg: ['x'], code: null, message: false }],
    ['an error that is a string', { error: 'boom' }],
  ])('gives {} for %s', (_what, body) => {
    expect(parseHuaweiError(body, {})).toEqual({});
  });

  it('keeps the header request id for a garbage body', () => {
    expect(parseHuaweiError('not json', { 'x-request-id': 'rid-9' })).toEqual({ requestId: 'rid-9' });
  });
});

describe('HUAWEI_AUTH_ERROR_CODES', () => {
  it('holds the gateway codes of refused credentials', () => {
    for (const code of ['APIGW.0301', 'APIGW.0302', 'APIGW.0303', 'APIGW.0304', 'APIGW.0305', 'APIGW.0307']) {
      expect(HUAWEI_AUTH_ERROR_CODES.has(code)).toBe(true);
    }
  });

  it('does not hold the gateway "no such API" code or a service code', () => {
    expect(HUAWEI_AUTH_ERROR_CODES.has('APIGW.0101')).toBe(false);
    expect(HUAWEI_AUTH_ERROR_CODES.has('CCE.01404001')).toBe(false);
    expect(HUAWEI_AUTH_ERROR_CODES.has('SVCSTG.00100429')).toBe(false);
  });
});

describe('Huawei error answers through the clients', () => {
  let sim: Simulator;
  let cce: CceClient;
  let cas: CasClient;
  let cceJob: string;
  let casJob: string;

  beforeEach(async () => {
    sim = await startSimulator();
    sim.cce.auth = { token: TOKEN };
    sim.cas.auth = { token: TOKEN };
    cceJob = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    casJob = sim.cas.addJob({ steps: [{ status: 'RUNNING' }] });
    cce = createCceClient({ endpoint: sim.url, projectId: PROJECT, auth: { token: TOKEN }, retry: FAST_RETRY });
    cas = createCasClient({ endpoint: sim.url, projectId: PROJECT, auth: { token: TOKEN }, retry: FAST_RETRY });
  });

  afterEach(async () => {
    await cce.close();
    await cas.close();
    await sim.close();
  });

  const clients = (): [string, () => Promise<unknown>][] => [
    ['cce', () => cce.getJob(cceJob)],
    ['cas', () => cas.getJob(casJob)],
  ];

  it('reaches a job through both clients when there is no fault (the baseline of these tests)', async () => {
    for (const [, get] of clients()) await expect(get()).resolves.toMatchObject({ state: 'running' });
  });

  it('turns a 400 with a Huawei body into an ApiError with vendorCode, vendorMessage and requestId', async () => {
    for (const [name, get] of clients()) {
      sim.fault({ type: 'status', status: 400, body: { error_code: 'SVCSTG.00100400', error_msg: 'Invalid limit or offset.' }, headers: { 'x-request-id': `rid-${name}` } });
      const error = await rejectionOf(get());
      expect(error).toBeInstanceOf(ApiError);
      expect(error).not.toBeInstanceOf(AuthenticationError);
      expect(error).not.toBeInstanceOf(JobNotFoundError);
      expect(error).toMatchObject({ code: 'API_ERROR', status: 400, vendorCode: 'SVCSTG.00100400', vendorMessage: 'Invalid limit or offset.', requestId: `rid-${name}`, method: 'GET' });
      expect((error as Error).message).toContain('SVCSTG.00100400');
    }
  });

  it('reads the { code, message } and nested { error } forms through the clients too', async () => {
    sim.fault({ type: 'status', status: 400, body: { code: 'CCE.01400001', message: 'Bad param' } });
    expect(await rejectionOf(cce.getJob(cceJob))).toMatchObject({ vendorCode: 'CCE.01400001', vendorMessage: 'Bad param' });
    sim.fault({ type: 'status', status: 400, body: { error: { code: 'SVCSTG.00100400', message: 'Nested' }, request_id: 'rid-body' } });
    expect(await rejectionOf(cas.getJob(casJob))).toMatchObject({ vendorCode: 'SVCSTG.00100400', vendorMessage: 'Nested', requestId: 'rid-body' });
  });

  it('turns a 400 carrying APIGW.0301 into an AuthenticationError, as gateway codes count as auth whatever the status', async () => {
    for (const [, get] of clients()) {
      sim.fault({ type: 'status', status: 400, body: { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information' } });
      const error = await rejectionOf(get());
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ code: 'AUTHENTICATION', status: 400, vendorCode: 'APIGW.0301' });
    }
  });

  it('turns a 500 carrying APIGW.0307 (token must be updated) into an AuthenticationError', async () => {
    sim.fault({ type: 'status', status: 500, body: { error_code: 'APIGW.0307', error_msg: 'The token must be updated.' } });
    expect(await rejectionOf(cce.getJob(cceJob))).toBeInstanceOf(AuthenticationError);
  });

  it('turns a 403 without a body into an AuthenticationError, not a missing job', async () => {
    for (const [, get] of clients()) {
      sim.fault({ type: 'status', status: 403 });
      const error = await rejectionOf(get());
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 403 });
    }
  });

  it('keeps a 404 with APIGW.0101 (no such API) an ApiError, not a JobNotFoundError', async () => {
    for (const [, get] of clients()) {
      sim.fault({ type: 'status', status: 404, body: { error_code: 'APIGW.0101', error_msg: 'The API does not exist or has not been published in the environment.' } });
      const error = await rejectionOf(get());
      expect(error).not.toBeInstanceOf(JobNotFoundError);
      expect(error).not.toBeInstanceOf(AuthenticationError);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 404, vendorCode: 'APIGW.0101' });
    }
  });

  it('turns a 404 with the CCE not-found code into a JobNotFoundError that keeps the ApiError as cause', async () => {
    sim.fault({ type: 'status', status: 404, body: { error_code: 'CCE.01404001', error_msg: 'Job not found.' }, headers: { 'x-request-id': 'rid-404' } });
    const error = await rejectionOf(cce.getJob(cceJob));
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect(error).toMatchObject({ code: 'JOB_NOT_FOUND', jobId: cceJob });
    expect((error as Error).cause).toBeInstanceOf(ApiError);
    expect((error as Error).cause).toMatchObject({ status: 404, vendorCode: 'CCE.01404001', requestId: 'rid-404' });
  });

  it('turns a 404 with the ServiceStage not-found code into a JobNotFoundError', async () => {
    sim.fault({ type: 'status', status: 404, body: { error_code: 'SVCSTG.00100429', error_msg: 'Job not found.' } });
    const error = await rejectionOf(cas.getJob(casJob));
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect(error).toMatchObject({ jobId: casJob });
    expect((error as Error).cause).toMatchObject({ vendorCode: 'SVCSTG.00100429' });
  });

  it('turns the simulated gateway’s own 404 for an unknown job into a JobNotFoundError for both clients', async () => {
    await expect(cce.getJob('no-such-job')).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(cas.getJob('no-such-job')).rejects.toBeInstanceOf(JobNotFoundError);
  });

  it('ends a wait at once on a 400 APIGW.0301 instead of polling on', async () => {
    sim.fault({ type: 'status', status: 400, body: { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information' } });
    const error = await rejectionOf(cce.waitForJob(cceJob, { timeoutMs: 2_000, minDelayMs: 5, maxDelayMs: 10 }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(sim.requests).toHaveLength(1);
  });
});
