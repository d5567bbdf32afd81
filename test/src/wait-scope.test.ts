import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS } from '../../src/options.js';
import { ScopeStopped, WaitScope } from '../../src/wait-scope.js';
import { flush as flushRounds, track } from '../helpers/fake-source.js';

const flush = (): Promise<void> => flushRounds(1);

let scopes: WaitScope[] = [];
function scope(signal: AbortSignal | undefined, timeoutMs: number): WaitScope {
  const created = new WaitScope(signal, timeoutMs);
  scopes.push(created);
  return created;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
});
afterEach(() => {
  for (const s of scopes) s.dispose();
  scopes = [];
  vi.useRealTimers();
});

describe('WaitScope', () => {
  it('measures elapsed and remaining time from performance.now()', async () => {
    const s = scope(undefined, 10_000);
    expect(s.elapsed()).toBe(0);
    expect(s.remaining()).toBe(10_000);
    expect(s.deadline - s.startedAt).toBe(10_000);
    await vi.advanceTimersByTimeAsync(2500);
    expect(s.elapsed()).toBe(2500);
    expect(s.remaining()).toBe(7500);
  });

  it('has an infinite deadline and arms no timer when timeoutMs is Infinity', () => {
    const s = scope(undefined, Infinity);
    expect(s.deadline).toBe(Infinity);
    expect(s.remaining()).toBe(Infinity);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('arms no timer between sleeps and requests, and stops with reason "deadline" once the deadline has passed, aborting the signal it handed out', async () => {
    const s = scope(undefined, 5000);
    expect(vi.getTimerCount()).toBe(0);
    const handedOut = s.signal;
    await vi.advanceTimersByTimeAsync(4999);
    expect(s.stopReason).toBeUndefined();
    expect(handedOut.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.stopReason).toBe('deadline');
    expect(handedOut.aborted).toBe(true);
    expect(handedOut.reason).toBeInstanceOf(ScopeStopped);
    expect((handedOut.reason as ScopeStopped).reason).toBe('deadline');
    expect(s.signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops with reason "aborted" and exposes the caller reason when the caller signal aborts', () => {
    const controller = new AbortController();
    const s = scope(controller.signal, 5000);
    const reason = new Error('user pressed ctrl-c');
    controller.abort(reason);
    expect(s.stopReason).toBe('aborted');
    expect(s.abortReason).toBe(reason);
    expect(s.signal.aborted).toBe(true);
    expect((s.signal.reason as ScopeStopped).reason).toBe('aborted');
  });

  it('stops a sleep at once with reason "closed" when the closing signal aborts, leaving no listener on either signal', async () => {
    const caller = new AbortController();
    const closing = new AbortController();
    const s = new WaitScope(caller.signal, 60_000, undefined, closing.signal);
    scopes.push(s);
    const sleeping = track(s.sleep(30_000));
    closing.abort();
    await flush();
    expect(s.stopReason).toBe('closed');
    expect((sleeping.error as ScopeStopped).reason).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(caller.signal, 'abort')).toEqual([]);
    expect(getEventListeners(closing.signal, 'abort')).toEqual([]);
  });

  it('starts stopped as "closed", with no listener, when the client was closed before the wait', () => {
    const caller = new AbortController();
    const s = new WaitScope(caller.signal, 60_000, undefined, AbortSignal.abort());
    scopes.push(s);
    expect(s.stopReason).toBe('closed');
    expect(getEventListeners(caller.signal, 'abort')).toEqual([]);
  });

  it('starts stopped, with no listener and no timer, when the caller signal is already aborted', () => {
    const signal = AbortSignal.abort('too late');
    const s = scope(signal, 5000);
    expect(s.stopReason).toBe('aborted');
    expect(s.abortReason).toBe('too late');
    expect(s.signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(signal, 'abort')).toEqual([]);
  });

  it('keeps the first stop reason when the caller aborts after the deadline', async () => {
    const controller = new AbortController();
    const s = scope(controller.signal, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    expect(s.stopReason).toBe('deadline');
  });

  it('takes the deadline as the first stop reason when the caller aborts after a deadline nothing observed yet', async () => {
    const controller = new AbortController();
    const s = scope(controller.signal, 1000);
    await vi.advanceTimersByTimeAsync(1500);
    controller.abort(); // the scope hears of the abort first, but the deadline came earlier
    expect(s.stopReason).toBe('deadline');
  });

  describe('sleep', () => {
    it('resolves after the given time, not before', async () => {
      const s = scope(undefined, Infinity);
      const slept = track(s.sleep(1500));
      await vi.advanceTimersByTimeAsync(1499);
      expect(slept.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(slept).toEqual({ settled: true, value: undefined });
      expect(vi.getTimerCount()).toBe(0);
    });

    it('treats a negative time as zero', async () => {
      const s = scope(undefined, Infinity);
      const slept = track(s.sleep(-100));
      await vi.advanceTimersByTimeAsync(0);
      expect(slept.settled).toBe(true);
    });

    it('clamps a time beyond the setTimeout limit instead of firing at once', async () => {
      const s = scope(undefined, Infinity);
      const slept = track(s.sleep(Number.MAX_SAFE_INTEGER));
      await vi.advanceTimersByTimeAsync(1000);
      expect(slept.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
      expect(slept.settled).toBe(true);
    });

    it('rejects with ScopeStopped("aborted") at once when the caller aborts, clearing its timer and listener', async () => {
      const controller = new AbortController();
      const s = scope(controller.signal, Infinity);
      const slept = track(s.sleep(60_000));
      expect(vi.getTimerCount()).toBe(1);
      controller.abort();
      await flush();
      expect(slept.settled).toBe(true);
      expect(slept.error).toBeInstanceOf(ScopeStopped);
      expect((slept.error as ScopeStopped).reason).toBe('aborted');
      expect(vi.getTimerCount()).toBe(0);
      expect(getEventListeners(s.signal, 'abort')).toEqual([]);
    });

    it('rejects with ScopeStopped("deadline") when the deadline falls during the sleep', async () => {
      const s = scope(undefined, 3000);
      const slept = track(s.sleep(10_000));
      await vi.advanceTimersByTimeAsync(2999);
      expect(slept.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((slept.error as ScopeStopped).reason).toBe('deadline');
      expect(vi.getTimerCount()).toBe(0);
    });

    it('rejects at once when the scope has already stopped', async () => {
      const s = scope(AbortSignal.abort(), 3000);
      const slept = track(s.sleep(10));
      await flush();
      expect(slept.error).toBeInstanceOf(ScopeStopped);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('holds one timer and no listener while it sleeps, and nothing once it resolved', async () => {
      const controller = new AbortController();
      const s = scope(controller.signal, 5000);
      const slept = track(s.sleep(100));
      expect(vi.getTimerCount()).toBe(1);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1); // the scope's own, from the start
      await vi.advanceTimersByTimeAsync(100);
      expect(slept.settled).toBe(true);
      expect(slept.error).toBeUndefined();
      expect(vi.getTimerCount()).toBe(0);
    });

    it('ends at the deadline with one timer when the deadline comes before the wanted time', async () => {
      const s = scope(undefined, 1000);
      const slept = track(s.sleep(5000));
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(999);
      expect(slept.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((slept.error as ScopeStopped).reason).toBe('deadline');
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  describe('race', () => {
    it('holds the deadline timer only while it runs, and hands the next request a fresh signal', async () => {
      const s = scope(undefined, 5000);
      const first = s.signal;
      const raced = track(s.race(new Promise((resolve) => setTimeout(() => resolve('ok'), 100))));
      expect(vi.getTimerCount()).toBe(2); // the deadline's and the promise's own
      await vi.advanceTimersByTimeAsync(100);
      expect(raced.value).toBe('ok');
      expect(vi.getTimerCount()).toBe(0);
      expect(first.aborted).toBe(false);
      expect(s.signal).not.toBe(first);
    });

    it('resolves with the value of the promise', async () => {
      const s = scope(undefined, 1000);
      await expect(s.race(Promise.resolve(42))).resolves.toBe(42);
      expect(getEventListeners(s.signal, 'abort')).toEqual([]);
    });

    it('rejects with the error of the promise itself', async () => {
      const s = scope(undefined, 1000);
      const error = new TypeError('boom');
      await expect(s.race(Promise.reject(error))).rejects.toBe(error);
      expect(getEventListeners(s.signal, 'abort')).toEqual([]);
    });

    it('rejects at once when the caller aborts, even if the promise never settles', async () => {
      const controller = new AbortController();
      const s = scope(controller.signal, Infinity);
      const raced = track(s.race(new Promise<never>(() => {})));
      await flush();
      expect(raced.settled).toBe(false);
      controller.abort();
      await flush();
      expect(raced.error).toBeInstanceOf(ScopeStopped);
      expect((raced.error as ScopeStopped).reason).toBe('aborted');
    });

    it('rejects at the deadline when the promise never settles', async () => {
      const s = scope(undefined, 2000);
      const raced = track(s.race(new Promise<never>(() => {})));
      await vi.advanceTimersByTimeAsync(1999);
      expect(raced.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((raced.error as ScopeStopped).reason).toBe('deadline');
    });

    it('rejects at once when already stopped and swallows a later rejection of the promise', async () => {
      const s = scope(AbortSignal.abort(), 2000);
      let reject!: (error: Error) => void;
      const pending = new Promise<never>((_, r) => {
        reject = r;
      });
      const raced = track(s.race(pending));
      await flush();
      expect(raced.error).toBeInstanceOf(ScopeStopped);
      const unhandled = vi.fn();
      process.on('unhandledRejection', unhandled);
      try {
        reject(new Error('late'));
        await flush();
        await flush();
        expect(unhandled).not.toHaveBeenCalled();
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    });
  });

  describe('dispose', () => {
    it('removes the listener from the caller signal and clears the timer', () => {
      const controller = new AbortController();
      const s = scope(controller.signal, 5000);
      track(s.sleep(1000));
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      expect(vi.getTimerCount()).toBe(1);
      s.dispose();
      expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
      expect(vi.getTimerCount()).toBe(0);
      controller.abort();
      expect(s.stopReason).toBeUndefined();
    });

    it('can be called twice', () => {
      const s = scope(new AbortController().signal, 5000);
      s.dispose();
      expect(() => s.dispose()).not.toThrow();
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  it('meets a deadline beyond the setTimeout limit from a sleep, once it comes within reach', async () => {
    const timeoutMs = MAX_TIMER_MS + 10_000;
    const s = scope(undefined, timeoutMs);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(20_000); // now within the limit
    const slept = track(s.sleep(MAX_TIMER_MS));
    expect(vi.getTimerCount()).toBe(1); // the sleep ends at the deadline, which comes first
    await vi.advanceTimersByTimeAsync(timeoutMs - 20_000 - 1);
    expect(s.stopReason).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(s.stopReason).toBe('deadline');
    expect((slept.error as ScopeStopped).reason).toBe('deadline');
  });
});

describe('WaitScope started earlier (a resumed wait)', () => {
  it('counts elapsed time and the deadline from the given start', async () => {
    const created = new WaitScope(undefined, 10_000, performance.now() - 4000);
    scopes.push(created);
    expect(created.elapsed()).toBe(4000);
    expect(created.remaining()).toBe(6000);
    await vi.advanceTimersByTimeAsync(5999);
    expect(created.stopReason).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(created.stopReason).toBe('deadline');
  });

  it('stops at once, with no timer, when the deadline is already past', () => {
    const created = new WaitScope(undefined, 1000, performance.now() - 1000);
    scopes.push(created);
    expect(created.stopReason).toBe('deadline');
    expect(created.signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports an aborted signal before a past deadline', () => {
    const created = new WaitScope(AbortSignal.abort(), 1000, performance.now() - 5000);
    scopes.push(created);
    expect(created.stopReason).toBe('aborted');
  });
});
