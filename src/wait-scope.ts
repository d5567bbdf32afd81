import { setMaxListeners } from 'node:events';
import { offAbort, onAbort } from './abort-listeners.js';
import { now } from './clock.js';
import { MAX_TIMER_MS } from './options.js';

/** Why a scope stopped. @internal */
export type StopReason = 'aborted' | 'deadline' | 'closed';

const noop = (): void => {};

/**
 * One wait's lifetime: the caller's signal, the client's closing signal and the deadline, abortable
 * sleeps and requests, and a `dispose` that leaves no timer and no listener behind.
 *
 * It is built to be small while a wait sleeps, since a process may hold thousands of waits: one
 * timer at a time (the sleep's, or the deadline's while a request runs), one pending operation, and
 * an AbortController only while a request runs. The deadline needs no timer of its own between
 * polls: a sleep ends at the deadline at the latest, and `stopReason` reads the clock.
 * @internal
 */
export class WaitScope {
  readonly startedAt: number;
  readonly deadline: number;
  readonly #userSignal: AbortSignal | undefined;
  readonly #onUserAbort: (() => void) | undefined;
  readonly #closing: AbortSignal | undefined;
  readonly #onClose: (() => void) | undefined;
  #stopReason: StopReason | undefined;
  /** The signal of the request in flight (made by `signal`, dropped when its `race` settles). */
  #controller: AbortController | undefined;
  /** The one timer: the sleep's, or the deadline's during a `race`. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Rejects the sleep or race in progress when the scope stops. */
  #onStop: (() => void) | undefined;

  /**
   * @param timeoutMs - from `startedAt` to the deadline (`Infinity` for none).
   * @param startedAt - when the wait began, in `now()` time: now, or earlier for a resumed wait. A
   * deadline already past stops the scope at once.
   * @param closing - aborts when the client is closed (see `closingSignalOf`): the scope stops as `closed`.
   */
  constructor(userSignal: AbortSignal | undefined, timeoutMs: number, startedAt?: number, closing?: AbortSignal) {
    const current = now();
    this.startedAt = startedAt ?? current;
    this.deadline = this.startedAt + timeoutMs;
    this.#userSignal = userSignal;
    this.#closing = closing;
    if (closing?.aborted) {
      this.#stop('closed');
    } else if (userSignal?.aborted) {
      this.#stop('aborted');
    } else if (this.deadline <= current) {
      this.#stop('deadline');
    } else if (userSignal) {
      this.#onUserAbort = (): void => {
        this.#checkDeadline(); // a deadline that passed unobserved came first
        this.#stop('aborted');
      };
      onAbort(userSignal, this.#onUserAbort);
    }
    if (closing && !this.#stopReason) {
      this.#onClose = (): void => this.#stop('closed');
      onAbort(closing, this.#onClose);
    }
  }

  /**
   * The signal to hand to the next request: aborted when the caller aborts or the deadline passes
   * while that request runs (through {@link race}). Read it for the request, then race it.
   */
  get signal(): AbortSignal {
    this.#checkDeadline();
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      // A batched round hands this one signal to every chunk's request.
      setMaxListeners(0, this.#controller.signal);
      if (this.#stopReason) this.#controller.abort(this.#stopError());
    }
    return this.#controller.signal;
  }

  /** Why the scope stopped, if it did; a deadline that has passed counts even if no timer fired. */
  get stopReason(): StopReason | undefined {
    this.#checkDeadline();
    return this.#stopReason;
  }

  /** The caller's abort reason. */
  get abortReason(): unknown {
    return this.#userSignal?.reason;
  }

  elapsed(): number {
    return now() - this.startedAt;
  }

  remaining(): number {
    return this.deadline - now();
  }

  /** Resolves after `ms` (at most the setTimeout limit), or rejects as soon as the scope stops. */
  sleep(ms: number): Promise<void> {
    if (this.stopReason) return Promise.reject(this.#stopError());
    const wanted = Math.min(Math.max(0, ms), MAX_TIMER_MS);
    const remaining = this.remaining();
    return new Promise((resolve, reject) => {
      this.#onStop = (): void => reject(this.#stopError());
      if (wanted < remaining) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#onStop = undefined;
          resolve();
        }, wanted);
      } else {
        // The deadline comes first: wake then, and stop (which rejects this sleep).
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#stop('deadline');
        }, remaining);
      }
    });
  }

  /**
   * Settles like `promise`, or rejects as soon as the scope stops (even if `promise` ignores the
   * signal). While it runs, the deadline timer keeps the process alive: a request that nothing
   * else holds open still ends in a timeout, not in a silent exit.
   */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.stopReason) {
      promise.catch(noop);
      this.#controller = undefined;
      return Promise.reject(this.#stopError());
    }
    return new Promise<T>((resolve, reject) => {
      this.#onStop = (): void => {
        promise.catch(noop);
        reject(this.#stopError());
      };
      const remaining = this.remaining();
      if (remaining <= MAX_TIMER_MS) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#stop('deadline');
        }, remaining);
      }
      const settle = (): void => {
        if (this.#stopReason) return; // already rejected by the stop
        this.#clearTimer();
        this.#onStop = undefined;
        this.#controller = undefined;
      };
      promise.then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  }

  /** Removes the listeners on the signals and clears the timer. Idempotent. */
  dispose(): void {
    this.#unlisten();
    this.#clearTimer();
    this.#onStop = undefined;
    this.#controller = undefined;
  }

  /** Removes the listeners on the caller's signal and on the closing one. */
  #unlisten(): void {
    if (this.#onUserAbort) offAbort(this.#userSignal as AbortSignal, this.#onUserAbort);
    if (this.#onClose) offAbort(this.#closing as AbortSignal, this.#onClose);
  }

  #checkDeadline(): void {
    if (this.#stopReason === undefined && this.deadline <= now()) this.#stop('deadline');
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #stop(reason: StopReason): void {
    if (this.#stopReason) return;
    this.#stopReason = reason;
    this.#clearTimer();
    this.#unlisten();
    this.#controller?.abort(this.#stopError());
    const onStop = this.#onStop;
    this.#onStop = undefined;
    onStop?.();
  }

  #stopError(): Error {
    return new ScopeStopped(this.#stopReason ?? 'aborted');
  }
}

/** The internal rejection of a stopped scope; the poller turns it into a typed error. @internal */
export class ScopeStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(`wait ${reason}`);
    this.name = 'ScopeStopped';
  }
}
