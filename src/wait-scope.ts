import { setMaxListeners } from 'node:events';
import { now } from './clock.js';
import { MAX_TIMER_MS } from './options.js';

/** Why a scope stopped. @internal */
export type StopReason = 'aborted' | 'deadline';

const noop = (): void => {};

/**
 * One wait's lifetime: the caller's signal and the deadline folded into one internal signal,
 * abortable sleeps, and a `dispose` that leaves no timer and no listener behind.
 * @internal
 */
export class WaitScope {
  readonly startedAt: number;
  readonly deadline: number;
  readonly #controller = new AbortController();
  readonly #userSignal: AbortSignal | undefined;
  #stopReason: StopReason | undefined;
  #deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #onUserAbort = (): void => this.#stop('aborted');

  /**
   * @param timeoutMs - from `startedAt` to the deadline (`Infinity` for none).
   * @param startedAt - when the wait began, in `now()` time: now, or earlier for a resumed wait. A
   * deadline already past stops the scope at once.
   */
  constructor(userSignal: AbortSignal | undefined, timeoutMs: number, startedAt?: number) {
    // Every request of the wait (and every chunk of a batched round) listens to this signal.
    setMaxListeners(0, this.#controller.signal);
    const current = now();
    this.startedAt = startedAt ?? current;
    this.deadline = this.startedAt + timeoutMs;
    this.#userSignal = userSignal;
    if (userSignal?.aborted) {
      this.#stop('aborted');
    } else if (this.deadline <= current) {
      this.#stop('deadline');
    } else {
      userSignal?.addEventListener('abort', this.#onUserAbort, { once: true });
      this.#armDeadline();
    }
  }

  /** Aborted when the caller aborts or the deadline passes: hand it to every request. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get stopReason(): StopReason | undefined {
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

  /** Resolves after `ms`, or rejects as soon as the scope stops. */
  sleep(ms: number): Promise<void> {
    if (this.#stopReason) return Promise.reject(this.#stopError());
    this.#armDeadline();
    return new Promise((resolve, reject) => {
      const onStop = (): void => {
        clearTimeout(timer);
        reject(this.#stopError());
      };
      const timer = setTimeout(() => {
        this.signal.removeEventListener('abort', onStop);
        resolve();
      }, Math.min(Math.max(0, ms), MAX_TIMER_MS));
      this.signal.addEventListener('abort', onStop, { once: true });
    });
  }

  /**
   * Settles like `promise`, or rejects as soon as the scope stops (even if `promise` ignores the
   * signal). While it runs, the deadline timer keeps the process alive: a request that nothing
   * else holds open still ends in a timeout, not in a silent exit.
   */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.#stopReason) {
      promise.catch(noop);
      return Promise.reject(this.#stopError());
    }
    this.#deadlineTimer?.ref();
    return new Promise<T>((resolve, reject) => {
      const settle = (): void => {
        this.signal.removeEventListener('abort', onStop);
        this.#deadlineTimer?.unref();
      };
      const onStop = (): void => {
        promise.catch(noop);
        reject(this.#stopError());
      };
      this.signal.addEventListener('abort', onStop, { once: true });
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

  /** Removes the listener on the caller's signal and clears the deadline timer. */
  dispose(): void {
    this.#userSignal?.removeEventListener('abort', this.#onUserAbort);
    if (this.#deadlineTimer !== undefined) clearTimeout(this.#deadlineTimer);
    this.#deadlineTimer = undefined;
  }

  #armDeadline(): void {
    if (this.#deadlineTimer !== undefined || this.#stopReason || this.deadline === Infinity) return;
    const remaining = this.remaining();
    if (remaining > MAX_TIMER_MS) return; // armed later, by a sleep closer to the deadline
    this.#deadlineTimer = setTimeout(() => {
      this.#deadlineTimer = undefined;
      this.#stop('deadline');
    }, Math.max(0, remaining));
    // Unreferenced between polls: an abandoned watchJob iterator must not hold the process.
    // `race` references it while a poll runs; a sleep holds the process by its own timer.
    this.#deadlineTimer.unref();
  }

  #stop(reason: StopReason): void {
    if (this.#stopReason) return;
    this.#stopReason = reason;
    this.#controller.abort(this.#stopError());
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
