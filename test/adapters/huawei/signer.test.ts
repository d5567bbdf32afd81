import { createHash, createHmac } from 'node:crypto';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { describe, expect, it } from 'vitest';
import {
  SDK_SIGNING_ALGORITHM,
  canonicalQuery,
  canonicalUri,
  formatSdkDate,
  signRequest,
  signRequestOver,
  signedHeaderNames,
  type SignableRequest,
} from '../../../adapters/huawei/signer.js';

// Huawei's published test vectors (APIG SDK): https://example.huaweicloud.com/path
const AK = 'AccessKey';
const SK = 'SecretKey';
const VECTOR_DATE = '20060102T150405Z';
const VECTOR_HEADERS = { 'X-Sdk-Date': VECTOR_DATE, TEST_UNDERSCORE: 'value' };
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const ENCODING_VECTOR = 'enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29';
const ENCODING_TEST_VALUE = '一 (&=?!#%.*)';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string, text: string): string => createHmac('sha256', key).update(text, 'utf8').digest('hex');

describe("Huawei's published SDK-HMAC-SHA256 vectors", () => {
  it('signs the GET ?limit=1 vector with an empty body to the published signature', () => {
    const result = signRequest({ method: 'GET', path: '/path', query: 'limit=1', headers: VECTOR_HEADERS, body: '' }, AK, SK);
    expect(result.signedHeaders).toBe('x-sdk-date');
    expect(result.signature).toBe('5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624');
    expect(result.authorization).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624',
    );
  });

  it('builds the canonical request and string to sign of the GET vector line by line', () => {
    const result = signRequest({ method: 'GET', path: '/path', query: 'limit=1', headers: VECTOR_HEADERS }, AK, SK);
    expect(result.canonicalRequest).toBe(`GET\n/path/\nlimit=1\nx-sdk-date:${VECTOR_DATE}\n\nx-sdk-date\n${EMPTY_SHA256}`);
    expect(result.stringToSign).toBe(`SDK-HMAC-SHA256\n${VECTOR_DATE}\n${sha256(result.canonicalRequest)}`);
    expect(result.signature).toBe(hmac(SK, result.stringToSign));
  });

  it('signs the POST ?key=value JSON vector with its trailing newline to the published signature', () => {
    const result = signRequest(
      {
        method: 'POST',
        path: '/path',
        query: 'key=value',
        headers: { ...VECTOR_HEADERS, 'Content-Type': 'application/json' },
        body: '{"Name":"test","Id":1}\n',
      },
      AK,
      SK,
    );
    expect(result.signedHeaders).toBe('x-sdk-date');
    expect(result.signature).toBe('cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59');
    expect(result.canonicalRequest.split('\n').at(-1)).toBe(sha256('{"Name":"test","Id":1}\n'));
  });

  it('does not reproduce the POST vector when the trailing newline of the body is dropped', () => {
    const result = signRequest(
      { method: 'POST', path: '/path', query: 'key=value', headers: { ...VECTOR_HEADERS, 'Content-Type': 'application/json' }, body: '{"Name":"test","Id":1}' },
      AK,
      SK,
    );
    expect(result.signature).not.toBe('cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59');
  });

  it('builds the canonical query of the encoding vector from a map of decoded values', () => {
    expect(canonicalQuery({ test: ENCODING_TEST_VALUE, path: '/tmp/123', multi: ['3', '1', '2'], limit: '1', enable: 'true' })).toBe(ENCODING_VECTOR);
  });

  it('builds the canonical query of the encoding vector from the equivalent percent-encoded wire string', () => {
    const wire = 'test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29&path=%2Ftmp%2F123&multi=3&multi=1&multi=2&limit=1&enable=true';
    expect(canonicalQuery(wire)).toBe(ENCODING_VECTOR);
  });

  it('builds the canonical query of the encoding vector from a URLSearchParams wire string that writes spaces as +', () => {
    const wire = new URLSearchParams([
      ['multi', '2'],
      ['test', ENCODING_TEST_VALUE],
      ['multi', '3'],
      ['path', '/tmp/123'],
      ['enable', 'true'],
      ['multi', '1'],
      ['limit', '1'],
    ]).toString();
    expect(wire).toContain('+'); // the space really travels as "+"
    expect(canonicalQuery(wire)).toBe(ENCODING_VECTOR);
  });
});

