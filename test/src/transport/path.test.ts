import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/errors/invalid-argument-error.js';
import { assertPathId, buildQuery, encodePathSegment, MAX_ID_LENGTH, parseBaseUrl, resolvePathUnder } from '../../../src/transport/path.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('encodePathSegment', () => {
  it('leaves RFC 3986 unreserved characters as they are', () => {
    expect(encodePathSegment('AZaz09-._~')).toBe('AZaz09-._~');
    expect(encodePathSegment('1cd8a442-86d1-11e0-ae1c-123478563412')).toBe('1cd8a442-86d1-11e0-ae1c-123478563412');
  });

  it.each([
    ['/', '%2F'],
    ['?', '%3F'],
    ['#', '%23'],
    ['%', '%25'],
    [' ', '%20'],
    ["'", '%27'],
    ['(', '%28'],
    [')', '%29'],
    ['*', '%2A'],
    ['!', '%21'],
    ['&', '%26'],
    ['=', '%3D'],
    ['+', '%2B'],
    [';', '%3B'],
    [':', '%3A'],
    ['@', '%40'],
    ['\\', '%5C'],
  ])('percent-encodes %j as %s', (input, expected) => {
    expect(encodePathSegment(input)).toBe(expected);
  });

  it('encodes non-ASCII characters as UTF-8 bytes', () => {
    expect(encodePathSegment('é')).toBe('%C3%A9');
  });

  it('turns a traversal attempt into one harmless segment', () => {
    const encoded = encodePathSegment('../../admin?x=1#frag');
    expect(encoded).toBe('..%2F..%2Fadmin%3Fx%3D1%23frag');
    expect(encoded).not.toMatch(/[/?#]/);
  });

  it('keeps every id that assertPathId accepts inside its own path segment, without query or fragment', () => {
    const base = 'https://cluster.example.com/api/cluster/jobs/';
    for (const id of ['...', '../secrets', '..\\x', 'a/b', 'x?fields=*', 'x#y', '%2e%2e', '%2e%2e%2f', "a'b(c)*", 'a b', '%', '..%2F..', '\\..\\', '.%2e']) {
      assertPathId(id);
      const url = new URL(base + encodePathSegment(id));
      expect(url.pathname.startsWith('/api/cluster/jobs/'), id).toBe(true);
      const segment = url.pathname.slice('/api/cluster/jobs/'.length);
      expect(segment, id).not.toContain('/');
      expect(segment.length, id).toBeGreaterThan(0);
      expect(url.search, id).toBe('');
      expect(url.hash, id).toBe('');
      expect(decodeURIComponent(segment), id).toBe(id);
    }
  });

  it('leaves "." and ".." as they are (unreserved), which is why assertPathId refuses them', () => {
    // WHATWG URLs treat even %2E%2E as a dot segment, so no encoding could make ".." safe:
    // the guard is assertPathId, used before every encodePathSegment in the adapters
    expect(encodePathSegment('..')).toBe('..');
    expect(encodePathSegment('.')).toBe('.');
    expect(() => assertPathId('..')).toThrow(InvalidArgumentError);
    expect(() => assertPathId('.')).toThrow(InvalidArgumentError);
  });
});

