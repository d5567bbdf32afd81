import { createHash, createHmac } from 'node:crypto';
import { encodePathSegment } from '../../src/transport/path.js';

/** The algorithm name of Huawei's API gateway signing. */
export const SDK_SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';

/** A request to sign, as it goes on the wire. */
export interface SignableRequest {
  /** The HTTP method, upper-case. */
  method: string;
  /** The path as sent (percent-encoded segments), without the query. */
  path: string;
  /** The query as sent (`a=1&b=x%20y`), without `?`; or a map of decoded values. */
  query?: string | Readonly<Record<string, string | readonly string[]>>;
  /** Every header that will be sent (any case). `content-type` and names with `_` are not signed. */
  headers: Readonly<Record<string, string>>;
  /** The body as sent; absent or empty for none. */
  body?: string;
}

/** What signing produced: the header value and the parts a gateway recomputes. */
export interface SigningResult {
  /** `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` */
  authorization: string;
  /** The signed header names, lower-case, `;`-separated. */
  signedHeaders: string;
  /** The hex HMAC-SHA256 signature. */
  signature: string;
  /** The canonical request that was hashed. */
  canonicalRequest: string;
  /** The string that was signed. */
  stringToSign: string;
}

/** `YYYYMMDDTHHMMSSZ`, the X-Sdk-Date format. */
export function formatSdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Each path segment decoded and re-encoded, with a `/` appended (in the canonical form only). */
export function canonicalUri(path: string): string {
  const encoded = path
    .split('/')
    .map((segment) => encodePathSegment(decode(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** Keys sorted, each key's values sorted, keys and values RFC 3986-encoded, `k=v` joined by `&`. */
export function canonicalQuery(query: SignableRequest['query']): string {
  const pairs = new Map<string, string[]>();
  if (typeof query === 'string') {
    for (const part of query.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const key = decode((eq === -1 ? part : part.slice(0, eq)).replace(/\+/g, '%20'));
      const value = eq === -1 ? '' : decode(part.slice(eq + 1).replace(/\+/g, '%20'));
      pairs.set(key, [...(pairs.get(key) ?? []), value]);
    }
  } else if (query) {
    for (const [key, value] of Object.entries(query)) pairs.set(key, typeof value === 'string' ? [value] : [...value]);
  }
  const encoded = [...pairs.entries()].map(([key, values]) => [encodePathSegment(key), values.map(encodePathSegment).sort(compare)] as const);
  encoded.sort(([a], [b]) => compare(a, b));
  return encoded.flatMap(([key, values]) => values.map((value) => `${key}=${value}`)).join('&');
}

/** Header names that are signed: lower-cased and sorted, leaving out `content-type` and names with `_`. */
export function signedHeaderNames(headers: Readonly<Record<string, string>>): string[] {
  return Object.keys(headers)
    .map((name) => name.toLowerCase())
    .filter((name) => name !== 'content-type' && !name.includes('_'))
    .sort(compare);
}

/**
 * Signs a request with SDK-HMAC-SHA256, as Huawei's API gateway verifies it. The caller puts
 * `X-Sdk-Date` (and `Host`, `X-Project-Id`, `X-Security-Token` where they apply) in `headers`.
 */
export function signRequest(request: SignableRequest, accessKey: string, secretKey: string): SigningResult {
  return signRequestOver(request, signedHeaderNames(request.headers), accessKey, secretKey);
}

/**
 * Signs a request over exactly the header names given (lower-case, in their order), whatever else
 * `headers` holds: how a gateway recomputes the signature over the `SignedHeaders` a client listed.
 * A name that `headers` lacks is signed with an empty value.
 * @internal
 */
export function signRequestOver(request: SignableRequest, names: readonly string[], accessKey: string, secretKey: string): SigningResult {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) lower[name.toLowerCase()] = value;
  const sdkDate = lower['x-sdk-date'];
  if (sdkDate === undefined) throw new Error('X-Sdk-Date must be set before signing');
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((name) => `${name}:${(lower[name] ?? '').trim()}\n`).join('');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(request.path),
    canonicalQuery(request.query),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(request.body ?? ''),
  ].join('\n');
  const stringToSign = `${SDK_SIGNING_ALGORITHM}\n${sdkDate.trim()}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', secretKey).update(stringToSign, 'utf8').digest('hex');
  return {
    authorization: `${SDK_SIGNING_ALGORITHM} Access=${accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    signedHeaders,
    signature,
    canonicalRequest,
    stringToSign,
  };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Byte order, as the gateway sorts (not the locale's). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
