import type { ParsedArgs } from './args.js';
import type { ConfigContext } from './config.js';
import type { Io } from './output.js';

/** What every command gets. */
export interface CommandContext {
  args: ParsedArgs;
  io: Io;
  config: ConfigContext;
  /** Aborted on SIGINT / SIGTERM. */
  signal: AbortSignal;
}
