import { describe, expect, it, vi } from 'vitest';
import { cachedInstants } from '../../../src/model/instant-cache.js';
import { parseIsoDate } from '../../../src/model/job.js';

describe('cachedInstants', () => {
  it('parses each text once and answers later calls from the cache', () => {
    const parse = vi.fn((text: string) => Date.parse(text));
    const read = cachedInstants(parse);
    expect(read('2026-11-23T01:02:03Z')?.toISOString()).toBe('2026-11-23T01:02:03.000Z');
    expect(read('2026-11-23T01:02:03Z')?.toISOString()).toBe('2026-11-23T01:02:03.000Z');
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('returns a new Date on every call, so changing one leaves the next untouched', () => {
    const read = cachedInstants((text) => Date.parse(text));
    const first = read('2026-11-23T01:02:03Z');
    first?.setUTCFullYear(1999);
    expect(read('2026-11-23T01:02:03Z')?.getUTCFullYear()).toBe(2026);
    expect(read('2026-11-23T01:02:03Z')).not.toBe(read('2026-11-23T01:02:03Z'));
  });

  it('remembers a text that is no instant as undefined, without parsing it again', () => {
    const parse = vi.fn(() => Number.NaN);
    const read = cachedInstants(parse);
    expect(read('not a date')).toBeUndefined();
    expect(read('not a date')).toBeUndefined();
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('answers undefined for null, undefined and non-strings without calling the parser', () => {
    const parse = vi.fn(() => 0);
    const read = cachedInstants(parse);
    expect(read(null)).toBeUndefined();
    expect(read(undefined)).toBeUndefined();
    expect(read(42 as unknown as string)).toBeUndefined();
    expect(parse).not.toHaveBeenCalled();
  });

  it('starts again when 1,024 texts are held, so it stays bounded whatever a server sends', () => {
    const parse = vi.fn((text: string) => Number(text.slice(1)));
    const read = cachedInstants(parse);
    for (let i = 0; i < 1_024; i++) read(`t${i}`);
    read('t0');
    expect(parse).toHaveBeenCalledTimes(1_024); // all held
    read('t1024'); // the cache is full: emptied, then this one is kept
    read('t0');
    expect(parse).toHaveBeenCalledTimes(1_026);
  });

  it('does not keep texts longer than 64 characters', () => {
    const parse = vi.fn(() => Number.NaN);
    const read = cachedInstants(parse);
    const long = `2026-11-23T01:02:03Z${' '.repeat(60)}`;
    read(long);
    read(long);
    expect(parse).toHaveBeenCalledTimes(2);
  });
});

describe('parseIsoDate through its cache', () => {
  it('gives the same answers on a repeated read as on the first, for instants and non-instants alike', () => {
    for (const text of ['2024-02-29T12:00:00+08:00', '2023-02-29T12:00:00Z', '2026-11-23 01:02:03', 'nonsense']) {
      const first = parseIsoDate(text)?.getTime();
      expect(parseIsoDate(text)?.getTime()).toBe(first);
    }
    expect(parseIsoDate('2023-02-29T12:00:00Z')).toBeUndefined();
    expect(parseIsoDate('2024-02-29T12:00:00+08:00')?.toISOString()).toBe('2024-02-29T04:00:00.000Z');
  });
});
