/**
 * The signal a client aborts when it is closed, by client: the poller reads it so that `close()`
 * ends the client's running waits at once. `JobClientBase` registers every client it builds; a
 * custom `JobSource` has none (its `close()` is its own), so its waits end only when its `getJob`
 * fails permanently (such as with `ClientClosedError`) or at their deadline.
 * @internal
 */
const closingSignals = new WeakMap<object, AbortSignal>();

/** The signal that aborts when `client` is closed, if the client has one. @internal */
export function closingSignalOf(client: object): AbortSignal | undefined {
  return closingSignals.get(client);
}

/** Makes `signal` the one that aborts when `client` is closed (a wrapper may share its client's). @internal */
export function setClosingSignal(client: object, signal: AbortSignal): void {
  closingSignals.set(client, signal);
}
