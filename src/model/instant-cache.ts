/** How many distinct timestamp texts a cache keeps before it starts again. */
const MAX_ENTRIES = 1_024;
/** Longer texts are never timestamps worth keeping. */
const MAX_TEXT_LENGTH = 64;

/**
 * Wraps a timestamp parser (text → epoch milliseconds, `NaN` for "not an instant") with a small
 * bounded cache. A poller reads the same timestamps on every poll of a job (created, started,
 * updated), so each text is parsed once; each call still returns a new `Date`, which the caller may
 * change freely. The cache is emptied when full, so it never holds more than {@link MAX_ENTRIES}.
 * @internal
 */
export function cachedInstants(parse: (text: string) => number): (value: string | null | undefined) => Date | undefined {
  const cache = new Map<string, number>();
  return (value) => {
    if (typeof value !== 'string') return undefined;
    let ms = cache.get(value);
    if (ms === undefined) {
      ms = parse(value);
      if (value.length <= MAX_TEXT_LENGTH) {
        if (cache.size >= MAX_ENTRIES) cache.clear();
        cache.set(value, ms);
      }
    }
    return Number.isNaN(ms) ? undefined : new Date(ms);
  };
}
