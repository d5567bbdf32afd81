import { describe, expect, it } from 'vitest';
import { isTerminal, JOB_STATES, parseIsoDate, progressOf, type JobState, type Task, type TaskState } from '../../../src/model/job.js';

function task(state: TaskState, children: Task[] = []): Task {
  return { id: `t-${state}`, state, vendorState: state.toUpperCase(), tasks: children };
}

describe('JOB_STATES', () => {
  it('lists every job state once, in lifecycle order', () => {
    expect(JOB_STATES).toEqual(['queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled', 'unknown']);
    expect(Object.isFrozen(JOB_STATES)).toBe(true);
  });
});

describe('isTerminal', () => {
  it.each<[TaskState, boolean]>([
    ['queued', false],
    ['running', false],
    ['paused', false],
    ['succeeded', true],
    ['failed', true],
    ['cancelled', true],
    ['unknown', false],
    ['skipped', true],
  ])('says %s is terminal: %s', (state, terminal) => {
    expect(isTerminal(state)).toBe(terminal);
  });

  it('never takes unknown for terminal, so an unmapped vendor state keeps the wait going', () => {
    expect(isTerminal('unknown')).toBe(false);
  });

  it('is false for strings that are not states, including vendor words and different case', () => {
    for (const word of ['', 'success', 'SUCCEEDED', 'Failed', 'done', 'toString', '__proto__']) {
      expect(isTerminal(word as JobState)).toBe(false);
    }
  });

  it('covers every job state in JOB_STATES', () => {
    expect(JOB_STATES.filter(isTerminal)).toEqual(['succeeded', 'failed', 'cancelled']);
  });
});

describe('progressOf', () => {
  it('is undefined when there are no tasks', () => {
    expect(progressOf([])).toBeUndefined();
  });

  it('counts the tasks in a terminal state out of all tasks', () => {
    const tasks = [task('succeeded'), task('failed'), task('cancelled'), task('skipped'), task('running'), task('queued'), task('paused'), task('unknown')];
    expect(progressOf(tasks)).toEqual({ completed: 4, total: 8 });
  });

  it('counts none completed when no task has ended', () => {
    expect(progressOf([task('queued'), task('running')])).toEqual({ completed: 0, total: 2 });
  });

  it('counts all completed when every task has ended', () => {
    expect(progressOf([task('succeeded'), task('skipped')])).toEqual({ completed: 2, total: 2 });
  });

  it('counts only top-level tasks, not their children', () => {
    const tasks = [task('running', [task('succeeded'), task('succeeded')]), task('succeeded', [task('running')])];
    expect(progressOf(tasks)).toEqual({ completed: 1, total: 2 });
  });
});

