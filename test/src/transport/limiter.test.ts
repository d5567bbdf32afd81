import { describe, expect, test } from 'vitest';
import { RequestLimiter } from '../../../src/transport/limiter.js';

describe('RequestLimiter pauses', () => {
  test("tell their listeners what is left of the client's pause: a short pause after a long one reports the long one", () => {
    const limiter = new RequestLimiter({ maxConcurrent: 4 });
    const heard: number[] = [];
    const unsubscribe = limiter.onPause((ms) => heard.push(ms));
    limiter.pause(30_000);
    limiter.pause(1_000);
    unsubscribe();
    limiter.pause(60_000);
    expect(heard).toHaveLength(2);
    expect(heard[0]).toBeGreaterThan(29_900);
    expect(heard[1]).toBeGreaterThan(29_900);
  });

  test('a pause of 0 ms (Retry-After: 0) is heard as nothing left', () => {
    const limiter = new RequestLimiter({ maxConcurrent: 4 });
    const heard: number[] = [];
    limiter.onPause((ms) => heard.push(ms));
    limiter.pause(0);
    expect(heard).toHaveLength(1);
    expect(heard[0]).toBeLessThanOrEqual(0);
  });
});
