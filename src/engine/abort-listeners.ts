/**
 * One 'abort' listener per signal, however many waits, requests and queued slots listen to it.
 *
 * A caller shares one `AbortSignal` across a fleet to stop it: with a listener of its own per
 * wait, 1,000 waits would pass Node's listener limit (`MaxListenersExceededWarning`). Here each
 * signal carries a single listener while anything listens to it, which fans the abort out to
 * every callback, and is removed when the last callback goes.
 * @internal
 */

/** What listens: a function, or an object whose `handleAbort` is called (no closure per listener). @internal */
export type AbortCallback = (() => void) | { handleAbort(): void };

/** The callbacks listening to each signal. */
const listening = new WeakMap<AbortSignal, Set<AbortCallback>>();

/**
 * Calls `callback` once when `signal` aborts, unless {@link offAbort} removes it first. The signal
 * must not be aborted yet (check `signal.aborted` first): an abort that happened fires no event.
 * Adding the same callback twice adds it once.
 * @internal
 */
export function onAbort(signal: AbortSignal, callback: AbortCallback): void {
  let callbacks = listening.get(signal);
  if (callbacks === undefined) {
    callbacks = new Set();
    listening.set(signal, callbacks);
    signal.addEventListener('abort', fanOut, { once: true });
  }
  callbacks.add(callback);
}

/** Removes a callback added by {@link onAbort} (and the signal's listener with the last one). Idempotent. @internal */
export function offAbort(signal: AbortSignal, callback: AbortCallback): void {
  const callbacks = listening.get(signal);
  if (callbacks === undefined || !callbacks.delete(callback) || callbacks.size > 0) return;
  listening.delete(signal);
  signal.removeEventListener('abort', fanOut);
}

/** The one listener: every callback of the signal, once; a callback that throws does not stop the others. */
function fanOut(event: Event): void {
  const signal = event.target as AbortSignal;
  const callbacks = listening.get(signal);
  listening.delete(signal);
  if (callbacks === undefined) return;
  for (const callback of callbacks) {
    try {
      if (typeof callback === 'function') callback();
      else callback.handleAbort();
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
