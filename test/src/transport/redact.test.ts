import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../../src/transport/redact.js';

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

  it('ignores undefined, non-string and too-short secrets (under 4 characters)', () => {
    const redact = createRedactor([undefined, '', 'a', 'abc', 42 as unknown as string]);
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
