/** Where a client's pauses (a 429, or a 503 with `Retry-After`) can be heard. @internal */
export interface PauseFeed {
  /** Calls `listener` with the pause's length in milliseconds each time the client pauses; returns the unsubscribe. */
  onPause(listener: (ms: number) => void): () => void;
}

interface Budget {
  maxConcurrent: number;
  pauses: PauseFeed | undefined;
}

/**
 * How many requests each client runs at once (its `maxConcurrentRequests`), by client: the
 * scheduler admits no more polls than that, so a poll that waits for a slot holds no request.
 * A custom `JobSource` declares none: its polls go out when they are due.
 * @internal
 */
const budgets = new WeakMap<object, Budget>();

/** The request budget of `client`, if it declared one. @internal */
export function requestBudgetOf(client: object): number | undefined {
  return budgets.get(client)?.maxConcurrent;
}

/** Declares `client`'s request budget (a view of a client may share its client's), and where its pauses are heard. @internal */
export function setRequestBudget(client: object, maxConcurrent: number, pauses?: PauseFeed): void {
  budgets.set(client, { maxConcurrent, pauses });
}

/**
 * Calls `listener` each time `client`'s transport pauses it for a server's `Retry-After` (or a 429):
 * a durable driver spreads the pause to its other workers. Returns the unsubscribe, or `undefined`
 * for a client with no transport of jobwait's (a custom `JobSource`).
 * @internal
 */
export function onClientPause(client: object, listener: (ms: number) => void): (() => void) | undefined {
  return budgets.get(client)?.pauses?.onPause(listener);
}