describe('assertPathId', () => {
  it('accepts an ordinary id and one of exactly the maximum length', () => {
    expect(() => assertPathId('job-1')).not.toThrow();
    expect(() => assertPathId('x'.repeat(MAX_ID_LENGTH))).not.toThrow();
    expect(MAX_ID_LENGTH).toBe(256);
  });

  it('refuses a non-string or empty id with InvalidArgumentError naming the argument', () => {
    for (const value of ['', undefined, null, 42, {}, ['a']]) {
      const error = thrown(() => assertPathId(value, 'uuid'));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('uuid');
      expect((error as InvalidArgumentError).code).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toMatch(/non-empty string/);
    }
  });

  it('refuses an id longer than 256 characters', () => {
    const error = thrown(() => assertPathId('x'.repeat(MAX_ID_LENGTH + 1)));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/at most 256/);
    expect((error as InvalidArgumentError).argument).toBe('id');
  });

  it.each(['a\nb', 'a\rb', 'a\u0000b', '\t', 'a\u001fb', 'a\u007fb'])('refuses an id with a control character (%j)', (id) => {
    const error = thrown(() => assertPathId(id));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/control characters/);
  });

  it('refuses the dot segments "." and ".." but accepts ids that merely contain dots', () => {
    expect(thrown(() => assertPathId('.'))).toBeInstanceOf(InvalidArgumentError);
    expect(thrown(() => assertPathId('..'))).toBeInstanceOf(InvalidArgumentError);
    expect((thrown(() => assertPathId('..')) as Error).message).toMatch(/dot segment/);
    expect(() => assertPathId('...')).not.toThrow();
    expect(() => assertPathId('v1.2')).not.toThrow();
  });

  it('checks a pattern, with the hint (or the pattern) and the id in the message', () => {
    const uuid = /^[0-9a-f-]{36}$/;
    expect(() => assertPathId('1cd8a442-86d1-11e0-ae1c-123478563412', 'uuid', uuid, 'must be a UUID')).not.toThrow();
    const hinted = thrown(() => assertPathId('nope', 'uuid', uuid, 'must be a UUID')) as InvalidArgumentError;
    expect(hinted).toBeInstanceOf(InvalidArgumentError);
    expect(hinted.message).toContain('must be a UUID');
    expect(hinted.message).toContain('"nope"');
    const plain = thrown(() => assertPathId('nope', 'uuid', uuid)) as InvalidArgumentError;
    expect(plain.message).toContain(String(uuid));
  });

  it('cuts a long id in the pattern message to 80 characters', () => {
    const id = 'y'.repeat(200);
    const error = thrown(() => assertPathId(id, 'id', /^x+$/)) as Error;
    expect(error.message).toContain('y'.repeat(80));
    expect(error.message).not.toContain('y'.repeat(81));
  });
});

describe('buildQuery', () => {
  it('returns an empty string for no query or only undefined values', () => {
    expect(buildQuery(undefined)).toBe('');
    expect(buildQuery({})).toBe('');
    expect(buildQuery({ a: undefined })).toBe('');
  });

  it('joins lists with "|" (encoded) and leaves undefined values out', () => {
    expect(buildQuery({ state: ['running', 'queued'], svm: undefined, max_records: 10 })).toBe('?state=running%7Cqueued&max_records=10');
  });

  it('joins lists with another separator when asked', () => {
    expect(buildQuery({ fields: ['uuid', 'state'] }, ',')).toBe('?fields=uuid%2Cstate');
  });

  it('writes numbers and booleans as text', () => {
    expect(buildQuery({ n: 0, on: false, yes: true })).toBe('?n=0&on=false&yes=true');
  });

  it('encodes keys and values so no value can add a parameter or a fragment', () => {
    const query = buildQuery({ 'a b': 'x&admin=1#frag', description: '*snap shot*', 'svm.name': 'vs0/1?' });
    expect(query).toBe('?a%20b=x%26admin%3D1%23frag&description=*snap%20shot*&svm.name=vs0%2F1%3F');
    const params = new URL(`https://h/p${query}`).searchParams;
    expect([...params.keys()]).toEqual(['a b', 'description', 'svm.name']);
    expect(params.get('a b')).toBe('x&admin=1#frag');
    expect(params.get('svm.name')).toBe('vs0/1?');
  });

  it('keeps an empty string value', () => {
    expect(buildQuery({ q: '' })).toBe('?q=');
  });
});

