/**
 * Where a client writes what it does. `console` fits, and so do pino or winston loggers.
 * Every method is optional. Nothing logged holds a credential.
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
}
