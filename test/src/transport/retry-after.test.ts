import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/transport/retry-after.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads whole delay-seconds as milliseconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('1', NOW)).toBe(1000);
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
  });

  it('reads decimal seconds and rounds to whole milliseconds', () => {
    expect(parseRetryAfter('0.05', NOW)).toBe(50);
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
    expect(parseRetryAfter('0.0004', NOW)).toBe(0);
    expect(parseRetryAfter('0.0006', NOW)).toBe(1);
  });

  it('ignores whitespace around the value', () => {
    expect(parseRetryAfter('  7 ', NOW)).toBe(7000);
  });

  it('reads an HTTP date in the future as the time until it', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
  });

  it('reads an HTTP date in the past (or now) as zero', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:59:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter(new Date(NOW).toUTCString(), NOW)).toBe(0);
  });

  it('uses the current clock when no time is given', () => {
    const ms = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString());
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });

  it('returns undefined for an absent or empty value', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter('   ', NOW)).toBeUndefined();
    expect(parseRetryAfter([], NOW)).toBeUndefined();
  });

  it('returns undefined for garbage and negative numbers', () => {
    for (const value of ['-1', '-0.5', 'soon', 'abc', '1e3', '0x10', '1,5', '5s', '.5', '5.', 'NaN', 'Infinity', 'not a date at all']) {
      expect(parseRetryAfter(value, NOW), value).toBeUndefined();
    }
  });

  it('takes the first value of a repeated header', () => {
    expect(parseRetryAfter(['3', '10'], NOW)).toBe(3000);
    expect(parseRetryAfter(['Sat, 01 Mar 2025 12:00:10 GMT', '1'], NOW)).toBe(10_000);
    expect(parseRetryAfter(['garbage', '1'], NOW)).toBeUndefined();
  });
});
