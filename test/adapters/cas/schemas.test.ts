import { describe, expect, it } from 'vitest';
import { casJobResponseSchema, casJobSchema, casTaskSchema } from '../../../adapters/cas/index.js';
import { CAS_DOCUMENTED_EXAMPLE } from '../../../adapters/cas/simulator.js';

function lowerKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

describe('casJobResponseSchema', () => {
  it('parses the documented example unchanged', () => {
    const parsed = casJobResponseSchema.parse(structuredClone(CAS_DOCUMENTED_EXAMPLE));
    expect(parsed).toEqual(CAS_DOCUMENTED_EXAMPLE);
    expect(parsed.job.JOB_ID).toBe('JOB474362ef-091d-429f-9b3e-c9246b37dee6');
    expect(parsed.tasks).toHaveLength(5);
    expect(parsed.task_count).toBe(5);
  });

  it('normalizes lower_case keys of the job and tasks to the documented UPPER_CASE keys', () => {
    const lower = { job: lowerKeys(CAS_DOCUMENTED_EXAMPLE.job), tasks: CAS_DOCUMENTED_EXAMPLE.tasks.map(lowerKeys), task_count: 5 };
    expect(casJobResponseSchema.parse(lower)).toEqual(casJobResponseSchema.parse(CAS_DOCUMENTED_EXAMPLE));
  });

  it('normalizes mixed-case keys, envelope included', () => {
    const parsed = casJobResponseSchema.parse({
      JOB: { Job_Id: 'J1', Execution_Status: 'RUNNING', job_TYPE: 'PROVISION' },
      Tasks: [{ Task_Id: 'T1', TASK_status: 'RUNNING', task_index: 3 }],
      TASK_COUNT: 1,
    });
    expect(parsed.job).toEqual({ JOB_ID: 'J1', EXECUTION_STATUS: 'RUNNING', JOB_TYPE: 'PROVISION' });
    expect(parsed.tasks).toEqual([{ TASK_ID: 'T1', TASK_STATUS: 'RUNNING', TASK_INDEX: 3 }]);
    expect(parsed.task_count).toBe(1);
  });

  it('lets unknown fields pass at every level', () => {
    const parsed = casJobResponseSchema.parse({
      job: { JOB_ID: 'J1', EXECUTION_STATUS: 'RUNNING', FUTURE_FIELD: [1] },
      tasks: [{ TASK_ID: 'T1', TASK_STATUS: 'RUNNING', ANOTHER: { a: 1 } }],
      page_token: 'x',
    });
    expect(parsed.job['FUTURE_FIELD']).toEqual([1]);
    expect(parsed.tasks[0]?.['ANOTHER']).toEqual({ a: 1 });
    expect(parsed['page_token']).toBe('x');
  });

  it('takes absent tasks as none and an absent task_count as unknown', () => {
    const parsed = casJobResponseSchema.parse({ job: { JOB_ID: 'J1', EXECUTION_STATUS: 'SUBMITTED' } });
    expect(parsed.tasks).toEqual([]);
    expect(parsed.task_count).toBeUndefined();
  });

  it.each([
    ['no job', { tasks: [] }],
    ['a job without JOB_ID', { job: { EXECUTION_STATUS: 'RUNNING' } }],
    ['a job with an empty JOB_ID', { job: { JOB_ID: '', EXECUTION_STATUS: 'RUNNING' } }],
    ['a job without EXECUTION_STATUS', { job: { JOB_ID: 'J1' } }],
    ['a numeric EXECUTION_STATUS', { job: { JOB_ID: 'J1', EXECUTION_STATUS: 3 } }],
    ['a task without TASK_ID', { job: { JOB_ID: 'J1', EXECUTION_STATUS: 'RUNNING' }, tasks: [{ TASK_STATUS: 'RUNNING' }] }],
    ['a task without TASK_STATUS', { job: { JOB_ID: 'J1', EXECUTION_STATUS: 'RUNNING' }, tasks: [{ TASK_ID: 'T1' }] }],
    ['tasks that are not a list', { job: { JOB_ID: 'J1', EXECUTION_STATUS: 'RUNNING' }, tasks: { TASK_ID: 'T1' } }],
    ['a body that is a list', [{ job: { JOB_ID: 'J1', EXECUTION_STATUS: 'RUNNING' } }]],
    ['a body that is null', null],
  ])('refuses %s', (_what, body) => {
    expect(casJobResponseSchema.safeParse(body).success).toBe(false);
  });

  it('drops optional fields of an unexpected type instead of failing', () => {
    const parsed = casJobResponseSchema.parse({
      job: { JOB_ID: 'J1', EXECUTION_STATUS: 'RUNNING', JOB_TYPE: 7, JOB_DESC: { a: 1 } },
      tasks: [{ TASK_ID: 'T1', TASK_STATUS: 'RUNNING', TASK_NAME: 5, MESSAGES: { Message: 'x' }, TASK_INDEX: 'first' }],
      task_count: 'many',
    });
    expect(parsed.job.JOB_TYPE).toBeUndefined();
    expect(parsed.job.JOB_DESC).toBeUndefined();
    expect(parsed.tasks[0]?.TASK_NAME).toBeUndefined();
    expect(parsed.tasks[0]?.MESSAGES).toBeUndefined();
    expect(parsed.tasks[0]?.TASK_INDEX).toBeUndefined();
    expect(parsed.task_count).toBeUndefined();
  });

  it('reads numbers sent as strings for TASK_INDEX and task_count', () => {
    const parsed = casJobResponseSchema.parse({ job: { JOB_ID: 'J1', EXECUTION_STATUS: 'RUNNING' }, tasks: [{ TASK_ID: 'T1', TASK_STATUS: 'RUNNING', TASK_INDEX: '4' }], task_count: '45' });
    expect(parsed.tasks[0]?.TASK_INDEX).toBe(4);
    expect(parsed.task_count).toBe(45);
  });

  it('refuses a negative or fractional task_count as unknown', () => {
    const base = { job: { JOB_ID: 'J1', EXECUTION_STATUS: 'RUNNING' }, tasks: [] };
    expect(casJobResponseSchema.parse({ ...base, task_count: -1 }).task_count).toBeUndefined();
    expect(casJobResponseSchema.parse({ ...base, task_count: 2.5 }).task_count).toBeUndefined();
  });
});

