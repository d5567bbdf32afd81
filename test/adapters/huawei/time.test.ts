import { describe, expect, it } from 'vitest';
import { parseHuaweiTime } from '../../../adapters/huawei/time.js';

function iso(value: string | null | undefined): string | undefined {
  const date = parseHuaweiTime(value);
  if (date !== undefined) {
    expect(date).toBeInstanceOf(Date);
    expect(Number.isNaN(date.getTime())).toBe(false);
  }
  return date?.toISOString();
}

describe("parseHuaweiTime reads Go's time.Time format", () => {
  it("reads CCE's documented timestamp with nanoseconds, cut to milliseconds", () => {
    expect(iso('2018-08-02 08:12:40.672772389 +0000 UTC')).toBe('2018-08-02T08:12:40.672Z');
  });

  it('reads a +0800 CST offset to the right instant', () => {
    expect(iso('2018-08-02 16:12:40.672772389 +0800 CST')).toBe('2018-08-02T08:12:40.672Z');
  });

  it('reads a negative offset to the right instant, across midnight', () => {
    expect(iso('2018-08-01 23:30:00.5 -0700 MST')).toBe('2018-08-02T06:30:00.500Z');
  });

  it('reads a timestamp without a fraction', () => {
    expect(iso('2018-08-02 08:12:40 +0000 UTC')).toBe('2018-08-02T08:12:40.000Z');
  });

  it('reads a timestamp without a zone name', () => {
    expect(iso('2018-08-02 08:12:40.1 +0000')).toBe('2018-08-02T08:12:40.100Z');
  });

  it('ignores surrounding whitespace', () => {
    expect(iso('  2018-08-02 08:12:40 +0000 UTC\n')).toBe('2018-08-02T08:12:40.000Z');
  });
});

describe('parseHuaweiTime reads RFC 3339', () => {
  it('reads a Z timestamp with milliseconds', () => {
    expect(iso('2020-02-04T04:01:03.344Z')).toBe('2020-02-04T04:01:03.344Z');
  });

  it('reads a timestamp with a +hh:mm offset', () => {
    expect(iso('2020-02-04T12:01:03+08:00')).toBe('2020-02-04T04:01:03.000Z');
  });

  it('reads a timestamp with a -hh:mm offset and a long fraction', () => {
    expect(iso('2020-02-03T23:01:03.123456789-05:00')).toBe('2020-02-04T04:01:03.123Z');
  });
});

describe('parseHuaweiTime never makes an Invalid Date', () => {
  it.each([
    ['garbage text', 'yesterday'],
    ['an empty string', ''],
    ['whitespace', '   '],
    ['the text "null"', 'null'],
    ['a date without a time', '2018-08-02 +0000 UTC'],
    ['February 30th', '2018-02-30 08:12:40.672772389 +0000 UTC'],
    ['month 13', '2018-13-02T08:12:40Z'],
    ['hour 25', '2018-08-02 25:12:40 +0000 UTC'],
    ['minute 61', '2018-08-02T08:61:40Z'],
    ['an RFC 3339 February 29th of a non-leap year', '2019-02-29T00:00:00Z'],
    ['a number as text', '1533197560'],
    ['a Go timestamp with a trailing word', '2018-08-02 08:12:40 +0000 UTC extra'],
  ])('gives undefined for %s', (_what, value) => {
    expect(parseHuaweiTime(value)).toBeUndefined();
  });

  it('gives undefined for null and undefined', () => {
    expect(parseHuaweiTime(null)).toBeUndefined();
    expect(parseHuaweiTime(undefined)).toBeUndefined();
  });

  it('gives undefined for a value that is not a string at all', () => {
    expect(parseHuaweiTime(1533197560 as unknown as string)).toBeUndefined();
    expect(parseHuaweiTime({} as unknown as string)).toBeUndefined();
  });

  it('accepts February 29th of a leap year', () => {
    expect(iso('2020-02-29 00:00:00 +0000 UTC')).toBe('2020-02-29T00:00:00.000Z');
  });
});
