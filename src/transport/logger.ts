/**
 * Where a client writes what it does. `console` fits, and so do pino or winston loggers.
 * Every method is optional. Nothing logged holds a credential.
 */
export interface Logger {
  /** Each answer (method, path, status, duration) and each retry. */
  debug?(message: string, fields?: Record<string, unknown>): void;
  /** Informational events. */
  info?(message: string, fields?: Record<string, unknown>): void;
  /** Warnings about the client's use or setup. */
  warn?(message: string, fields?: Record<string, unknown>): void;
  /** Errors. */
  error?(message: string, fields?: Record<string, unknown>): void;
}
