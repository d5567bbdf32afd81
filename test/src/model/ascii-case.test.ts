import { describe, expect, it } from 'vitest';
import { asciiLowerCase, asciiUpperCase } from '../../../src/model/ascii-case.js';

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
});
