/** Every `code` a jobwait error can have. */
export type JobwaitErrorCode =
  | 'JOB_FAILED'
  | 'JOB_CANCELLED'
  | 'JOB_TIMEOUT'
  | 'JOB_NOT_FOUND'
  | 'ABORTED'
  | 'CLIENT_CLOSED'
  | 'API_ERROR'
  | 'AUTHENTICATION'
  | 'RATE_LIMITED'
  | 'NETWORK'
  | 'INVALID_RESPONSE'
  | 'UNSUPPORTED'
  | 'INVALID_ARGUMENT'
  | 'QUEUE_UNAVAILABLE'
  | 'WAIT_NOT_FOUND';

/**
 * The base of every error jobwait throws. Branch on `instanceof` or on the string `code`.
 *
 * Messages, `util.inspect` and `JSON.stringify` output never hold credentials: the transport keeps
 * them out of every value an error carries.
 */
export class JobwaitError extends Error {
  /** The class name of the error, fixed per class. */
  declare readonly name: string;
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: JobwaitErrorCode;

  /** @internal */
  protected constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }

  /** A plain, secret-free object: `name`, `code`, `message` and the error's own fields. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) json[key] = value;
    if (this.cause !== undefined) json['cause'] = describeCause(this.cause);
    return json;
  }
}

/**
 * Gives an error class its literal `name` and `code` on the prototype, so they hold from the first
 * line of the constructor (and in the stack header) and stay out of `Object.keys`.
 * @internal
 */
export function brand(target: { prototype: object }, name: string, code: JobwaitErrorCode): void {
  Object.defineProperty(target.prototype, 'name', { value: name, writable: true, configurable: true });
  Object.defineProperty(target.prototype, 'code', { value: code, writable: false, configurable: true });
}

function describeCause(cause: unknown): unknown {
  if (cause instanceof JobwaitError) return cause.toJSON();
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? { name: cause.name, code, message: cause.message } : { name: cause.name, message: cause.message };
  }
  if (typeof cause === 'string' || typeof cause === 'number' || typeof cause === 'boolean') return cause;
  return String(cause);
}

brand(JobwaitError, 'JobwaitError', 'API_ERROR');
