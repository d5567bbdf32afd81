/**
 * How many requests each client runs at once (its `maxConcurrentRequests`), by client: the
 * scheduler admits no more polls than that, so a poll that waits for a slot holds no request.
 * A custom `JobSource` declares none: its polls go out when they are due.
 * @internal
 */
const budgets = new WeakMap<object, number>();

/** The request budget of `client`, if it declared one. @internal */
export function requestBudgetOf(client: object): number | undefined {
  return budgets.get(client);
}

/** Declares `client`'s request budget (a view of a client may share its client's). @internal */
export function setRequestBudget(client: object, maxConcurrent: number): void {
  budgets.set(client, maxConcurrent);
}
