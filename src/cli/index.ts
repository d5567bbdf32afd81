/**
 * The `jobwait` command line. tsup adds the `#!/usr/bin/env node` line (banner) to dist/cli.js.
 * @internal
 */
import { readFileSync } from 'node:fs';
import { parseCommandLine, USAGE, type ParsedArgs } from './args.js';
import type { ConfigContext } from './config.js';
import type { CommandContext } from './context.js';
import { watchOutput } from './closed-output.js';
import { EXIT, exitCodeFor, UsageError } from './exit-codes.js';
import { errorLine, makeStyler, type Io } from './output.js';
import { terminalSafe } from './terminal-text.js';
import { ACTIONS, actionCommand, type Action } from './commands/actions.js';
import { demoCommand } from './commands/demo.js';
import { getCommand } from './commands/get.js';
import { listCommand } from './commands/list.js';
import { simulateCommand } from './commands/simulate.js';
import { waitCommand } from './commands/wait.js';

/** The package's version, from the package.json next to dist/. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function printError(io: Io, error: unknown): void {
  io.stderr.write(errorLine(error, makeStyler(io, io.stderr)));
  if (error instanceof UsageError) io.stderr.write('Run `jobwait --help` for usage.\n');
}

async function dispatch(args: ParsedArgs, context: CommandContext): Promise<number> {
  const { io } = context;
  if (args.flags.version) {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT.SUCCEEDED;
  }
  if (args.flags.help || args.command === 'help') {
    io.stdout.write(USAGE);
    return EXIT.SUCCEEDED;
  }
  switch (args.command) {
    case undefined:
      io.stderr.write(USAGE);
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
    default:
      if ((ACTIONS as readonly string[]).includes(args.command)) return actionCommand(args.command as Action, context);
      throw new UsageError(`unknown command ${JSON.stringify(args.command.slice(0, 40))}`);
  }
}

/** Runs the command line; resolves with the exit code. */
export async function main(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
  try {
    const args = parseCommandLine(argv);
    const config: ConfigContext = {
      flags: args.flags,
      env: io.env,
      readStdin,
      logger: { warn: (message) => void io.stderr.write(`jobwait: warning: ${terminalSafe(message)}\n`) },
    };
    return await dispatch(args, { args, io, config, signal });
  } catch (error) {
    printError(io, error);
    return exitCodeFor(error);
  }
}

function run(): void {
  const controller = new AbortController();
  // A closed stdout or stderr (`| head -1`) stops the command quietly: nothing more is printed.
  const output = watchOutput(process.stdout, process.stderr, () => controller.abort(new Error('the output was closed')));
  let interrupts = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    interrupts += 1;
    // A second Ctrl-C leaves at once.
    if (interrupts > 1) process.exit(EXIT.INTERRUPTED);
    controller.abort(new Error(`interrupted by ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: Io = { stdout: output.stdout, stderr: output.stderr, env: process.env };
  main(process.argv.slice(2), io, controller.signal).then(
    (code) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.exitCode = output.closed ? EXIT.OUTPUT_CLOSED : code;
    },
    (error: unknown) => {
      printError(io, error);
      process.exitCode = output.closed ? EXIT.OUTPUT_CLOSED : EXIT.API_ERROR;
    },
  );
}

run();