describe('parseBaseUrl', () => {
  it('splits an https URL into origin, base path and host', () => {
    expect(parseBaseUrl('https://cluster1.example.com', 'baseUrl')).toEqual({ origin: 'https://cluster1.example.com', basePath: '', host: 'cluster1.example.com' });
  });

  it('accepts http, keeps the port in origin and host', () => {
    expect(parseBaseUrl('http://127.0.0.1:8080', 'baseUrl')).toEqual({ origin: 'http://127.0.0.1:8080', basePath: '', host: '127.0.0.1:8080' });
  });

  it('strips trailing slashes and keeps a base path', () => {
    expect(parseBaseUrl('https://h.example.com/', 'baseUrl').basePath).toBe('');
    expect(parseBaseUrl('https://h.example.com/proxy/ontap/', 'baseUrl').basePath).toBe('/proxy/ontap');
    expect(parseBaseUrl('https://h.example.com/proxy//', 'baseUrl').basePath).toBe('/proxy');
  });

  it('accepts a URL object', () => {
    expect(parseBaseUrl(new URL('https://h.example.com/base'), 'baseUrl')).toEqual({ origin: 'https://h.example.com', basePath: '/base', host: 'h.example.com' });
  });

  it.each(['ftp://h.example.com', 'file:///etc/passwd', 'ws://h.example.com', 'javascript:alert(1)'])('refuses the non-http scheme of %s', (value) => {
    const error = thrown(() => parseBaseUrl(value, 'baseUrl')) as InvalidArgumentError;
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.argument).toBe('baseUrl');
    expect(error.message).toMatch(/http: or https:/);
  });

  it.each(['https://h.example.com/?x=1', 'https://h.example.com/#top', 'https://h.example.com/api?fields=*'])('refuses a query or fragment in %s', (value) => {
    const error = thrown(() => parseBaseUrl(value, 'endpoint')) as InvalidArgumentError;
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.argument).toBe('endpoint');
  });

  it('refuses credentials in the URL without echoing them', () => {
    for (const value of ['https://admin:hunter22@h.example.com', 'https://admin@h.example.com', 'https://:hunter22@h.example.com']) {
      const error = thrown(() => parseBaseUrl(value, 'baseUrl')) as InvalidArgumentError;
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.message).toMatch(/credentials/);
      expect(error.message).not.toContain('hunter22');
    }
  });

  it('refuses a value that is not a URL or not a string', () => {
    for (const value of ['not a url', '', '//h.example.com', undefined, 42, {}]) {
      expect(thrown(() => parseBaseUrl(value, 'baseUrl'))).toBeInstanceOf(InvalidArgumentError);
    }
  });
});

describe('resolvePathUnder', () => {
  it('returns a path under the prefix as it is', () => {
    expect(resolvePathUnder('/base/api/cluster/jobs', '/base/api')).toBe('/base/api/cluster/jobs');
    expect(resolvePathUnder('/api/cluster/jobs', '/api')).toBe('/api/cluster/jobs');
  });

  it('removes . and .. segments (RFC 3986 5.2.4) before it checks the prefix', () => {
    expect(resolvePathUnder('/base/api/svm/../cluster/./jobs', '/base/api')).toBe('/base/api/cluster/jobs');
    expect(resolvePathUnder('/base/api/cluster/jobs/..', '/base/api')).toBe('/base/api/cluster/');
    expect(resolvePathUnder('/base/api/cluster/.', '/base/api')).toBe('/base/api/cluster/');
  });

  it('reads %2e and %2E as a dot in a dot segment', () => {
    expect(resolvePathUnder('/base/api/svm/%2e%2E/cluster/%2e/jobs', '/base/api')).toBe('/base/api/cluster/jobs');
    expect(resolvePathUnder('/base/api/svm/.%2e/jobs', '/base/api')).toBe('/base/api/jobs');
    expect(resolvePathUnder('/base/api/a%2eb', '/base/api')).toBe('/base/api/a%2eb');
  });

  it.each([
    ['.. segments that climb out of the base path', '/base/api/../../other/api/cluster/jobs'],
    ['%2e%2e segments that climb out of the base path', '/base/api/%2e%2e/%2E%2E/other/api/cluster/jobs'],
    ['.. segments above the root', '/base/api/../../../../x'],
    ['the prefix itself without a following segment', '/base/api'],
    ['a sibling whose name starts like the prefix', '/base/apiary/x'],
    ['another path', '/other/api/x'],
    ['a %2f (encoded slash) inside a segment', '/base/api/..%2f..%2fother/api'],
    ['a %5C (encoded backslash) inside a segment', '/base/api/..%5C..%5Cother/api'],
    ['a backslash', '/base/api/..\\..\\other/api'],
    ['a relative path', 'base/api/x'],
  ])('refuses %s (undefined)', (_what, path) => {
    expect(resolvePathUnder(path, '/base/api')).toBeUndefined();
  });
});
