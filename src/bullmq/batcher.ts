import type { JobSource } from '../client/job-client.js';
import { pollWaits } from '../engine/driver.js';
import type { WaitStep } from '../engine/advance.js';
import { nextActionAt, type WaitState } from '../engine/wait-state.js';

/** Why a held wait was given back unpolled: the worker is closing. @internal */
export const RELEASED = Symbol('released');

interface Held {
  state: WaitState;
  throwOnFailure: boolean;
  resolve: (step: WaitStep<unknown> | typeof RELEASED) => void;
  reject: (error: unknown) => void;
}

/**
 * A worker's polls of one client that reads many jobs in one request (ONTAP's collection query),
 * gathered as the in-process scheduler gathers them: a worker takes a wait once its window opens
 * (`earliestPollAt`) and holds it until it, or another wait of the client, is due (`nextPollAt`);
 * then every held wait goes in one `pollWaits` call, one request per `maxBatchSize` ids. No wait
 * is polled before its window nor (but for the `gatherMs` that lets waits due together meet)
 * after its due time. Holding all `capacity` slots polls at once, so due waits are not kept out.
 * @internal
 */
export class PollBatcher {
  readonly #client: JobSource<unknown>;
  readonly #capacity: number;
  readonly #gatherMs: number;
  #held: Held[] = [];
  #released = false;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;

  readonly #pausedFor: () => Promise<number>;

  /**
   * @param pausedFor - how long the client name's queue is still paused (a 429 another worker met), in
   *   milliseconds; asked before each shared request, so waits held from before a pause wait it out.
   */
  constructor(client: JobSource<unknown>, capacity: number, gatherMs: number, pausedFor: () => Promise<number>) {
    this.#client = client;
    this.#capacity = capacity;
    this.#gatherMs = gatherMs;
    this.#pausedFor = pausedFor;
  }

  /**
   * The wait's step once polled with the others, or `RELEASED` when the worker closed first or
   * `signal` aborted (its lock was lost) before the shared request went.
   */
  poll(state: WaitState, throwOnFailure: boolean, signal?: AbortSignal): Promise<WaitStep<unknown> | typeof RELEASED> {
    return new Promise((resolve, reject) => {
      if (this.#released || signal?.aborted) return resolve(RELEASED);
      const entry: Held = { state, throwOnFailure, resolve, reject };
      this.#held.push(entry);
      signal?.addEventListener(
        'abort',
        () => {
          const index = this.#held.indexOf(entry);
          if (index !== -1) this.#held.splice(index, 1);
          resolve(RELEASED);
        },
        { once: true },
      );
      if (this.#held.length >= this.#capacity) return this.#flush();
      const due = nextActionAt(state) ?? Date.now();
      this.#arm(Math.max(due, Date.now() + this.#gatherMs));
    });
  }

  /** Gives every held wait back unpolled, and takes no more (the worker closes: they go back to Redis as they were). */
  release(): void {
    this.#released = true;
    this.#disarm();
    for (const held of this.#held.splice(0)) held.resolve(RELEASED);
  }

  #arm(at: number): void {
    if (this.#released || at >= this.#timerAt) return;
    this.#disarm();
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#flush(), Math.max(0, at - Date.now()));
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  #flush(): void {
    this.#disarm();
    if (this.#held.length === 0) return;
    this.#pausedFor().then(
      (ms) => {
        if (ms > 0) this.#arm(Date.now() + ms);
        else this.#send();
      },
      // Redis cannot say: the request goes (a pause is a courtesy; the vendor's answer rules).
      () => this.#send(),
    );
  }

  #send(): void {
    const held = this.#held.splice(0);
    for (const throwOnFailure of [true, false]) {
      const group = held.filter((entry) => entry.throwOnFailure === throwOnFailure);
      if (group.length === 0) continue;
      pollWaits(this.#client, group.map((entry) => entry.state), { throwOnFailure }).then(
        (steps) => group.forEach((entry, index) => entry.resolve(steps[index] as WaitStep<unknown>)),
        (error: unknown) => group.forEach((entry) => entry.reject(error)),
      );
    }
  }
}
