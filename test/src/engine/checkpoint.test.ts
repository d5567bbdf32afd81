import { describe, expect, it } from 'vitest';
import { assertCheckpoint, CHECKPOINT_VERSION, createCheckpoint, jobFromCheckpoint, readCheckpoint, type CheckpointInput, type WaitCheckpoint } from '../../../src/engine/checkpoint.js';
import { InvalidArgumentError } from '../../../src/errors/invalid-argument-error.js';
import { jobChanged } from '../../../src/model/job-changes.js';
import type { Job } from '../../../src/model/job.js';
import * as adapterApi from '../../../src/adapter.js';

/** A job with everything a snapshot keeps, and a vendor payload it must not keep. */
function richJob(): Job<{ secretish: string }> {
  return {
    vendor: 'cce',
    id: 'job-7',
    type: 'CreateCluster',
    description: 'Create cluster c1',
    state: 'running',
    vendorState: 'Running',
    message: 'Installing add-ons',
    error: { code: 'CCE.01', message: 'partial', target: 'addon-x' },
    createdAt: new Date('2024-05-01T10:00:00.000Z'),
    startedAt: new Date('2024-05-01T10:00:05.000Z'),
    updatedAt: new Date('2024-05-01T10:03:00.000Z'),
    tasks: [
      {
        id: 't1',
        name: 'Create nodes',
        type: 'CreateNode',
        index: 0,
        state: 'succeeded',
        vendorState: 'Success',
        createdAt: new Date('2024-05-01T10:00:06.000Z'),
        tasks: [{ id: 't1.1', state: 'skipped', vendorState: 'SKIPPED', message: 'nothing to do', tasks: [] }],
      },
      { id: 't2', state: 'failed', vendorState: 'Failed', error: { message: 'quota' }, tasks: [] },
    ],
    progress: { completed: 2, total: 2 },
    raw: { secretish: 'the whole vendor payload' },
  };
}

const SCHEDULE = { minDelayMs: 1_000, maxDelayMs: 8_000, retryAfterCapMs: 60_000, notFoundGraceMs: 5_000 };

function checkpointOf(over: Partial<CheckpointInput> = {}): WaitCheckpoint {
  return createCheckpoint({ vendor: 'cce', jobId: 'job-7', schedule: SCHEDULE, startedAt: 1_700_000_000_000, deadline: 1_700_000_600_000, polls: 3, step: 3, nextPollAt: 1_700_000_007_000, lastJob: richJob(), ...over });
}

/** The InvalidArgumentError `fn` throws (fails the test if it throws nothing or something else). */
function invalidArgument(fn: () => unknown): InvalidArgumentError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('createCheckpoint', () => {
  it('holds the format version, vendor, job id, times, schedule, poll count, step and a snapshot of the last job', () => {
    const checkpoint = checkpointOf();
    expect(checkpoint).toMatchObject({
      version: CHECKPOINT_VERSION,
      vendor: 'cce',
      jobId: 'job-7',
      startedAt: 1_700_000_000_000,
      deadline: 1_700_000_600_000,
      polls: 3,
      schedule: SCHEDULE,
      step: 3,
      nextPollAt: 1_700_000_007_000,
    });
    expect(CHECKPOINT_VERSION).toBe(2);
    expect(checkpoint.lastJob).toMatchObject({ id: 'job-7', state: 'running', vendorState: 'Running', message: 'Installing add-ons', progress: { completed: 2, total: 2 } });
  });

  it('keeps no vendor payload and turns dates into ISO strings', () => {
    const { lastJob } = checkpointOf();
    expect(lastJob).not.toHaveProperty('raw');
    expect(lastJob).not.toHaveProperty('vendor');
    expect(lastJob?.createdAt).toBe('2024-05-01T10:00:00.000Z');
    expect(lastJob?.endedAt).toBeUndefined();
    expect(JSON.stringify(checkpointOf())).not.toContain('the whole vendor payload');
  });

  it('keeps of a task what change detection and a display need: id, name, state, vendorState, message, error, children', () => {
    const { lastJob } = checkpointOf();
    expect(lastJob?.tasks).toEqual([
      { id: 't1', name: 'Create nodes', state: 'succeeded', vendorState: 'Success', tasks: [{ id: 't1.1', state: 'skipped', vendorState: 'SKIPPED', message: 'nothing to do', tasks: [] }] },
      { id: 't2', state: 'failed', vendorState: 'Failed', error: { message: 'quota' }, tasks: [] },
    ]);
  });

  it('writes no deadline as null, rounds times to whole milliseconds, and leaves lastJob out when the job was not seen', () => {
    const checkpoint = createCheckpoint({ vendor: 'fake', jobId: 'j', schedule: SCHEDULE, startedAt: 10.4, deadline: Infinity, polls: 1, step: 1, nextPollAt: 1010.6 });
    expect(checkpoint).toEqual({ version: 2, vendor: 'fake', jobId: 'j', startedAt: 10, deadline: null, schedule: SCHEDULE, polls: 1, step: 1, nextPollAt: 1011 });
    expect('lastJob' in checkpoint).toBe(false);
  });

  it('skips a date that is not a real instant instead of throwing', () => {
    const job = { ...richJob(), endedAt: new Date(Number.NaN) };
    expect(createCheckpoint({ vendor: 'cce', jobId: 'job-7', schedule: SCHEDULE, startedAt: 0, deadline: null, polls: 1, step: 0, nextPollAt: null, lastJob: job }).lastJob).not.toHaveProperty('endedAt');
  });
});

