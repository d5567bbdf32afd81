import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, SHORT_SECRET_LENGTH } from '../../../src/transport/redact.js';

describe('createRedactor', () => {
  it('replaces every occurrence of a secret with the redaction mark', () => {
    const redact = createRedactor(['hunter22']);
    expect(REDACTED).toBe('[REDACTED]');
    expect(redact('pw=hunter22; again hunter22!')).toBe('pw=[REDACTED]; again [REDACTED]!');
  });

  it('replaces several secrets, each one everywhere', () => {
    const redact = createRedactor(['alpha-secret', 'beta-token']);
    expect(redact('a=alpha-secret b=beta-token c=alpha-secret')).toBe('a=[REDACTED] b=[REDACTED] c=[REDACTED]');
  });

  it('cuts the longer secret first so a shorter one inside it leaves no remains', () => {
    const redact = createRedactor(['pass', 'admin:pass']);
    expect(redact('Basic admin:pass')).toBe('Basic [REDACTED]');
    const reversed = createRedactor(['admin:pass', 'pass']);
    expect(reversed('Basic admin:pass and pass')).toBe('Basic [REDACTED] and [REDACTED]');
  });

  it('treats secrets as plain text, not as patterns', () => {
    const redact = createRedactor(['a.b*c+(d)', 'S3cr3t-P@ss-word$']);
    expect(redact('x a.b*c+(d) y aXbbbc+(d)')).toBe('x [REDACTED] y aXbbbc+(d)');
    expect(redact('$S3cr3t-P@ss-word$$')).toBe('$[REDACTED]$');
  });

  it('ignores undefined, empty and non-string secrets', () => {
    const redact = createRedactor([undefined, '', 42 as unknown as string]);
    expect(redact('a abc 42 the cat sat')).toBe('a abc 42 the cat sat');
    expect(createRedactor(['abcd'])('xabcdx')).toBe('x[REDACTED]x');
  });

  it('returns the text unchanged when there is nothing to cut', () => {
    expect(createRedactor([])('nothing to hide')).toBe('nothing to hide');
    expect(createRedactor(['secret-value'])('nothing to hide')).toBe('nothing to hide');
    expect(createRedactor(['secret-value'])('')).toBe('');
  });

  it('accepts the same secret twice', () => {
    expect(createRedactor(['dup-secret', 'dup-secret'])('dup-secret')).toBe('[REDACTED]');
  });
});

describe('createRedactor and request signatures', () => {
  const hex = 'ab'.repeat(32);

  it('cuts a signature echoed in JSON as well as in the header form', () => {
    const redact = createRedactor([]);
    expect(redact(`{"Signature": "${hex}"}`)).toBe('{"Signature": "[REDACTED]"}');
    expect(redact(`{"signature":"${hex}"}`)).toBe('{"signature":"[REDACTED]"}');
    expect(redact(`SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${hex}`)).not.toContain(hex);
  });
});

/** A secret with every character JSON escapes: a quote, a backslash, a slash, and a non-ASCII letter. */
const HARD = 'pa"ss\\Wo/rd-\u00e4';

