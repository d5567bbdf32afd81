/**
 * The body of each request as the loopback server received it. A fetch `Request` cannot carry the
 * body of a GET or HEAD, yet clients send one (Huawei's SDK sends `{}` and signs its hash), so the
 * server notes it here for the handlers that must see it (the simulated gateway's signature check).
 */
const received = new WeakMap<Request, string>();

/** Notes the body `request` arrived with. @internal */
export function noteReceivedBody(request: Request, body: string): void {
  received.set(request, body);
}

/**
 * The body `request` arrived with at the loopback server, or, for a request that did not come
 * through it (msw handlers in a setup of your own), the request's own body. Leaves `request` unread.
 * @internal
 */
export async function receivedBody(request: Request): Promise<string> {
  return received.get(request) ?? (await request.clone().text());
}