describe('formatSdkDate', () => {
  it('formats a date as UTC YYYYMMDDTHHMMSSZ without milliseconds', () => {
    expect(formatSdkDate(new Date('2006-01-02T15:04:05.999Z'))).toBe('20060102T150405Z');
    expect(formatSdkDate(new Date('2024-12-31T23:59:59+05:00'))).toBe('20241231T185959Z');
    expect(formatSdkDate(new Date(Date.UTC(2030, 0, 9, 1, 2, 3)))).toMatch(/^\d{8}T\d{6}Z$/);
  });
});

describe('canonicalUri', () => {
  it('appends a / to a path that does not end in one', () => {
    expect(canonicalUri('/path')).toBe('/path/');
    expect(canonicalUri('/v2/p1/cas/jobs/JOB-1')).toBe('/v2/p1/cas/jobs/JOB-1/');
  });

  it('does not double a / that is already there and maps the root and an empty path to /', () => {
    expect(canonicalUri('/path/')).toBe('/path/');
    expect(canonicalUri('/')).toBe('/');
    expect(canonicalUri('')).toBe('/');
  });

  it('percent-encodes non-ASCII characters of a segment as UTF-8 with upper-case hex', () => {
    expect(canonicalUri('/jobs/一')).toBe('/jobs/%E4%B8%80/');
    expect(canonicalUri('/jobs/é')).toBe('/jobs/%C3%A9/');
  });

  it('percent-encodes spaces and reserved characters inside a segment', () => {
    expect(canonicalUri('/a b')).toBe('/a%20b/');
    expect(canonicalUri("/x(1)*!'")).toBe('/x%281%29%2A%21%27/');
    expect(canonicalUri('/k:v@h=1&2+3,4;5$')).toBe('/k%3Av%40h%3D1%262%2B3%2C4%3B5%24/');
  });

  it('leaves the unreserved characters A-Z a-z 0-9 - _ . ~ as they are', () => {
    expect(canonicalUri('/AZaz09-_.~')).toBe('/AZaz09-_.~/');
  });

  it('encodes the one segment that needs it and keeps the others as they are', () => {
    expect(canonicalUri('/jobs/a b/x~y')).toBe('/jobs/a%20b/x~y/');
  });

  it('reads a segment that is already percent-encoded the same as its decoded form, with upper-case hex', () => {
    expect(canonicalUri('/a%20b')).toBe(canonicalUri('/a b'));
    expect(canonicalUri('/jobs/%e4%b8%80')).toBe('/jobs/%E4%B8%80/');
    expect(canonicalUri('/x%2a')).toBe('/x%2A/');
    expect(canonicalUri('/%7Euser')).toBe('/~user/');
  });

  it('keeps the / between segments as a separator and keeps an encoded / inside a segment encoded', () => {
    expect(canonicalUri('/a/b/c')).toBe('/a/b/c/');
    expect(canonicalUri('/a%2Fb')).toBe('/a%2Fb/');
  });
});

