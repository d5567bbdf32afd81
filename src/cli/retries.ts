import { statusRule } from '../errors/transient.js';

/**
 * The transient trouble a command's clients met, counted by kind: an HTTP status (`503`) or a
 * socket's code (`ECONNREFUSED`, `TIMEOUT`). It is fed by the clients' logger: the transport logs
 * every answer (with `status`) and every attempt that got no answer (with `code`) at debug. A wait
 * goes on from such trouble (the transport's retries, then the wait's next poll) without telling
 * its caller, so the CLI shows the tally live: `retrying: 503 ×4, ECONNREFUSED ×2`.
 * @internal
 */
export class RetryTally {
  readonly #counts = new Map<string, number>();
  #listener: ((kind: string) => void) | undefined;

  /** Counts one debug line's failure, if it is one: a transient status, or an attempt with no answer. */
  record(fields: Readonly<Record<string, unknown>> | undefined): void {
    const kind = failureKind(fields);
    if (kind === undefined) return;
    this.#counts.set(kind, (this.#counts.get(kind) ?? 0) + 1);
    this.#listener?.(kind);
  }

  /** Calls `listener` with the kind of each failure counted from now on (one listener: the command's reporter). */
  listen(listener: ((kind: string) => void) | undefined): void {
    this.#listener = listener;
  }

  /** The counts by kind, in the order first met. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  /** `503 ×4, ECONNREFUSED ×2`. */
  summary(): string {
    return [...this.#counts].map(([kind, count]) => `${kind} ×${count}`).join(', ');
  }
}

function failureKind(fields: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const status = fields?.['status'];
  if (typeof status === 'number') return statusRule(status).transient ? String(status) : undefined;
  const code = fields?.['code'];
  return typeof code === 'string' ? code : undefined;
}
