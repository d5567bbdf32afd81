import { SHIPPED_VENDORS } from '../../adapters/registry.js';
import type { Logger } from '../transport/logger.js';
import { isVendorCommand } from '../vendor/descriptor.js';
import type { VendorRegistry } from '../vendor/registry.js';
import { parseCommandLine, usage, type ParsedArgs } from './args.js';
import { checkCommandFlags, envSwitch, FLAG_ENV, type ConfigContext } from './config.js';
import type { CommandContext } from './context.js';
import { EXIT, exitCodeFor, UsageError } from './exit-codes.js';
import { commandHelp, HELP_COMMANDS } from './help.js';
import { errorLine, makeStyler, type Io } from './output.js';
import { RetryTally } from './retries.js';
import { terminalSafe } from './terminal-text.js';
import { warningPrinter } from './messages.js';
import { ACTIONS, actionCommand, type Action } from './commands/actions.js';
import { demoCommand } from './commands/demo.js';
import { getCommand } from './commands/get.js';
import { listCommand } from './commands/list.js';
import { simulateCommand } from './commands/simulate.js';
import { waitCommand } from './commands/wait.js';
import { workerCommand } from './commands/worker.js';

/** What {@link main} runs with, besides argv and the streams. */
export interface MainOptions {
  /** The vendors the command line knows. @default SHIPPED_VENDORS */
  vendors?: VendorRegistry;
  /** `--version`'s answer. @default () => 'unknown' */
  version?: () => string;
  /** Reads all of stdin (for `--password-stdin`). @default process.stdin */
  readStdin?: () => Promise<string>;
  /** Prints a warning (once). @default a {@link warningPrinter} on stderr */
  warn?: (message: string) => void;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Prints a command's error on stderr, in one line (a usage error points to the command's `--help`). */
export function printError(io: Io, error: unknown, command?: string): void {
  const line = errorLine(error, makeStyler(io, io.stderr));
  if (!(error instanceof UsageError)) {
    io.stderr.write(line);
    return;
  }
  const help = command !== undefined && HELP_COMMANDS.includes(command) ? `jobwait ${command} --help` : 'jobwait --help';
  io.stderr.write(`${line.slice(0, -1)} (see \`${help}\`)\n`);
}

/** The command argv names, when its first word is one (for a usage error's pointer to help). */
function commandOf(argv: readonly string[]): string | undefined {
  const first = argv.find((arg) => !arg.startsWith('-'));
  return first !== undefined && HELP_COMMANDS.includes(first) ? first : undefined;
}

/**
 * The clients' logger: each warning goes to `warn`; each debug line is counted in `retries` (the
 * live `retrying:` tally) and, when `verbose` (`--verbose`, `JOBWAIT_DEBUG`), printed on stderr.
 */
function cliLogger(io: Io, retries: RetryTally, verbose: boolean, warn: (message: string) => void): Logger {
  return {
    warn,
    debug: (message, fields) => {
      retries.record(fields);
      if (verbose) io.stderr.write(`jobwait: debug: ${terminalSafe(message.replace(/^jobwait: /, ''))}\n`);
    },
  };
}

async function dispatch(args: ParsedArgs, context: CommandContext, version: () => string): Promise<number> {
  const { io } = context;
  if (args.flags.version) {
    io.stdout.write(`${version()}\n`);
    return EXIT.SUCCEEDED;
  }
  if (args.command === 'help' || (args.flags.help && args.command === undefined)) {
    const help = args.positionals[0] === undefined ? undefined : commandHelp(args.positionals[0], context.config.vendors);
    io.stdout.write(help ?? usage(context.config.vendors));
    return EXIT.SUCCEEDED;
  }
  if (args.flags.help) {
    const help = commandHelp(args.command ?? '', context.config.vendors);
    if (help === undefined) throw new UsageError(`unknown command ${JSON.stringify(String(args.command).slice(0, 40))}`);
    io.stdout.write(help);
    return EXIT.SUCCEEDED;
  }
  // list and wait read the vendor's own flags (and refuse another's); no other command takes any.
  if (args.command !== undefined && !isVendorCommand(args.command) && HELP_COMMANDS.includes(args.command)) checkCommandFlags(context.config, args.command);
  switch (args.command) {
    case undefined:
      io.stderr.write(usage(context.config.vendors));
      return EXIT.USAGE;
    case 'wait':
      return waitCommand(context);
    case 'get':
      return getCommand(context);
    case 'list':
      return listCommand(context);
    case 'simulate':
      return simulateCommand(context);
    case 'demo':
      return demoCommand(context);
    case 'worker':
      return workerCommand(context);
    default:
      if ((ACTIONS as readonly string[]).includes(args.command)) return actionCommand(args.command as Action, context);
      throw new UsageError(`unknown command ${JSON.stringify(args.command.slice(0, 40))}`);
  }
}

/** Runs the command line; resolves with the exit code. In-process, it runs with a test's registry. */
export async function main(argv: readonly string[], io: Io, signal: AbortSignal, options: MainOptions = {}): Promise<number> {
  const vendors = options.vendors ?? SHIPPED_VENDORS;
  try {
    const args = parseCommandLine(argv, vendors);
    const retries = new RetryTally();
    const verbose = args.flags.verbose || envSwitch(io.env[FLAG_ENV.verbose]);
    const config: ConfigContext = {
      flags: args.flags,
      env: io.env,
      readStdin: options.readStdin ?? readProcessStdin,
      logger: cliLogger(io, retries, verbose, options.warn ?? warningPrinter((text) => io.stderr.write(text))),
      retries,
      vendors,
    };
    return await dispatch(args, { args, io, config, signal }, options.version ?? (() => 'unknown'));
  } catch (error) {
    printError(io, error, commandOf(argv));
    return exitCodeFor(error);
  }
}
