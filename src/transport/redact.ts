import { inspect } from 'node:util';

/** The text that replaces a secret. */
export const REDACTED = '[REDACTED]';

/**
 * Secrets shorter than this are redacted only where they stand as a whole token (see
 * {@link createRedactor}): cut everywhere, a two-letter password would mangle ordinary words.
 */
export const SHORT_SECRET_LENGTH = 4;

/**
 * Cuts a client's secrets out of what it hands out.
 *
 * Called on a text, it cuts every secret in every form a server may write it in: as is,
 * JSON-escaped (`\"`, `\\`, `\/`, `\b\f\n\r\t`, `\uXXXX` in either hex case, mixed per
 * character, and escaped again, three levels deep: JSON in a JSON string), percent-encoded (UTF-8
 * bytes, either hex case; `+` for a space). Request signatures (`Signature=<hex>`, `"signature": "<hex>"`, with the
 * separator in any of those forms) are cut by their shape.
 * @internal
 */
export interface Redactor {
  (text: string): string;
  /**
   * Cuts the secrets out of every string and key of a value parsed from the JSON text `source`
   * (where every escape is decoded), in place where it can; returns the value. It walks the value
   * only when `source` could hold a secret at all, so a clean answer costs a few substring checks.
   */
  json<T>(value: T, source: string): T;
  /**
   * An error (a caller's dispatcher may quote the request, its Authorization header, in one) with
   * every secret cut from its message, stack, string fields and causes: the very error when there
   * is nothing to cut, else a copy that keeps its name, `code` and the other plain fields.
   */
  error(error: unknown): unknown;
}

/**
 * Makes the {@link Redactor} of a client's secrets. A secret of {@link SHORT_SECRET_LENGTH} or more
 * characters is cut wherever it occurs, inside words too. A shorter one is cut where it stands as
 * a whole token: neither preceded nor followed by a letter, a digit or `_` (an escape next to it,
 * such as `%3D` or `\n`, counts as a boundary), in every form above. Empty and non-string
 * secrets are ignored.
 * @internal
 */
export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const list = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length > 0))].sort((a, b) => b.length - a.length);
  const pattern = list.length === 0 ? undefined : new RegExp(list.map(secretPattern).join('|'), 'gu');
  // Without an escape introducer, a text can hold a secret only as is.
  const plusForSpace = list.some((s) => s.includes(' '));
  const mayHold = (text: string): boolean =>
    text.includes('\\') || text.includes('%') || (plusForSpace && text.includes('+')) || list.some((s) => text.includes(s)) || SIGNATURE_HINT.test(text);

  const redactText = (text: string): string => {
    let out = text;
    if (pattern !== undefined) out = out.replace(pattern, REDACTED);
    if (SIGNATURE_HINT.test(out) || out.includes('\\') || out.includes('%')) out = out.replace(SIGNATURE, cutSignature);
    return out;
  };

  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return redactText(value);
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = walk(value[i]);
      return value;
    }
    const record = value as Record<string, unknown>;
    let renamed = false;
    for (const key of Object.keys(record)) {
      const item = record[key];
      record[key] = typeof item === 'string' && SIGNATURE_HINT.test(key) && SIGNATURE_VALUE.test(item) ? REDACTED : walk(item);
      if (redactText(key) !== key) renamed = true;
    }
    if (!renamed) return record;
    // A key that holds a secret: rebuild the object in its order (defineProperty: `__proto__` is a key).
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record)) Object.defineProperty(out, redactText(key), { value: record[key], enumerable: true, writable: true, configurable: true });
    return out;
  };

  const redactError = (error: unknown, depth: number): unknown => {
    if (!(error instanceof Error) || depth > MAX_CAUSE_DEPTH) return error;
    const cause = redactError(error.cause, depth + 1);
    const fields: [string, unknown][] = [];
    let changed = cause !== error.cause || redactText(error.message) !== error.message || (error.stack !== undefined && redactText(error.stack) !== error.stack);
    for (const key of Object.keys(error)) {
      if (key === 'cause') continue;
      const value = (error as unknown as Record<string, unknown>)[key];
      if (typeof value === 'string') {
        const clean = redactText(value);
        if (clean !== value) changed = true;
        fields.push([key, clean]);
      } else if (typeof value === 'object' && value !== null) {
        // A structure (the request's options, its headers) is kept only when it shows no secret.
        const shown = inspect(value, { depth: 10, showHidden: true });
        if (redactText(shown) === shown) fields.push([key, value]);
        else changed = true;
      } else if (typeof value !== 'function') {
        fields.push([key, value]);
      }
    }
    if (!changed) return error;
    const copy = new Error(redactText(error.message), cause === undefined ? undefined : { cause });
    Object.defineProperty(copy, 'name', { value: error.name, writable: true, configurable: true });
    for (const [key, value] of fields) Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
    copy.stack = error.stack === undefined ? `${error.name}: ${copy.message}` : redactText(error.stack);
    return copy;
  };

  const redactor = redactText as Redactor;
  redactor.json = <T>(value: T, source: string): T => (mayHold(source) ? (walk(value) as T) : value);
  redactor.error = (error) => redactError(error, 0);
  return redactor;
}

