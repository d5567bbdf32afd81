import { describe, expect, test } from 'vitest';
import { bullIdOf, jobIdOfBullId, parseWaitId, queueNameOf, waitName } from '../../../src/bullmq/names.js';
import { InvalidArgumentError } from '../../../src/index.js';

describe('the names of a durable wait', () => {
  test('handle.id is clientName/jobId, and reads back to the same names', () => {
    const name = waitName('cluster 1', 'a:b/c');
    expect(name.id).toBe('cluster%201/a%3Ab%2Fc');
    expect(parseWaitId(name.id)).toEqual(name);
  });

  test('queue names and BullMQ job ids hold no ":" and no id is digits alone (BullMQ refuses both)', () => {
    expect(queueNameOf('a:b')).not.toContain(':');
    expect(bullIdOf('12:34')).not.toContain(':');
    expect(bullIdOf('1234')).not.toMatch(/^\d+$/);
    expect(jobIdOfBullId(bullIdOf('12:34/x'))).toBe('12:34/x');
  });

  test.each([[''], ['cluster1'], ['a/b/c'], ['/x'], ['x/'], ['%E0%A4%A/x']])('%j is not a wait id: InvalidArgumentError', (id) => {
    expect(() => parseWaitId(id)).toThrow(InvalidArgumentError);
  });

  test('an empty client name or job id is refused', () => {
    expect(() => waitName('', 'x')).toThrow(InvalidArgumentError);
    expect(() => waitName('x', '')).toThrow(InvalidArgumentError);
  });
});
