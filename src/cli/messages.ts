import { terminalSafe } from './terminal-text.js';

/**
 * The library's option names in its messages, and the command-line flag each is in the CLI: a
 * message the CLI prints speaks its flags (`--ca FILE`), not the library's options (`tls.ca`).
 * Longest first, so that `tls.rejectUnauthorized: false` is replaced whole.
 */
const FLAG_OF_OPTION: readonly (readonly [string, string])[] = [
  ['tls.rejectUnauthorized: false', '--insecure'],
  ['tls.ca', '--ca FILE'],
];

/** A library message in the CLI's words: each library option named by its flag. @internal */
export function inCliTerms(message: string): string {
  let text = message;
  for (const [option, flag] of FLAG_OF_OPTION) text = text.replaceAll(option, flag);
  return text;
}

/**
 * The CLI's warnings, each printed once, as `jobwait: warning: message`: a library warning comes
 * with its own `jobwait: ` prefix, which is dropped, and in the CLI's words ({@link inCliTerms}).
 * @internal
 */
export function warningPrinter(write: (text: string) => unknown): (message: string) => void {
  const printed = new Set<string>();
  return (message) => {
    const text = terminalSafe(inCliTerms(message.replace(/^jobwait:\s*/, '')));
    if (printed.has(text)) return;
    printed.add(text);
    write(`jobwait: warning: ${text}\n`);
  };
}