/** How deep a chain of causes {@link Redactor.error} follows. */
const MAX_CAUSE_DEPTH = 8;

/** The pattern of one secret: each character in any of its forms; a short secret bounded as a token. */
function secretPattern(secret: string): string {
  let body = '';
  for (const char of secret) body += charPattern(char);
  if (secret.length >= SHORT_SECRET_LENGTH) return body;
  return `${TOKEN_START}${body}(?![\\p{L}\\p{N}_])`;
}

/** Not after a letter, digit or `_`, unless that is the end of an escape (`%3D`, `\u0022`, `\n`). */
const TOKEN_START = '(?:(?<![\\p{L}\\p{N}_])|(?<=%[0-9A-Fa-f]{2})|(?<=\\\\u[0-9A-Fa-f]{4})|(?<=\\\\[bfnrt]))';

/** The characters JSON escapes with a backslash and a letter (or themselves); a backslash is handled apart. */
const JSON_SHORT_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '/': '/', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't' };

/**
 * The backslashes of an escape, JSON in JSON in JSON deep (`\"` is `\\\"` one level down, and
 * `\\\\\\\"` the next). Bounded, so a run of backslashes costs a few steps per position, not
 * the whole run: a body of backslashes must not take the client quadratic time.
 */
const BACKSLASHES = String.raw`\\{1,8}`;

/** One character as is, JSON-escaped (three levels deep) or percent-encoded. */
function charPattern(char: string): string {
  const forms: string[] = [char === '\\' ? BACKSLASHES : escapeRegExp(char)];
  const short = JSON_SHORT_ESCAPES[char];
  if (short !== undefined) forms.push(`${BACKSLASHES}${short}`);
  // `\uXXXX`, a surrogate pair for a character beyond the BMP.
  let units = '';
  for (let i = 0; i < char.length; i++) units += `${BACKSLASHES}u${hexPattern(char.charCodeAt(i), 4)}`;
  forms.push(units);
  forms.push([...Buffer.from(char, 'utf8')].map((byte) => `%${hexPattern(byte, 2)}`).join(''));
  if (char === ' ') forms.push('\\+');
  return `(?:${forms.join('|')})`;
}

/** A number in hex of `width` digits, each letter in either case. */
function hexPattern(value: number, width: number): string {
  return [...value.toString(16).padStart(width, '0')].map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit)).join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// A request signature is made per request, so it is no listed secret: cut it by its shape, the
// word, the separator and the hex in any of the forms above. (Written out by hand: built from
// charPattern with counted repeats, the pattern took V8 some 100 ms to compile.)
const SIGNATURE_HINT = /signature/i;
/** A letter in any of its forms, either case. */
const anyCase = (char: string): string => `(?:${charPattern(char.toLowerCase())}|${charPattern(char.toUpperCase())})`;
const SEPARATOR = String.raw`(?:[\s"'=:\\]|%3[dDaA]|%2[027]|\\u00(?:3[dDaA]|2[027]))+`;
/** A hex digit as is, as `\u0030`–`\u0066` (three levels deep) or percent-encoded. */
const HEX_DIGIT = String.raw`(?:[0-9a-fA-F]|\\{1,8}u00(?:3[0-9]|[46][1-6])|%(?:3[0-9]|[46][1-6]))`;
/** `Signature=<hex>` as in the header, `"signature": "<hex>"` as a server may echo it. */
const SIGNATURE = new RegExp(`((?:${[...'signature'].map(anyCase).join('')})${SEPARATOR})(${HEX_DIGIT}+)`, 'g');
/** Cuts the hex of a signature of at least 16 hex digits, however they were written. */
const cutSignature = (match: string, prefix: string, hex: string): string => (hex.replace(/\\{1,8}u00..|%../g, '0').length >= 16 ? `${prefix}${REDACTED}` : match);
/** The parsed form of `"signature": "<hex>"`: a key that names a signature (`SIGNATURE_HINT`) and a hex value. */
const SIGNATURE_VALUE = /^[0-9a-f]{16,}$/i;
