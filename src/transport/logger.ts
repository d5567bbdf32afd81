/**
 * Where a client writes what it does. `console` fits, and so do pino or winston loggers.
 * Every method is optional. Nothing logged holds a credential.
 */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}
