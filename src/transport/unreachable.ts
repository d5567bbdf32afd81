/**
 * Socket error codes that show a request never left this machine: its host name did not resolve,
 * or no connection to it could be made. Such a request provably never reached the server.
 *
 * `EAI_AGAIN` (the resolver gave no answer) is among them: where no name server is reachable, as in
 * a container without DNS, every name fails that way, a mistyped one too. Until the origin has
 * answered once, it cannot be told from a wrong URL.
 */
const UNREACHABLE_REASONS: ReadonlyMap<string, string> = new Map([
  ['ENOTFOUND', 'the host name does not resolve'],
  ['EAI_AGAIN', 'DNS gave no answer for the host name'],
  ['ECONNREFUSED', 'connection refused'],
  ['EHOSTUNREACH', 'no route to the host'],
  ['ENETUNREACH', 'the network is unreachable'],
]);

/** The error code of a transport failure (undici's own, or the socket error it wraps). @internal */
export function socketErrorCode(error: unknown): unknown {
  const cause = (error as { cause?: unknown } | undefined)?.cause ?? error;
  return (cause as { code?: unknown } | undefined)?.code;
}

/** Why a request never reached its server, read from its failure's code; `undefined` when it may have. @internal */
export function unreachableReason(code: unknown): string | undefined {
  return typeof code === 'string' ? UNREACHABLE_REASONS.get(code) : undefined;
}
