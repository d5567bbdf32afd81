import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { offAbort, onAbort } from '../../../src/engine/abort-listeners.js';

describe('abort-listeners', () => {
  it('puts one listener on a signal however many callbacks listen, and removes it with the last one', () => {
    const controller = new AbortController();
    const callbacks = Array.from({ length: 50 }, () => (): void => {});
    for (const callback of callbacks) onAbort(controller.signal, callback);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    for (const callback of callbacks.slice(1)) offAbort(controller.signal, callback);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    offAbort(controller.signal, callbacks[0] as () => void);
    offAbort(controller.signal, callbacks[0] as () => void);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('calls every callback once on abort, not the removed ones, and leaves no listener', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const callbacks = [0, 1, 2].map((n) => (): void => void calls.push(n));
    for (const callback of callbacks) onAbort(controller.signal, callback);
    offAbort(controller.signal, callbacks[1] as () => void);
    controller.abort();
    expect(calls).toEqual([0, 2]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('keeps the signals apart', () => {
    const a = new AbortController();
    const b = new AbortController();
    const calls: string[] = [];
    onAbort(a.signal, () => calls.push('a'));
    onAbort(b.signal, () => calls.push('b'));
    a.abort();
    expect(calls).toEqual(['a']);
    expect(getEventListeners(b.signal, 'abort')).toHaveLength(1);
  });
});
