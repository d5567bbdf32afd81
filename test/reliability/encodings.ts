/**
 * How servers echo a credential: the forms the reliability suites write their echoes in, so the
 * fault matrix and the secrets sweep both aim every encoding at the client. Used by
 * fault-matrix.test.ts and secrets-sweep.test.ts.
 */

/** `\uXXXX` of each UTF-16 unit, upper-case hex when `upper`. */
function uEscape(char: string, upper = false): string {
  let out = '';
  for (let i = 0; i < char.length; i++) {
    const hex = char.charCodeAt(i).toString(16).padStart(4, '0');
    out += `\\u${upper ? hex.toUpperCase() : hex}`;
  }
  return out;
}

/**
 * A text that holds `secret` in every form a server writes it in a string value: as is, JSON-escaped
 * once more (JSON in a JSON string), each character a `\u` escape, and percent-encoded in upper- and
 * lower-case hex.
 */
export function echoEveryForm(secret: string): string {
  const json = JSON.stringify(secret).slice(1, -1);
  const percent = encodeURIComponent(secret);
  return [secret, json, [...secret].map((c) => uEscape(c, true)).join(''), percent, percent.replace(/%[0-9A-F]{2}/g, (c) => c.toLowerCase())].join(' | ');
}

/**
 * JSON as an encoder of another language writes it: `/` as `\/` (PHP, Java) and every non-ASCII
 * character as `\u` escapes (Python's `ensure_ascii`).
 */
export function foreignJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[^\x20-\x7e]/gu, (c) => uEscape(c));
}
