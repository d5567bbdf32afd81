/**
 * Text from a server, made safe for a terminal: a job's message can carry escape sequences (colours,
 * an OSC 8 hyperlink, a cursor move, a C1 CSI) that a terminal would obey. Every human line the CLI
 * prints (tty and plain, stdout and stderr) passes server text through {@link terminalSafe};
 * NDJSON lines go through {@link jsonLine}.
 * @internal
 */

/** C0 controls but tab and newline, DEL, and C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** DEL and C1, which `JSON.stringify` leaves raw (it escapes only C0). */
const RAW_IN_JSON = /[\u007f-\u009f]/g;

const hex = (char: string): string => char.charCodeAt(0).toString(16).padStart(2, '0');

/** Escapes every control character but newline and tab, visibly (`ESC` becomes `\x1b`). @internal */
export function terminalSafe(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS, (char) => `\\x${hex(char)}`) : text;
}

/**
 * One NDJSON line: `JSON.stringify`, with DEL and C1 escaped as `\u00XX` too. Still JSON that
 * parses to the same value: those characters can only occur inside strings.
 * @internal
 */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(RAW_IN_JSON, (char) => `\\u00${hex(char)}`)}\n`;
}