describe('canonicalQuery', () => {
  it('sorts keys', () => {
    expect(canonicalQuery('b=2&c=3&a=1')).toBe('a=1&b=2&c=3');
  });

  it("sorts each key's values and keeps every one of them", () => {
    expect(canonicalQuery('k=3&k=1&k=2')).toBe('k=1&k=2&k=3');
    expect(canonicalQuery({ k: ['b', 'c', 'a'] })).toBe('k=a&k=b&k=c');
  });

  it('sorts by byte order, not by locale (upper case before lower case)', () => {
    expect(canonicalQuery('b=1&B=2&a=3&A=4')).toBe('A=4&B=2&a=3&b=1');
    expect(canonicalQuery('k=b&k=B')).toBe('k=B&k=b');
  });

  it('decodes + as a space before encoding it as %20', () => {
    expect(canonicalQuery('q=a+b')).toBe('q=a%20b');
    expect(canonicalQuery('a+key=1')).toBe('a%20key=1');
  });

  it('keeps an encoded + (%2B) a plus and does not confuse it with a space', () => {
    expect(canonicalQuery('q=a%2Bb')).toBe('q=a%2Bb');
    expect(canonicalQuery({ q: 'a+b' })).toBe('q=a%2Bb');
  });

  it('decodes percent-escapes first, so over-encoded unreserved characters and lower-case hex normalise', () => {
    expect(canonicalQuery('q=%7E%41')).toBe('q=~A');
    expect(canonicalQuery('q=%2a%2f')).toBe('q=%2A%2F');
  });

  it('encodes keys the same way as values', () => {
    expect(canonicalQuery({ 'a b(1)': 'x y' })).toBe('a%20b%281%29=x%20y');
  });

  it('signs a key without = as a key with an empty value, and skips empty parts', () => {
    expect(canonicalQuery('flag&b=1')).toBe('b=1&flag=');
    expect(canonicalQuery('a=1&&b=2&')).toBe('a=1&b=2');
  });

  it('gives an empty string for no query', () => {
    expect(canonicalQuery('')).toBe('');
    expect(canonicalQuery(undefined)).toBe('');
    expect(canonicalQuery({})).toBe('');
  });

  it('gives the same canonical query for a wire string and the map of its decoded values', () => {
    expect(canonicalQuery('name=%E4%B8%80%20x&n=2&n=10')).toBe(canonicalQuery({ n: ['10', '2'], name: '一 x' }));
  });
});

describe('signedHeaderNames', () => {
  it('lower-cases and sorts the names and leaves out content-type and any name with _', () => {
    expect(
      signedHeaderNames({ 'X-Sdk-Date': 'd', 'Content-Type': 'application/json', TEST_UNDERSCORE: 'x', Host: 'h', 'X-Project-Id': 'p', Accept: 'a', 'x_other': 'y' }),
    ).toEqual(['accept', 'host', 'x-project-id', 'x-sdk-date']);
  });

  it('leaves out content-type in any case', () => {
    expect(signedHeaderNames({ 'CONTENT-TYPE': 'x', 'content-type': 'y', 'X-Sdk-Date': 'd' })).toEqual(['x-sdk-date']);
  });

  it('keeps content-length and other content-* headers signed', () => {
    expect(signedHeaderNames({ 'Content-Length': '3', 'X-Sdk-Date': 'd' })).toEqual(['content-length', 'x-sdk-date']);
  });
});

