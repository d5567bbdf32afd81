import { QueueEvents, type ConnectionOptions } from 'bullmq';

/** What BullMQ's event stream says of one wait. @internal */
export type WaitEvent = { kind: 'completed'; returnvalue: unknown } | { kind: 'failed'; failedReason: string } | { kind: 'delayed' };

/**
 * One queue's event stream (BullMQ's `QueueEvents`, one blocking connection), shared by every
 * `result()` and `watch()` of a producer: one listener per event kind, dispatching by job id, so
 * thousands of pending results cost a map entry each, not a listener each.
 * @internal
 */
export class WaitEvents {
  readonly #events: QueueEvents;
  readonly #listeners = new Map<string, Set<(event: WaitEvent) => void>>();
  readonly ready: Promise<void>;

  constructor(queueName: string, connection: ConnectionOptions, prefix: string) {
    this.#events = new QueueEvents(queueName, { connection, prefix });
    // Trouble reaches the calls that meet it; an 'error' event with no listener would end the process.
    this.#events.on('error', () => undefined);
    this.#events.on('completed', ({ jobId, returnvalue }) => this.#emit(jobId, { kind: 'completed', returnvalue }));
    this.#events.on('failed', ({ jobId, failedReason }) => this.#emit(jobId, { kind: 'failed', failedReason }));
    this.#events.on('delayed', ({ jobId }) => this.#emit(jobId, { kind: 'delayed' }));
    this.ready = this.#events.waitUntilReady().then(() => undefined);
  }

  /** Calls `listener` with each event of the BullMQ job `bullId`; returns the unsubscribe. */
  subscribe(bullId: string, listener: (event: WaitEvent) => void): () => void {
    let set = this.#listeners.get(bullId);
    if (!set) this.#listeners.set(bullId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(bullId);
    };
  }

  close(): Promise<void> {
    return this.#events.close();
  }

  #emit(bullId: string, event: WaitEvent): void {
    const set = this.#listeners.get(bullId);
    if (set) for (const listener of [...set]) listener(event);
  }
}
