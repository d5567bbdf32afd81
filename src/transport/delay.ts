import { offAbort, onAbort } from '../engine/abort-listeners.js';

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts; leaves no timer or listener. @internal */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const abort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      if (signal) offAbort(signal, abort);
      resolve();
    }, ms);
    if (signal) onAbort(signal, abort);
  });
}