describe('a checkpoint through JSON', () => {
  it('survives JSON.stringify and JSON.parse unchanged', () => {
    const checkpoint = checkpointOf();
    const copy: unknown = JSON.parse(JSON.stringify(checkpoint));
    expect(copy).toEqual(checkpoint);
    assertCheckpoint(copy, 'cce', 'job-7');
    expect(readCheckpoint(copy, 'resumeFrom', { vendor: 'cce', jobId: 'job-7' })).toEqual(checkpoint);
  });

  it('rebuilds a snapshot that change detection finds equal to the job it was taken from, with real dates and no raw', () => {
    const original = richJob();
    const rebuilt = jobFromCheckpoint(JSON.parse(JSON.stringify(checkpointOf())) as WaitCheckpoint);
    expect(rebuilt).toBeDefined();
    expect(jobChanged(original, rebuilt as Job)).toBe(false);
    expect(rebuilt?.vendor).toBe('cce');
    expect(rebuilt?.raw).toBeUndefined();
    expect(rebuilt?.createdAt).toEqual(new Date('2024-05-01T10:00:00.000Z'));
    expect(rebuilt?.tasks[0]?.tasks[0]?.state).toBe('skipped');
    expect(rebuilt?.description).toBe('Create cluster c1');
  });

  it('still sees a change between the rebuilt snapshot and a job with another task message', () => {
    const rebuilt = jobFromCheckpoint(checkpointOf()) as Job;
    const next = richJob();
    (next.tasks[1] as { message?: string }).message = 'retrying';
    expect(jobChanged(rebuilt, next)).toBe(true);
  });

  it('gives no snapshot back for a checkpoint taken before the job was seen', () => {
    expect(jobFromCheckpoint(createCheckpoint({ vendor: 'cce', jobId: 'job-7', schedule: SCHEDULE, startedAt: 0, deadline: null, polls: 1, step: 1, nextPollAt: 5 }))).toBeUndefined();
  });
});