describe('casJobSchema and casTaskSchema on their own', () => {
  it('parses a lower_case job record into UPPER_CASE keys', () => {
    expect(casJobSchema.parse({ job_id: 'J1', execution_status: 'FAILED', created_by: 'u1' })).toEqual({ JOB_ID: 'J1', EXECUTION_STATUS: 'FAILED', CREATED_BY: 'u1' });
  });

  it('parses a lower_case task record into UPPER_CASE keys', () => {
    expect(casTaskSchema.parse({ task_id: 'T1', task_status: 'SKIPPED', task_index: 2, messages: '{}' })).toEqual({ TASK_ID: 'T1', TASK_STATUS: 'SKIPPED', TASK_INDEX: 2, MESSAGES: '{}' });
  });

  it('refuses a task with an empty TASK_ID', () => {
    expect(casTaskSchema.safeParse({ TASK_ID: '', TASK_STATUS: 'RUNNING' }).success).toBe(false);
  });
});

describe('casJobResponseSchema with nulls', () => {
  const job = { JOB_ID: 'JOB1', EXECUTION_STATUS: 'RUNNING' };

  it('reads task_count null as absent, not as 0 (which would stop paging after one page)', () => {
    const parsed = casJobResponseSchema.parse({ job, tasks: [], task_count: null });
    expect(parsed.task_count).toBeUndefined();
  });

  it('reads tasks null as no tasks instead of failing the poll', () => {
    const parsed = casJobResponseSchema.parse({ job, tasks: null, task_count: 0 });
    expect(parsed.tasks).toEqual([]);
  });

  it('reads TASK_INDEX null or empty as absent, not as index 0', () => {
    const parsed = casJobResponseSchema.parse({ job, tasks: [{ TASK_ID: 'a', TASK_STATUS: 'RUNNING', TASK_INDEX: null }, { TASK_ID: 'b', TASK_STATUS: 'RUNNING', TASK_INDEX: '' }, { TASK_ID: 'c', TASK_STATUS: 'RUNNING', TASK_INDEX: '7' }] });
    expect(parsed.tasks.map((t) => t.TASK_INDEX)).toEqual([undefined, undefined, 7]);
  });
});