describe('createRedactor and the encodings a server may echo a secret in', () => {
  const redact = createRedactor([HARD]);

  it.each([
    ['as is', HARD],
    ['JSON-escaped (JSON.stringify)', JSON.stringify(HARD).slice(1, -1)],
    ['JSON-escaped with \\/ (PHP, Java)', JSON.stringify(HARD).slice(1, -1).replace(/\//g, '\\/')],
    ['as \\u escapes, lower-case hex (Python ensure_ascii)', 'pa\\"ss\\\\Wo/rd-\\u00e4'],
    ['as \\u escapes, upper-case hex', 'pa\\u0022ss\\u005CWo\\u002Frd-\\u00E4'],
    ['with the escape forms mixed per character', '\\u0070a\\"ss\\u005cW\\u006F\\/rd-\u00e4'],
    ['escaped twice (JSON in a JSON string)', JSON.stringify(JSON.stringify(HARD)).slice(3, -3)],
    ['percent-encoded, upper-case hex', encodeURIComponent(HARD)],
    ['percent-encoded, lower-case hex', encodeURIComponent(HARD).replace(/%[0-9A-F]{2}/g, (c) => c.toLowerCase())],
  ])('cuts the secret written %s', (_form, written) => {
    expect(redact(`before ${written} after`)).toBe(`before ${REDACTED} after`);
  });

  it('cuts a secret beyond the BMP written as a surrogate pair of \\u escapes, and a space written as +', () => {
    const redact2 = createRedactor(['k\u{1f511}y pass']);
    expect(redact2('x k\\ud83d\\uDD11y+pass x')).toBe(`x ${REDACTED} x`);
    expect(redact2('x k%F0%9F%94%91y%20pass x')).toBe(`x ${REDACTED} x`);
  });

  it('leaves text that only looks like an encoded secret alone', () => {
    expect(redact('pa"ss\\Wo/rd-a pa\\"ss\\\\Wo\\/rd-\\u00e5')).toBe('pa"ss\\Wo/rd-a pa\\"ss\\\\Wo\\/rd-\\u00e5');
  });

  it('cuts a signature whose separator a server escaped (Gson writes = as \\u003d) or percent-encoded', () => {
    const hex = 'cd'.repeat(32);
    const none = createRedactor([]);
    expect(none(`Signature\\u003d${hex}`)).toBe(`Signature\\u003d${REDACTED}`);
    expect(none(`signature%3D${hex}`)).toBe(`signature%3D${REDACTED}`);
    expect(none(`{\\"signature\\":\\"${hex}\\"}`)).not.toContain(hex);
    expect(none(`SIGNATURE=${hex}`)).not.toContain(hex);
    const everyCharEscaped = [...`Signature=${hex}`].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    expect(none(`x ${everyCharEscaped} y`)).toMatch(/^x \S+\[REDACTED\] y$/);
    const hexPercentEncoded = [...hex].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    expect(none(`x Signature%3D${hexPercentEncoded} y`)).toBe(`x Signature%3D${REDACTED} y`);
  });
});

describe('createRedactor and hostile text', () => {
  it('redacts a body of 200,000 backslashes, or of them after "signature", in linear time', () => {
    const redact = createRedactor([HARD, 'admin:secret-value']);
    for (const text of ['\\'.repeat(200_000), `signature=${'\\'.repeat(200_000)}`, `${HARD}${'\\'.repeat(200_000)}x`]) {
      const started = performance.now();
      const out = redact(text);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(out.endsWith('\\') || out.endsWith('x')).toBe(true);
    }
  });
});

describe('createRedactor and short secrets', () => {
  it('cuts a secret of fewer than SHORT_SECRET_LENGTH characters where it stands as a whole token', () => {
    expect(SHORT_SECRET_LENGTH).toBe(4);
    const redact = createRedactor(['p4s']);
    expect(redact('p4s')).toBe(REDACTED);
    expect(redact('password=p4s; "p4s" (p4s) p4s.')).toBe(`password=${REDACTED}; "${REDACTED}" (${REDACTED}) ${REDACTED}.`);
  });

  it('leaves a short secret alone inside a word, a number or next to an underscore', () => {
    const redact = createRedactor(['p4s']);
    expect(redact('p4ss xp4s p4s9 _p4s p4s_')).toBe('p4ss xp4s p4s9 _p4s p4s_');
  });

  it('cuts a short secret in every encoding, an escape next to it counting as a boundary', () => {
    const redact = createRedactor(['a"/', 'x']);
    expect(redact('pw=a\\"\\/ and pw%3Da%22%2F and pw:\\u0061\\u0022/')).toBe(`pw=${REDACTED} and pw%3D${REDACTED} and pw:${REDACTED}`);
    expect(redact('line\\nx\\n x=x, xx, box')).toBe(`line\\n${REDACTED}\\n ${REDACTED}=${REDACTED}, xx, box`);
  });

  it('counts the letters of every script as word characters around a short secret', () => {
    const redact = createRedactor(['ü']);
    expect(redact('ü: üb, a ü b')).toBe(`${REDACTED}: üb, a ${REDACTED} b`);
  });
});

describe('createRedactor on parsed JSON', () => {
  const redact = createRedactor([HARD, 'tok']);

  it('cuts a secret from the strings and keys of a parsed body, however the body escaped it', () => {
    const source = `{"message":"login as \\u0070a\\"ss\\\\Wo\\/rd-\\u00E4 refused","list":["x",{"${JSON.stringify(HARD).slice(1, -1)}":"tok"}],"n":1}`;
    const value = redact.json(JSON.parse(source) as unknown, source);
    expect(value).toEqual({ message: `login as ${REDACTED} refused`, list: ['x', { [REDACTED]: REDACTED }], n: 1 });
  });

  it('cuts a secret escaped inside a string that itself holds JSON', () => {
    const inner = JSON.stringify({ Detail: `bad password ${HARD}` });
    const source = JSON.stringify({ MESSAGES: inner });
    const value = redact.json(JSON.parse(source) as { MESSAGES: string }, source);
    expect(value.MESSAGES).not.toContain(HARD);
    expect(JSON.parse(value.MESSAGES)).toEqual({ Detail: `bad password ${REDACTED}` });
  });

  it('cuts a signature a parsed body holds as a key and its value', () => {
    const hex = 'ef'.repeat(32);
    const source = `{"auth":{"signature":"${hex}","header":"Signature=${hex}"}}`;
    expect(redact.json(JSON.parse(source) as unknown, source)).toEqual({ auth: { signature: REDACTED, header: `Signature=${REDACTED}` } });
  });

  it('keeps a __proto__ key a data key when it rebuilds an object whose key held a secret', () => {
    const source = '{"__proto__":{"polluted":true},"tok":1}';
    const value = redact.json(JSON.parse(source) as Record<string, unknown>, source);
    expect(Object.keys(value)).toEqual(['__proto__', REDACTED]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('returns the very value, unwalked, when the source holds no secret, escape or signature', () => {
    const source = '{"state":"running","message":"working"}';
    const parsed = JSON.parse(source) as unknown;
    const frozen = Object.freeze(parsed);
    expect(redact.json(frozen, source)).toBe(frozen);
  });
});
