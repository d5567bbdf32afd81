import { describe, expect, it } from 'vitest';
import { parseHuaweiTime } from '../../../adapters/huawei/time.js';

describe('parseHuaweiTime and the ways Go prints a zone', () => {
  it.each([
    ['2018-08-02 16:12:40.672772389 +0800 +0800', '2018-08-02T08:12:40.672Z'],
    ['2018-08-02 12:12:40.672772389 +0400 +04', '2018-08-02T08:12:40.672Z'],
    ['2018-08-02 01:12:40 -0700 -0700', '2018-08-02T08:12:40.000Z'],
    ['2018-08-02 16:12:40.672772389 +0800 CST', '2018-08-02T08:12:40.672Z'],
    ['2018-08-02 08:12:40.672772389 +0000 UTC m=+0.000000001', '2018-08-02T08:12:40.672Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseHuaweiTime(text)?.toISOString()).toBe(iso);
  });

  it('still refuses a zone name that is neither letters nor an offset', () => {
    expect(parseHuaweiTime('2018-08-02 08:12:40 +0000 U7C')).toBeUndefined();
    expect(parseHuaweiTime('2018-08-02 08:12:40 +0000 UTC extra')).toBeUndefined();
  });
});
