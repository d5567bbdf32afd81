import { offAbort, onAbort } from '../engine/abort-listeners.js';
import { delay } from './delay.js';

/** Settings of a client's request budget. */
export interface LimiterOptions {
  /** Requests in flight at once. */
  maxConcurrent: number;
  /** Requests started per second, evenly spaced; `undefined` for no rate limit. */
  requestsPerSecond?: number | undefined;
}

/**
 * One client's request budget: every request (all its waits, lists and batch calls) takes a slot
 * here first. Slots are limited in number and, optionally, in rate; and a 429 (or a 503 with
 * `Retry-After`) on any request pauses the whole client until it passes, instead of every waiter
 * discovering it alone. Waiters queue in order; an aborted waiter leaves the queue.
 * @internal
 */
export class RequestLimiter {
  readonly #maxConcurrent: number;
  readonly #intervalMs: number;
  #active = 0;
  readonly #queue: (() => void)[] = [];
  #pausedUntil = 0;
  #nextStartAt = 0;
  readonly #pauseListeners = new Set<(ms: number) => void>();

  constructor(options: LimiterOptions) {
    this.#maxConcurrent = options.maxConcurrent;
    this.#intervalMs = options.requestsPerSecond === undefined ? 0 : 1000 / options.requestsPerSecond;
  }

  /** Pauses every request of the client for `ms` (a longer pause already set is kept). */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, performance.now() + ms);
    if (this.#pauseListeners.size === 0) return;
    const left = this.#pausedUntil - performance.now();
    for (const listener of this.#pauseListeners) listener(left);
  }

  /** Calls `listener` with what is left of the client's pause each time it is paused (a longer pause already set counts); returns the unsubscribe. */
  onPause(listener: (ms: number) => void): () => void {
    this.#pauseListeners.add(listener);
    return () => this.#pauseListeners.delete(listener);
  }

  /**
   * Waits for a slot (and for any pause and the rate), then returns the function that gives the
   * slot back. Rejects with the signal's reason if it aborts first.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.#active >= this.#maxConcurrent) await this.#queued(signal);
    else this.#active++;
    try {
      // A pause or the rate may have been set while this request queued: honour both.
      for (;;) {
        const now = performance.now();
        const wait = Math.max(this.#pausedUntil - now, this.#nextStartAt - now);
        if (wait <= 0) break;
        await delay(wait, signal);
      }
      if (this.#intervalMs > 0) this.#nextStartAt = Math.max(performance.now(), this.#nextStartAt) + this.#intervalMs;
    } catch (error) {
      this.#release();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#release();
    };
  }

  #release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#active--;
  }

  #queued(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const grant = (): void => {
        if (signal) offAbort(signal, abort);
        resolve();
      };
      const abort = (): void => {
        const index = this.#queue.indexOf(grant);
        if (index !== -1) this.#queue.splice(index, 1);
        reject(signal?.reason);
      };
      this.#queue.push(grant);
      if (signal) onAbort(signal, abort);
    });
  }
}
