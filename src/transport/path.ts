import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** The longest id a client accepts. */
export const MAX_ID_LENGTH = 256;

/**
 * Checks an id that goes into a URL path: a non-empty string of at most 256 characters, no control
 * characters, not `.` or `..`. Throws `InvalidArgumentError` before any request.
 */
export function assertPathId(id: unknown, argument = 'id', pattern?: RegExp, patternHint?: string): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) throw new InvalidArgumentError(argument, 'must be a non-empty string');
  if (id.length > MAX_ID_LENGTH) throw new InvalidArgumentError(argument, `must be at most ${MAX_ID_LENGTH} characters, got ${id.length}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id)) throw new InvalidArgumentError(argument, 'must not contain control characters');
  if (id === '.' || id === '..') throw new InvalidArgumentError(argument, 'must not be a dot segment');
  if (pattern && !pattern.test(id)) throw new InvalidArgumentError(argument, `${patternHint ?? `must match ${String(pattern)}`}, got ${JSON.stringify(id.slice(0, 80))}`);
}

/**
 * Percent-encodes one path segment strictly (RFC 3986 unreserved characters stay, upper-case hex):
 * no id can reach another path or add a query. The one RFC 3986 encoder (the Huawei signer's
 * canonical form uses it too).
 */
export function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Checks an id that goes into a URL path and percent-encodes it as one path segment, so no id can
 * reach another path or add a query. The id must be a non-empty string of at most 256 characters,
 * without control characters, not `.` or `..`, and match `pattern` when one is given; otherwise
 * this throws `InvalidArgumentError` (naming `argument`), before any request.
 *
 * @param id - the id, as the caller gave it
 * @param argument - the argument's name in the error
 * @param pattern - a pattern the id must also match
 * @param patternHint - what the error says when the pattern does not match
 */
export function pathSegment(id: unknown, argument = 'id', pattern?: RegExp, patternHint?: string): string {
  assertPathId(id, argument, pattern, patternHint);
  return encodePathSegment(id);
}

/** A query value as given, or a list joined with `|` (ONTAP's "any of"). */
export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

/** Builds `?a=1&b=x%7Cy` from an object; `undefined` values are left out. */
export function buildQuery(query: Readonly<Record<string, QueryValue>> | undefined, listSeparator = '|'): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(listSeparator) : String(value);
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** Parses and checks a base URL: http(s), no credentials, no query or fragment. */
export function parseBaseUrl(value: unknown, argument: string): { origin: string; basePath: string; host: string } {
  if (typeof value !== 'string' && !(value instanceof URL)) throw new InvalidArgumentError(argument, 'must be a URL string');
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new InvalidArgumentError(argument, 'is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidArgumentError(argument, `must be http: or https:, got ${url.protocol}`);
  if (url.username || url.password) throw new InvalidArgumentError(argument, 'must not carry credentials; pass them in `auth`');
  if (url.search || url.hash) throw new InvalidArgumentError(argument, 'must not have a query or fragment');
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, ''), host: url.host };
}

/** A `/` or `\` that a proxy could read as a segment separator: `\`, `%2F`, `%5C`. */
const SEPARATOR_IN_SEGMENT = /\\|%2f|%5c/i;

/**
 * Resolves a URL path's `.` and `..` segments (RFC 3986 §5.2.4, `%2e`/`%2E` read as `.`) and returns
 * it when it is still under `prefix` (`prefix/…`), else `undefined`. A path that is not absolute, or
 * that holds `\`, `%2F` or `%5C` (a separator a proxy could decode inside a segment), is refused
 * too. Pass the path without its query.
 */
export function resolvePathUnder(path: string, prefix: string): string | undefined {
  if (!path.startsWith('/') || SEPARATOR_IN_SEGMENT.test(path)) return undefined;
  const segments = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i] as string;
    const dots = segment.length <= 6 ? segment.replace(/%2e/gi, '.') : segment;
    if (dots === '.' || dots === '..') {
      if (dots === '..') out.pop();
      if (i === segments.length - 1) out.push(''); // `/a/b/..` is `/a/`
    } else {
      out.push(segment);
    }
  }
  const resolved = `/${out.join('/')}`;
  return resolved.startsWith(`${prefix}/`) ? resolved : undefined;
}
