import { describe, expect, it } from 'vitest';
import { ontapJobSchema, type OntapJobRaw } from '../../../adapters/ontap/index.js';
import { isTerminal } from '../../../src/index.js';
import { toOntapJob } from '../../../adapters/ontap/map.js';
import { mapOntapState, ONTAP_STATES } from '../../../adapters/ontap/state.js';

const UUID = '1cd8a442-86d1-11e0-ae1c-123478563412';

/** Validates a record like the client does, then maps it. */
function mapRecord(record: Record<string, unknown>) {
  return toOntapJob(ontapJobSchema.parse(record));
}

describe('mapOntapState', () => {
  it.each([
    ['queued', 'queued'],
    ['running', 'running'],
    ['paused', 'paused'],
    ['success', 'succeeded'],
    ['failure', 'failed'],
  ] as const)('maps %s to %s', (vendor, state) => {
    expect(mapOntapState(vendor)).toBe(state);
  });

  it.each([
    ['SUCCESS', 'succeeded'],
    ['Running', 'running'],
    ['FAILURE', 'failed'],
    ['Queued', 'queued'],
    ['pAuSeD', 'paused'],
  ] as const)('maps %s case-insensitively to %s', (vendor, state) => {
    expect(mapOntapState(vendor)).toBe(state);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'])(
    'maps the object key %s to unknown, not to something inherited',
    (vendor) => {
      expect(mapOntapState(vendor)).toBe('unknown');
    },
  );

  it.each(['', 'cancelled', 'canceled', 'succeeded', 'failed', 'migrating', ' running', 'running '])('maps the undocumented state %j to unknown', (vendor) => {
    expect(mapOntapState(vendor)).toBe('unknown');
  });

  it('maps exactly the five documented states, and only success and failure are terminal', () => {
    expect(Object.keys(ONTAP_STATES).sort()).toEqual(['failure', 'paused', 'queued', 'running', 'success']);
    expect(Object.isFrozen(ONTAP_STATES)).toBe(true);
    const terminal = Object.keys(ONTAP_STATES).filter((s) => isTerminal(mapOntapState(s)));
    expect(terminal.sort()).toEqual(['failure', 'success']);
    expect(isTerminal(mapOntapState('migrating'))).toBe(false);
  });
});

describe('toOntapJob', () => {
  it('maps the documented example of a running job', () => {
    const job = mapRecord({
      uuid: 'b5145e1d-b53b-11e8-8252-005056bbd8f5',
      code: 0,
      description: 'Cluster Backup Job',
      state: 'running',
      message: 'creating_node_backups',
      _links: { self: { href: '/api/cluster/jobs/b5145e1d-b53b-11e8-8252-005056bbd8f5' } },
    });
    expect(job).toEqual({
      vendor: 'ontap',
      id: 'b5145e1d-b53b-11e8-8252-005056bbd8f5',
      state: 'running',
      vendorState: 'running',
      description: 'Cluster Backup Job',
      message: 'creating_node_backups',
      tasks: [],
      raw: expect.objectContaining({ uuid: 'b5145e1d-b53b-11e8-8252-005056bbd8f5', code: 0 }),
    });
  });

  it('keeps the vendor word for the state untouched, upper case included', () => {
    const job = mapRecord({ uuid: UUID, state: 'SUCCESS' });
    expect(job.state).toBe('succeeded');
    expect(job.vendorState).toBe('SUCCESS');
  });

  it('keeps the validated record as raw, the same object', () => {
    const raw: OntapJobRaw = ontapJobSchema.parse({ uuid: UUID, state: 'queued', future_field: { a: 1 } });
    const job = toOntapJob(raw);
    expect(job.raw).toBe(raw);
    expect((job.raw as Record<string, unknown>)['future_field']).toEqual({ a: 1 });
  });

  it('sets no optional field that the record lacks', () => {
    const job = mapRecord({ uuid: UUID, state: 'queued' });
    expect(Object.keys(job).sort()).toEqual(['id', 'raw', 'state', 'tasks', 'vendor', 'vendorState']);
  });

  it('parses start_time and end_time with offsets, with and without a colon and with fractions', () => {
    const job = mapRecord({ uuid: UUID, state: 'success', start_time: '2019-01-15T09:30:00+05:30', end_time: '2019-01-15T04:00:01.500-0000' });
    expect(job.startedAt?.toISOString()).toBe('2019-01-15T04:00:00.000Z');
    expect(job.endedAt?.toISOString()).toBe('2019-01-15T04:00:01.500Z');
  });

  it('reads a timestamp without an offset as UTC', () => {
    const job = mapRecord({ uuid: UUID, state: 'running', start_time: '2024-05-08T10:00:00' });
    expect(job.startedAt?.toISOString()).toBe('2024-05-08T10:00:00.000Z');
  });

  it.each(['string', '', 'yesterday', '2024-13-01T00:00:00Z', '2024-05-08T25:00:00Z', '2024-05-08T10:61:00Z', '1715162400', '2024-05-08T10:00:00+25:00x'])(
    'leaves out a start_time of %j instead of making an Invalid Date',
    (value) => {
      const job = mapRecord({ uuid: UUID, state: 'running', start_time: value, end_time: value });
      expect(job.startedAt).toBeUndefined();
      expect(job.endedAt).toBeUndefined();
    },
  );

  it('leaves out timestamps of days that do not exist (February 30th, February 29th of 2023, April 31st)', () => {
    for (const value of ['2024-02-30T10:00:00Z', '2023-02-29T10:00:00+00:00', '2024-04-31T00:00:00Z']) {
      const job = mapRecord({ uuid: UUID, state: 'success', start_time: value, end_time: value });
      expect(job.startedAt, value).toBeUndefined();
      expect(job.endedAt, value).toBeUndefined();
    }
  });

  it("takes a failed job's error from the error object", () => {
    const job = mapRecord({ uuid: UUID, state: 'failure', message: 'm', code: 2, error: { code: '460770', message: 'Volume offline', target: 'vol1', arguments: [{ code: '1', message: 'vol1' }] } });
    expect(job.error).toEqual({ code: '460770', message: 'Volume offline', target: 'vol1' });
  });

  it('turns a numeric error code of the error object into a string', () => {
    const job = mapRecord({ uuid: UUID, state: 'failure', error: { code: 460770, message: 'Volume offline' } });
    expect(job.error).toEqual({ code: '460770', message: 'Volume offline' });
  });

  it("falls back to the record's integer code when the error object has none", () => {
    const job = mapRecord({ uuid: UUID, state: 'failure', code: 5, error: { message: 'Volume offline' } });
    expect(job.error).toEqual({ code: '5', message: 'Volume offline' });
  });

  it("keeps the error object's code and target when that object has no message", () => {
    const job = mapRecord({ uuid: UUID, state: 'failure', message: 'Volume offline', error: { code: '460770', target: 'vol1' } });
    expect(job.error).toEqual({ code: '460770', message: 'Volume offline', target: 'vol1' });
  });

  it("builds a failed job's error from message and code when there is no error object", () => {
    const job = mapRecord({ uuid: UUID, state: 'failure', message: 'Aggregate full', code: 917927 });
    expect(job.error).toEqual({ code: '917927', message: 'Aggregate full' });
  });

  it('gives a failed job with neither message nor code an error with a message and no code', () => {
    const job = mapRecord({ uuid: UUID, state: 'failure' });
    expect(job.error?.message).toEqual(expect.any(String));
    expect(job.error?.message.length).toBeGreaterThan(0);
    expect(job.error && 'code' in job.error).toBe(false);
  });

  it('gives jobs that have not failed no error from message and code', () => {
    for (const state of ['queued', 'running', 'paused', 'success', 'migrating']) {
      const job = mapRecord({ uuid: UUID, state, message: 'Complete: Successful', code: 0 });
      expect(job.error).toBeUndefined();
    }
  });
});