describe('assertCheckpoint', () => {
  it('accepts a checkpoint of the same vendor and job', () => {
    expect(() => assertCheckpoint(checkpointOf(), 'cce', 'job-7')).not.toThrow();
  });

  it('refuses a checkpoint of another vendor with InvalidArgumentError naming the vendor', () => {
    const error = invalidArgument(() => assertCheckpoint(checkpointOf(), 'ontap', 'job-7'));
    expect(error.argument).toBe('checkpoint.vendor');
    expect(error.message).toContain('"cce"');
    expect(error.message).toContain('"ontap"');
  });

  it('refuses a checkpoint of another job with InvalidArgumentError naming the job', () => {
    const error = invalidArgument(() => assertCheckpoint(checkpointOf(), 'cce', 'job-8'));
    expect(error.argument).toBe('checkpoint.jobId');
    expect(error.message).toContain('"job-7"');
    expect(error.message).toContain('"job-8"');
  });

  it.each([0, 1, 3, '2', undefined, null])('refuses a checkpoint of version %s with InvalidArgumentError', (version) => {
    const error = invalidArgument(() => assertCheckpoint({ ...checkpointOf(), version }, 'cce', 'job-7'));
    expect(error.argument).toBe('checkpoint.version');
    expect(error.message).toContain('version 2 only');
  });

  it('checks the version before the vendor, so a future format is reported as such', () => {
    expect(invalidArgument(() => assertCheckpoint({ ...checkpointOf(), version: 3 }, 'ontap', 'other')).argument).toBe('checkpoint.version');
  });

  const base = (): Record<string, unknown> => JSON.parse(JSON.stringify(checkpointOf())) as Record<string, unknown>;
  const withLastJob = (over: Record<string, unknown>): Record<string, unknown> => {
    const value = base();
    value['lastJob'] = { ...(value['lastJob'] as object), ...over };
    return value;
  };
  const MALFORMED: [label: string, value: unknown, argument: string][] = [
    ['null', null, 'checkpoint'],
    ['a string', JSON.stringify(checkpointOf()), 'checkpoint'],
    ['an array', [checkpointOf()], 'checkpoint'],
    ['a vendor that is not a string', { ...base(), vendor: 7 }, 'checkpoint.vendor'],
    ['an empty job id', { ...base(), jobId: '' }, 'checkpoint.jobId'],
    ['startedAt missing', { ...base(), startedAt: undefined }, 'checkpoint.startedAt'],
    ['startedAt as a date string', { ...base(), startedAt: '2024-05-01T10:00:00Z' }, 'checkpoint.startedAt'],
    ['a deadline before startedAt', { ...base(), deadline: 1_600_000_000_000 }, 'checkpoint.deadline'],
    ['a deadline that is NaN', { ...base(), deadline: Number.NaN }, 'checkpoint.deadline'],
    ['a deadline left out (not null)', { ...base(), deadline: undefined }, 'checkpoint.deadline'],
    ['nextPollAt as a string', { ...base(), nextPollAt: 'soon' }, 'checkpoint.nextPollAt'],
    ['a fractional poll count', { ...base(), polls: 1.5 }, 'checkpoint.polls'],
    ['a negative step', { ...base(), step: -1 }, 'checkpoint.step'],
    ['no schedule', { ...base(), schedule: undefined }, 'checkpoint.schedule'],
    ['a schedule with a negative delay', { ...base(), schedule: { ...SCHEDULE, minDelayMs: -1 } }, 'checkpoint.schedule.minDelayMs'],
    ['a schedule whose maxDelayMs is below its minDelayMs', { ...base(), schedule: { ...SCHEDULE, maxDelayMs: 10 } }, 'checkpoint.schedule.maxDelayMs'],
    ['a lastJob that is a string', { ...base(), lastJob: 'running' }, 'checkpoint.lastJob'],
    ['a lastJob of another job', withLastJob({ id: 'job-8' }), 'checkpoint.lastJob.id'],
    ['a lastJob state that does not exist', withLastJob({ state: 'exploded' }), 'checkpoint.lastJob.state'],
    ['a lastJob state of a task only', withLastJob({ state: 'skipped' }), 'checkpoint.lastJob.state'],
    ['a lastJob without vendorState', withLastJob({ vendorState: undefined }), 'checkpoint.lastJob.vendorState'],
    ['a lastJob message that is a number', withLastJob({ message: 5 }), 'checkpoint.lastJob.message'],
    ['a lastJob error without a message', withLastJob({ error: { code: 'x' } }), 'checkpoint.lastJob.error.message'],
    ['a lastJob progress with a negative count', withLastJob({ progress: { completed: -1, total: 2 } }), 'checkpoint.lastJob.progress.completed'],
    ['a lastJob date that is not a date', withLastJob({ updatedAt: 'yesterday' }), 'checkpoint.lastJob.updatedAt'],
    ['lastJob tasks that are not an array', withLastJob({ tasks: {} }), 'checkpoint.lastJob.tasks'],
    ['a task with a state that does not exist', withLastJob({ tasks: [{ id: 't', state: 'nope', vendorState: 'x', tasks: [] }] }), 'checkpoint.lastJob.tasks[0].state'],
    ['a task without children', withLastJob({ tasks: [{ id: 't', state: 'running', vendorState: 'x' }] }), 'checkpoint.lastJob.tasks[0].tasks'],
    ['a nested task without an id', withLastJob({ tasks: [{ id: 't', state: 'running', vendorState: 'x', tasks: [{ state: 'running', vendorState: 'x', tasks: [] }] }] }), 'checkpoint.lastJob.tasks[0].tasks[0].id'],
  ];

  it.each(MALFORMED)('refuses a checkpoint with %s with InvalidArgumentError naming the field', (_label, value, argument) => {
    expect(invalidArgument(() => assertCheckpoint(value, 'cce', 'job-7')).argument).toBe(argument);
  });

  it('refuses tasks nested deeper than any vendor nests them instead of overflowing the stack', () => {
    let tasks: unknown[] = [];
    for (let i = 0; i < 10_000; i++) tasks = [{ id: `t${i}`, state: 'running', vendorState: 'x', tasks }];
    const error = invalidArgument(() => assertCheckpoint(withLastJob({ tasks }), 'cce', 'job-7'));
    expect(error.message).toContain('levels deep');
  });

  it('ignores fields it does not know and drops them from the copy it reads', () => {
    const value = { ...base(), note: 'kept by the caller' };
    expect(() => assertCheckpoint(value, 'cce', 'job-7')).not.toThrow();
    expect(readCheckpoint(value, 'resumeFrom')).not.toHaveProperty('note');
  });

  it('reads the form alone when no vendor and job are given, and names the option in its errors', () => {
    expect(readCheckpoint(base(), 'resumeFrom').jobId).toBe('job-7');
    expect(invalidArgument(() => readCheckpoint({ ...base(), polls: 'x' }, 'resumeFrom')).argument).toBe('resumeFrom.polls');
  });
});

describe('the adapter entry (jobwait/adapter)', () => {
  it.each(['assertCheckpoint', 'createCheckpoint', 'jobFromCheckpoint', 'CHECKPOINT_VERSION'])('exports %s', (name) => {
    expect(Object.keys(adapterApi)).toContain(name);
  });
});