describe('parseIsoDate', () => {
  it('reads years below 100 as themselves, not as 1900-1999 (Go zero time 0001-01-01)', () => {
    expect(parseIsoDate('0001-01-01T00:00:00Z')?.toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(parseIsoDate('0099-12-31T23:59:59Z')?.getUTCFullYear()).toBe(99);
  });

  it.each<[string, string]>([
    ['2024-03-05T10:20:30Z', '2024-03-05T10:20:30.000Z'],
    ['2024-03-05T10:20:30z', '2024-03-05T10:20:30.000Z'],
    ['2024-03-05t10:20:30Z', '2024-03-05T10:20:30.000Z'],
    ['2024-03-05T10:20:30.123Z', '2024-03-05T10:20:30.123Z'],
    ['2024-03-05T10:20:30.123456Z', '2024-03-05T10:20:30.123Z'],
    ['2024-03-05T10:20:30+02:00', '2024-03-05T08:20:30.000Z'],
    ['2024-03-05T10:20:30-05:30', '2024-03-05T15:50:30.000Z'],
    ['2024-03-05T10:20:30+0200', '2024-03-05T08:20:30.000Z'],
    ['2024-03-05T01:20:30+0800', '2024-03-04T17:20:30.000Z'],
    ['2024-03-05T10:20:30+00:00', '2024-03-05T10:20:30.000Z'],
    ['2024-03-05 10:20:30Z', '2024-03-05T10:20:30.000Z'],
    ['2024-03-05T10:20Z', '2024-03-05T10:20:00.000Z'],
    ['  2024-03-05T10:20:30Z  ', '2024-03-05T10:20:30.000Z'],
  ])('parses %j as %s', (input, iso) => {
    const date = parseIsoDate(input);
    expect(date).toBeInstanceOf(Date);
    expect(date?.toISOString()).toBe(iso);
  });

  it.each<[string, string]>([
    ['2024-03-05T10:20:30', '2024-03-05T10:20:30.000Z'],
    ['2024-03-05 10:20:30', '2024-03-05T10:20:30.000Z'],
    ['2024-03-05T10:20:30.5', '2024-03-05T10:20:30.500Z'],
    ['2024-03-05T10:20', '2024-03-05T10:20:00.000Z'],
  ])('reads %j, which has no offset, as UTC and not local time', (input, iso) => {
    expect(parseIsoDate(input)?.toISOString()).toBe(iso);
  });

  it.each(['Asia/Kolkata', 'America/New_York', 'Pacific/Chatham'])('reads a timestamp without offset as UTC even when the machine time zone is %s', (zone) => {
    const saved = process.env['TZ'];
    process.env['TZ'] = zone;
    try {
      expect(new Date('2024-07-01T12:00:00').getTimezoneOffset()).not.toBe(0); // the zone took effect
      expect(parseIsoDate('2024-07-01T12:00:00')?.toISOString()).toBe('2024-07-01T12:00:00.000Z');
      expect(parseIsoDate('2024-07-01 12:00')?.toISOString()).toBe('2024-07-01T12:00:00.000Z');
      expect(parseIsoDate('2024-07-01T12:00:00+02:00')?.toISOString()).toBe('2024-07-01T10:00:00.000Z');
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });

  it.each([
    'garbage',
    '',
    '   ',
    'now',
    '2024-03-05',
    '2024-03-05T',
    '10:20:30',
    '2024/03/05 10:20:30',
    '05-03-2024T10:20:30Z',
    '2024-03-05T10:20:30ZZ',
    '2024-03-05T10:20:30 UTC',
    '2024-03-05T10:20:30+2',
    '2024-13-05T10:20:30Z',
    '2024-00-05T10:20:30Z',
    '2024-03-32T10:20:30Z',
    '2024-03-05T25:20:30Z',
    '2024-03-05T10:61:30Z',
    '2024-03-05T10:20:30+24:00',
    '1709634030000',
    'Tue, 05 Mar 2024 10:20:30 GMT',
  ])('returns undefined, never an Invalid Date, for %j', (input) => {
    expect(parseIsoDate(input)).toBeUndefined();
  });

  it.each(['2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-04-31T12:00:00Z'])('returns undefined for the day that does not exist in %j instead of rolling over', (input) => {
    expect(parseIsoDate(input)).toBeUndefined();
  });

  it('accepts 29 February of a leap year', () => {
    expect(parseIsoDate('2024-02-29T00:00:00Z')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });

  it.each([null, undefined, 1709634030000, {}, new Date(0)])('returns undefined for the non-string %j', (input) => {
    expect(parseIsoDate(input as unknown as string)).toBeUndefined();
  });

  it('never returns an Invalid Date for any of many mangled inputs', () => {
    const base = '2024-03-05T10:20:30.123+02:00';
    const bad: string[] = [];
    for (let i = 0; i < base.length; i++) {
      for (const ch of ['9', 'x', ':', '-', '', ' ']) {
        const input = base.slice(0, i) + ch + base.slice(i + 1);
        const date = parseIsoDate(input);
        if (date !== undefined && (!(date instanceof Date) || Number.isNaN(date.getTime()))) bad.push(input);
      }
    }
    expect(bad).toEqual([]);
  });
});
