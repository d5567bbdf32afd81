import { describe, expect, it } from 'vitest';
import { casJobResponseSchema, type CasJob } from '../../../adapters/cas/index.js';

import { isTerminal } from '../../../src/index.js';
import { CAS_EXECUTION_TABLE } from '../../fixtures/vendor-examples.js';
import { parseCasMessages, toCasJob } from '../../../adapters/cas/map.js';
import { CAS_EXECUTION_STATES, CAS_TASK_STATES, mapCasJobState, mapCasTaskState } from '../../../adapters/cas/state.js';
import { CAS_DOCUMENTED_EXAMPLE } from '../../../adapters/cas/simulator.js';

/** Validates a hand-made page and normalizes it, as the client does. */
function normalize(body: unknown): CasJob {
  return toCasJob(casJobResponseSchema.parse(body));
}

function page(status: string, tasks: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { job: { JOB_ID: 'JOB-1', EXECUTION_STATUS: status }, tasks, ...extra };
}

describe('mapCasJobState maps every EXECUTION_STATUS per API.md', () => {
  it.each([...CAS_EXECUTION_TABLE] as const)('maps %s to %s', (status, state) => {
    expect(mapCasJobState(status)).toBe(state);
    expect(CAS_EXECUTION_STATES[status]).toBe(state);
  });

  it.each(['SKIPPED', 'PAUSED', 'DONE', '', 'CONSTRUCTOR', '__PROTO__', 'toString', 'hasOwnProperty'])('maps the unlisted status %j to unknown, which is not terminal', (status) => {
    expect(mapCasJobState(status)).toBe('unknown');
    expect(isTerminal(mapCasJobState(status))).toBe(false);
  });

  it('knows no other EXECUTION_STATUS than the ten documented ones', () => {
    expect(Object.keys(CAS_EXECUTION_STATES).sort()).toEqual(
      ['CANCELLED', 'FAILED', 'PARTIALLY_FAILED', 'ROLLBACKED', 'ROLLBACKING', 'RUNNING', 'SCHEDULED', 'SUBMITTED', 'SUCCEEDED', 'UNKNOWN'].sort(),
    );
  });
});

describe('mapCasTaskState maps every TASK_STATUS per API.md', () => {
  it.each([
    ['SUBMITTED', 'queued', false],
    ['SCHEDULED', 'queued', false],
    ['RUNNING', 'running', false],
    ['ROLLBACKING', 'running', false],
    ['SUCCEEDED', 'succeeded', true],
    ['FAILED', 'failed', true],
    ['PARTIALLY_FAILED', 'failed', true],
    ['ROLLBACKED', 'failed', true],
    ['CANCELLED', 'cancelled', true],
    ['SKIPPED', 'skipped', true],
  ] as const)('maps %s to %s (terminal: %s)', (status, state, terminal) => {
    expect(mapCasTaskState(status)).toBe(state);
    expect(CAS_TASK_STATES[status]).toBe(state);
    expect(isTerminal(mapCasTaskState(status))).toBe(terminal);
  });

  it.each(['WAITING', 'UNKNOWN', '', '__PROTO__'])('maps the task status %j to unknown', (status) => {
    expect(mapCasTaskState(status)).toBe('unknown');
  });
});

describe('parseCasMessages reads a task MESSAGES string', () => {
  it('reads the documented JSON string into code and detail', () => {
    expect(parseCasMessages('{ "Message" : "ECC00011", "Detail" : "Building failed." }')).toEqual({ code: 'ECC00011', detail: 'Building failed.' });
  });

  it.each([['{}'], [''], ['   '], [' {} '], [undefined]])('reads %j as nothing', (text) => {
    expect(parseCasMessages(text)).toEqual({});
  });

  it.each([['{ "Message" : "ECC00011", '], ['not json at all'], ['{Message: ECC00011}'], ['<html>502</html>']])('keeps the malformed JSON %j as text', (text) => {
    expect(() => parseCasMessages(text)).not.toThrow();
    expect(parseCasMessages(text)).toEqual({ detail: text });
  });

  it.each([['"just a string"'], ['42'], ['[1,2]'], ['null'], ['true']])('keeps the non-object JSON %s as text', (text) => {
    expect(parseCasMessages(text)).toEqual({ detail: text });
  });

  it('reads lower-case and upper-case keys inside', () => {
    expect(parseCasMessages('{"message":"E1","detail":"lower"}')).toEqual({ code: 'E1', detail: 'lower' });
    expect(parseCasMessages('{"MESSAGE":"E2","DETAIL":"upper"}')).toEqual({ code: 'E2', detail: 'upper' });
  });

  it('reads a numeric code and a detail alone', () => {
    expect(parseCasMessages('{"Message":12}')).toEqual({ code: '12' });
    expect(parseCasMessages('{"Detail":"only text"}')).toEqual({ detail: 'only text' });
  });

  it('ignores fields of the wrong type', () => {
    expect(parseCasMessages('{"Message":{"x":1},"Detail":["a"]}')).toEqual({});
  });
});

