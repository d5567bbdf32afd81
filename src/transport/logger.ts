/**
 * Where a client writes what it does. Every method is optional. Nothing logged holds a credential.
 *
 * Two calling conventions are supported, told apart by one rule:
 * - a logger whose `levelVal` is a number (every pino logger and its children) is called as
 *   pino expects, `logger.debug(fields, message)`, so pino keeps `method`, `path` and `status` as
 *   fields of its JSON line;
 * - any other logger (`console`, winston, your own object) is called as `logger.debug(message, fields)`.
 *
 * For another fields-first logger (bunyan), pass an object that calls it so, such as
 * `{ debug: (message, fields) => log.debug(fields ?? {}, message) }`.
 */
export interface Logger {
  /**
   * Each answer (fields `method`, `path`, `status`; the duration in the message), each attempt
   * that got no answer (`method`, `path`, and `code`: the socket's, like `ECONNREFUSED`, or
   * `TIMEOUT`), and each retry.
   */
  debug?(message: string, fields?: Record<string, unknown>): void;
  /** Informational events. */
  info?(message: string, fields?: Record<string, unknown>): void;
  /** Warnings about the client's use or setup. */
  warn?(message: string, fields?: Record<string, unknown>): void;
  /** Errors. */
  error?(message: string, fields?: Record<string, unknown>): void;
  /**
   * pino's numeric level. When it is a number the logger is called fields first,
   * `(fields, message)`, as pino's methods take their arguments; otherwise message first.
   */
  readonly levelVal?: number;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A method of a fields-first logger, as jobwait calls it. */
type FieldsFirst = (fields: Record<string, unknown>, message: string) => void;

/**
 * The logger as the transport calls it, `(message, fields)`: the very logger when it takes that
 * order, else (pino: `levelVal` is a number) one that calls each of its methods fields first.
 * @internal
 */
export function messageFirst(logger: Logger | undefined): Logger | undefined {
  if (logger === undefined || logger === null || typeof logger.levelVal !== 'number') return logger;
  const adapted: Logger = {};
  for (const level of LEVELS) {
    if (typeof logger[level] !== 'function') continue;
    adapted[level] = (message, fields) => {
      if (fields === undefined) (logger[level] as (message: string) => void).call(logger, message);
      else (logger[level] as unknown as FieldsFirst).call(logger, fields, message);
    };
  }
  return adapted;
}
