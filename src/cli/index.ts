/**
 * The `jobwait` command line. tsup adds the `#!/usr/bin/env node` line (banner) to dist/cli.js.
 * @internal
 */
import { readFileSync } from 'node:fs';
import { watchOutput } from './closed-output.js';
import { EXIT } from './exit-codes.js';
import { main, printError } from './main.js';
import { warningPrinter } from './messages.js';
import type { Io } from './output.js';

/** The package's version, from the package.json next to dist/. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

function run(): void {
  const controller = new AbortController();
  // A closed stdout or stderr (`| head -1`) stops the command quietly: nothing more is printed.
  const output = watchOutput(process.stdout, process.stderr, () => controller.abort(new Error('the output was closed')));
  let interrupts = 0;
  /** The first signal: a wait it interrupted exits 130 for SIGINT, 143 for SIGTERM (128 + its number). */
  let stoppedBy: NodeJS.Signals | undefined;
  const signalCode = (name: NodeJS.Signals): number => (name === 'SIGTERM' ? EXIT.TERMINATED : EXIT.INTERRUPTED);
  const onSignal = (name: NodeJS.Signals): void => {
    interrupts += 1;
    // A second Ctrl-C leaves at once.
    if (interrupts > 1) process.exit(signalCode(stoppedBy ?? name));
    stoppedBy = name;
    controller.abort(new Error(`interrupted by ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: Io = { stdout: output.stdout, stderr: output.stderr, env: process.env };
  // Warnings, the library's and Node's, are the CLI's own lines (once each), not Node's process
  // warnings with their `(node:PID)` prefix and `--trace-warnings` hint.
  const warn = warningPrinter((text) => io.stderr.write(text));
  process.removeAllListeners('warning');
  process.on('warning', (warning) => warn(warning.message));
  main(process.argv.slice(2), io, controller.signal, { version: packageVersion, warn }).then(
    (code) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.exitCode = output.closed ? EXIT.OUTPUT_CLOSED : code === EXIT.INTERRUPTED && stoppedBy !== undefined ? signalCode(stoppedBy) : code;
    },
    (error: unknown) => {
      printError(io, error);
      process.exitCode = output.closed ? EXIT.OUTPUT_CLOSED : EXIT.API_ERROR;
    },
  );
}

run();