describe('toCasJob normalizes a validated page', () => {
  it('turns the documented example into a failed PROVISION job with the error of TN00097', () => {
    const job = normalize(CAS_DOCUMENTED_EXAMPLE);
    expect(job).toMatchObject({
      vendor: 'cas',
      id: 'JOB474362ef-091d-429f-9b3e-c9246b37dee6',
      type: 'PROVISION',
      description: 'provision/provMain',
      state: 'failed',
      vendorState: 'FAILED',
      message: 'Building failed.',
      error: { code: 'ECC00011', message: 'Building failed.', target: 'TN00097' },
      progress: { completed: 5, total: 5 },
    });
    expect(job.tasks.map((t) => t.index)).toEqual([1, 4, 6, 7, 9]);
    expect(job.tasks.map((t) => t.name)).toEqual(['SEPARATOR_PREPARE_RESOURCES', 'SEPARATOR_BUILDING', 'TN00091', 'TN00094', 'TN00097']);
    expect(job.tasks.map((t) => t.type)).toEqual(['echo', 'echo', 'restful', 'restful', 'restful']);
    expect(job.tasks.map((t) => t.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed']);
    expect(job.tasks.map((t) => t.createdAt?.toISOString())).toEqual(CAS_DOCUMENTED_EXAMPLE.tasks.map((t) => t.CREATED_AT));
    expect(job.tasks.map((t) => t.updatedAt?.toISOString())).toEqual(CAS_DOCUMENTED_EXAMPLE.tasks.map((t) => t.LAST_HEALTH_CHECK));
    expect(job.tasks[4]?.error).toEqual({ code: 'ECC00011', message: 'Building failed.', target: 'TN00097' });
    expect(job.startedAt?.toISOString()).toBe('2020-02-04T04:01:03.344Z');
    expect(job.endedAt?.toISOString()).toBe('2020-02-04T04:01:38.975Z');
    expect(job.createdAt).toBeUndefined();
    expect(job.raw).toEqual(CAS_DOCUMENTED_EXAMPLE);
  });

  it('gives the same job for the documented example written in lower_case keys', () => {
    const lower = {
      job: Object.fromEntries(Object.entries(CAS_DOCUMENTED_EXAMPLE.job).map(([k, v]) => [k.toLowerCase(), v])),
      tasks: CAS_DOCUMENTED_EXAMPLE.tasks.map((t) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k.toLowerCase(), v]))),
      task_count: 5,
    };
    expect(normalize(lower)).toEqual(normalize(CAS_DOCUMENTED_EXAMPLE));
  });

  it('sorts tasks by TASK_INDEX and puts tasks without one last', () => {
    const job = normalize(
      page('RUNNING', [
        { TASK_ID: 'c', TASK_STATUS: 'RUNNING', TASK_INDEX: 10 },
        { TASK_ID: 'none', TASK_STATUS: 'SUBMITTED' },
        { TASK_ID: 'a', TASK_STATUS: 'SUCCEEDED', TASK_INDEX: 2 },
        { TASK_ID: 'b', TASK_STATUS: 'SUCCEEDED', TASK_INDEX: 9 },
      ]),
    );
    expect(job.tasks.map((t) => t.id)).toEqual(['a', 'b', 'c', 'none']);
    expect(job.tasks[3]?.index).toBeUndefined();
  });

  it('keeps a malformed MESSAGES as the task message and the error of a failed task', () => {
    const job = normalize(page('FAILED', [{ TASK_ID: 't1', TASK_NAME: 'TN1', TASK_STATUS: 'FAILED', MESSAGES: 'java.lang.NullPointerException at {' }]));
    expect(job.tasks[0]?.message).toBe('java.lang.NullPointerException at {');
    expect(job.tasks[0]?.error).toEqual({ message: 'java.lang.NullPointerException at {', target: 'TN1' });
    expect(job.error).toEqual({ message: 'java.lang.NullPointerException at {', target: 'TN1' });
  });

  it('gives a failed task without MESSAGES an error that names it', () => {
    const job = normalize(page('FAILED', [{ TASK_ID: 't1', TASK_NAME: 'TN7', TASK_STATUS: 'FAILED' }]));
    expect(job.tasks[0]?.message).toBeUndefined();
    expect(job.error?.message).toContain('TN7');
    expect(job.error?.target).toBe('TN7');
  });

  it('gives a failed job without a failed task an error that says how it ended', () => {
    const job = normalize(page('ROLLBACKED', [{ TASK_ID: 't1', TASK_STATUS: 'SUCCEEDED' }]));
    expect(job.state).toBe('failed');
    expect(job.error?.message).toContain('ROLLBACKED');
    expect(job.message).toBe(job.error?.message);
  });

  it('gives a cancelled job a message but no error', () => {
    const job = normalize(page('CANCELLED', [{ TASK_ID: 't1', TASK_STATUS: 'CANCELLED' }]));
    expect(job.state).toBe('cancelled');
    expect(job.error).toBeUndefined();
    expect(job.message).toContain('CANCELLED');
  });

  it('uses JOB_NAME as description when JOB_DESC is empty or absent', () => {
    expect(normalize({ job: { JOB_ID: 'J', EXECUTION_STATUS: 'RUNNING', JOB_NAME: 'name', JOB_DESC: '' }, tasks: [] }).description).toBe('name');
    expect(normalize({ job: { JOB_ID: 'J', EXECUTION_STATUS: 'RUNNING', JOB_NAME: 'name' }, tasks: [] }).description).toBe('name');
    expect(normalize({ job: { JOB_ID: 'J', EXECUTION_STATUS: 'RUNNING', JOB_NAME: 'name', JOB_DESC: 'desc' }, tasks: [] }).description).toBe('desc');
    expect(normalize({ job: { JOB_ID: 'J', EXECUTION_STATUS: 'RUNNING' }, tasks: [] }).description).toBeUndefined();
  });

  it('has no progress and no tasks for a job without tasks, and takes task_count as the total when it is larger', () => {
    const empty = normalize({ job: { JOB_ID: 'J', EXECUTION_STATUS: 'SUBMITTED' }, tasks: [] });
    expect(empty.tasks).toEqual([]);
    expect(empty.progress).toBeUndefined();
    const partial = normalize(page('RUNNING', [{ TASK_ID: 't1', TASK_STATUS: 'SUCCEEDED' }], { task_count: 8 }));
    expect(partial.progress).toEqual({ completed: 1, total: 8 });
  });

  it('counts SKIPPED tasks as completed', () => {
    const job = normalize(
      page('RUNNING', [
        { TASK_ID: 't1', TASK_STATUS: 'SUCCEEDED' },
        { TASK_ID: 't2', TASK_STATUS: 'SKIPPED' },
        { TASK_ID: 't3', TASK_STATUS: 'RUNNING' },
      ]),
    );
    expect(job.tasks[1]?.state).toBe('skipped');
    expect(job.progress).toEqual({ completed: 2, total: 3 });
  });

  it('leaves out garbage dates instead of making an Invalid Date', () => {
    const job = normalize(page('SUCCEEDED', [{ TASK_ID: 't1', TASK_STATUS: 'SUCCEEDED', CREATED_AT: 'yesterday', LAST_HEALTH_CHECK: '2020-02-30T00:00:00Z' }]));
    expect(job.tasks[0]?.createdAt).toBeUndefined();
    expect(job.tasks[0]?.updatedAt).toBeUndefined();
    expect(job.startedAt).toBeUndefined();
    expect(job.endedAt).toBeUndefined();
  });

  it('does not set endedAt on a job that is still running', () => {
    const job = normalize(page('RUNNING', [{ TASK_ID: 't1', TASK_STATUS: 'RUNNING', CREATED_AT: '2024-01-01T00:00:00Z', LAST_HEALTH_CHECK: '2024-01-01T00:05:00Z' }]));
    expect(job.startedAt?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(job.updatedAt?.toISOString()).toBe('2024-01-01T00:05:00.000Z');
    expect(job.endedAt).toBeUndefined();
  });
});
