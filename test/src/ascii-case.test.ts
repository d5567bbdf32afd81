import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiLowerCase, asciiUpperCase } from '../../src/ascii-case.js';

const byLetters = {
  upper: (text: string): string => text.replace(/[a-z]+/g, (letters) => letters.toUpperCase()),
  lower: (text: string): string => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()),
};

describe('asciiUpperCase and asciiLowerCase', () => {
  it('fold the ASCII letters of a vendor word', () => {
    expect(asciiUpperCase('Running_Job-1')).toBe('RUNNING_JOB-1');
    expect(asciiLowerCase('Running_Job-1')).toBe('running_job-1');
  });

  it('leave letters outside ASCII as they are, even those toUpperCase would turn into ASCII', () => {
    expect(asciiUpperCase('ſuccess')).toBe('ſUCCESS');
    expect(asciiUpperCase('runnıng')).toBe('RUNNıNG');
    expect(asciiLowerCase('KELVİN é')).toBe('kelvİn é');
    expect(asciiLowerCase('\u212a')).toBe('\u212a'); // the Kelvin sign, which toLowerCase makes an ASCII k
  });

  it('give the same answer as folding each run of ASCII letters, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(asciiUpperCase(text)).toBe(byLetters.upper(text));
        expect(asciiLowerCase(text)).toBe(byLetters.lower(text));
      }),
    );
  });
});