describe('signRequest', () => {
  const base = (): SignableRequest => ({
    method: 'GET',
    path: '/v3/p1/jobs/j1',
    query: 'a=1',
    headers: { Host: 'gw.example.com', 'X-Sdk-Date': '20240102T030405Z', 'X-Project-Id': 'p1' },
    body: '',
  });

  it('writes the Authorization header as SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<64 hex>', () => {
    const result = signRequest(base(), 'MYAK', 'MYSK');
    expect(SDK_SIGNING_ALGORITHM).toBe('SDK-HMAC-SHA256');
    expect(result.signedHeaders).toBe('host;x-project-id;x-sdk-date');
    expect(result.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(result.authorization).toBe(`SDK-HMAC-SHA256 Access=MYAK, SignedHeaders=host;x-project-id;x-sdk-date, Signature=${result.signature}`);
  });

  it('trims header values in the canonical headers, so padded values sign like bare ones', () => {
    const padded = signRequest({ ...base(), headers: { Host: '  gw.example.com ', 'X-Sdk-Date': '20240102T030405Z', 'X-Project-Id': '\t p1 ' } }, AK, SK);
    const bare = signRequest(base(), AK, SK);
    expect(padded.canonicalRequest).toContain('host:gw.example.com\nx-project-id:p1\nx-sdk-date:20240102T030405Z\n\n');
    expect(padded.signature).toBe(bare.signature);
  });

  it('signs the same request to the same signature every time', () => {
    const first = signRequest(base(), AK, SK);
    const second = signRequest(base(), AK, SK);
    expect(second).toEqual(first);
  });

  it('does not depend on the order or the case of the header names', () => {
    const reordered = signRequest({ ...base(), headers: { 'x-project-id': 'p1', 'X-SDK-DATE': '20240102T030405Z', HOST: 'gw.example.com' } }, AK, SK);
    expect(reordered.signature).toBe(signRequest(base(), AK, SK).signature);
    expect(reordered.signedHeaders).toBe('host;x-project-id;x-sdk-date');
  });

  it('does not depend on the order of the query parameters', () => {
    const one = signRequest({ ...base(), query: 'b=2&a=1&a=0&c=%E4%B8%80' }, AK, SK);
    const other = signRequest({ ...base(), query: 'c=%E4%B8%80&a=0&b=2&a=1' }, AK, SK);
    const asMap = signRequest({ ...base(), query: { c: '一', b: '2', a: ['1', '0'] } }, AK, SK);
    expect(other.signature).toBe(one.signature);
    expect(asMap.signature).toBe(one.signature);
  });

  it('signs the method upper-cased', () => {
    expect(signRequest({ ...base(), method: 'get' }, AK, SK).signature).toBe(signRequest(base(), AK, SK).signature);
  });

  it('refuses to sign without X-Sdk-Date', () => {
    expect(() => signRequest({ ...base(), headers: { Host: 'gw.example.com' } }, AK, SK)).toThrow(/X-Sdk-Date/);
  });

  it('signs an absent body as the hash of the empty string', () => {
    const { body: _body, ...withoutBody } = base();
    expect(signRequest(withoutBody, AK, SK).canonicalRequest.endsWith(`\n${EMPTY_SHA256}`)).toBe(true);
  });
});

describe('signRequest per method with a query of several values, non-ASCII and reserved characters', () => {
  const DATE = '20240102T030405Z';
  const SECRET = 'matrix-secret';
  const methods = ['GET', 'POST', 'PATCH', 'DELETE'] as const;

  const request = (method: string): SignableRequest => ({
    method,
    path: '/v2/p1/jobs/一 (x)',
    query: 'tag=b&tag=a&q=%E4%B8%80+%21&r=%2F%3F%26%3D',
    headers: {
      Host: 'gw.example.com',
      'X-Sdk-Date': DATE,
      'X-Project-Id': 'p1',
      'Content-Type': 'application/json',
      X_TRACE_ID: 'not-signed',
    },
    body: method === 'GET' || method === 'DELETE' ? '' : '{"name":"一","n":1}',
  });

  it.each(methods)('signs %s to the signature of the hand-written canonical request', (method) => {
    const req = request(method);
    const canonical = [
      method,
      '/v2/p1/jobs/%E4%B8%80%20%28x%29/',
      'q=%E4%B8%80%20%21&r=%2F%3F%26%3D&tag=a&tag=b',
      `host:gw.example.com\nx-project-id:p1\nx-sdk-date:${DATE}\n`,
      'host;x-project-id;x-sdk-date',
      sha256(req.body ?? ''),
    ].join('\n');
    const result = signRequest(req, 'MATRIX-AK', SECRET);
    expect(result.canonicalRequest).toBe(canonical);
    expect(result.signature).toBe(hmac(SECRET, `SDK-HMAC-SHA256\n${DATE}\n${sha256(canonical)}`));
    expect(signRequest(request(method), 'MATRIX-AK', SECRET).signature).toBe(result.signature);
  });

  const mutations: [string, (r: SignableRequest) => SignableRequest, string?][] = [
    ['the path', (r) => ({ ...r, path: '/v2/p1/jobs/一 (y)' })],
    ['the path by a trailing /', (r) => ({ ...r, path: '/v2/p1/jobs/一 (x)/x' })],
    ['a query value', (r) => ({ ...r, query: 'tag=b&tag=c&q=%E4%B8%80+%21&r=%2F%3F%26%3D' })],
    ['a query value from a space to a plus', (r) => ({ ...r, query: 'tag=b&tag=a&q=%E4%B8%80%2B%21&r=%2F%3F%26%3D' })],
    ['a query key', (r) => ({ ...r, query: 'tag=b&tag=a&Q=%E4%B8%80+%21&r=%2F%3F%26%3D' })],
    ['a dropped query value', (r) => ({ ...r, query: 'tag=b&q=%E4%B8%80+%21&r=%2F%3F%26%3D' })],
    ['a signed header value', (r) => ({ ...r, headers: { ...r.headers, 'X-Project-Id': 'p2' } })],
    ['the Host header', (r) => ({ ...r, headers: { ...r.headers, Host: 'gw.example.com:8443' } })],
    ['an added header', (r) => ({ ...r, headers: { ...r.headers, 'X-Extra': '1' } })],
    ['the body', (r) => ({ ...r, body: `${r.body ?? ''} ` })],
    ['the date', (r) => ({ ...r, headers: { ...r.headers, 'X-Sdk-Date': '20240102T030406Z' } })],
    ['the secret key', (r) => r, 'matrix-secreT'],
  ];

  for (const method of methods) {
    const other = methods.find((m) => m !== method) as string;
    it.each([['the method', (r: SignableRequest) => ({ ...r, method: other }), undefined] as const, ...mutations])(
      `changes the ${method} signature when %s changes`,
      (_what, mutate, secret) => {
        const original = signRequest(request(method), 'MATRIX-AK', SECRET).signature;
        expect(signRequest(mutate(request(method)), 'MATRIX-AK', secret ?? SECRET).signature).not.toBe(original);
      },
    );

    it(`keeps the ${method} signature when only content-type, a header with _ or the access key changes`, () => {
      const original = signRequest(request(method), 'MATRIX-AK', SECRET);
      const req = request(method);
      const unsigned = signRequest({ ...req, headers: { ...req.headers, 'Content-Type': 'text/plain', X_TRACE_ID: 'other' } }, 'OTHER-AK', SECRET);
      expect(unsigned.signature).toBe(original.signature);
      expect(unsigned.authorization).not.toBe(original.authorization);
      expect(unsigned.authorization).toContain('Access=OTHER-AK,');
    });
  }
});

describe('signRequestOver', () => {
  it("recomputes the signature of Huawei's Node SDK signer over the headers it listed (content-type, a GET body of {})", () => {
    const credential = { getAk: () => AK, getSk: () => SK };
    const sdkRequest = { endpoint: 'https://cce.example.com/api/v3/projects/p1/jobs/j1', method: 'GET', headers: { 'content-type': 'application/json', 'X-Project-Id': 'p1' }, data: {} };
    const sent = AKSKSigner.sign(sdkRequest, credential as never) as Record<string, string>;
    const [, listed, signature] = /SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(sent['Authorization'] ?? '') ?? [];
    expect(listed).toBe('content-type;host;x-project-id;x-sdk-date');
    const names = (listed ?? '').split(';');
    const recomputed = signRequestOver({ method: 'GET', path: '/api/v3/projects/p1/jobs/j1', headers: sent, body: '{}' }, names, AK, SK);
    expect(recomputed.signature).toBe(signature);
    // jobwait's own choice of names leaves content-type out, so it cannot verify the SDK's request.
    expect(signRequest({ method: 'GET', path: '/api/v3/projects/p1/jobs/j1', headers: sent, body: '{}' }, AK, SK).signature).not.toBe(signature);
  });

  it('signs over the names it is given, in their order, as signRequest does over the names it picks', () => {
    const request: SignableRequest = { method: 'GET', path: '/p', headers: { Host: 'h', 'X-Sdk-Date': '20240102T030405Z', 'Content-Type': 'application/json' } };
    expect(signRequestOver(request, signedHeaderNames(request.headers), AK, SK)).toEqual(signRequest(request, AK, SK));
    const over = signRequestOver(request, ['content-type', 'x-sdk-date'], AK, SK);
    expect(over.signedHeaders).toBe('content-type;x-sdk-date');
    expect(over.canonicalRequest).toContain('\ncontent-type:application/json\nx-sdk-date:20240102T030405Z\n\ncontent-type;x-sdk-date\n');
  });
});
