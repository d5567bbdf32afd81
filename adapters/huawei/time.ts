import { parseIsoDate } from '../../src/model.js';

const GO_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)? ?([+-]\d{2}:?\d{2}|Z)(?: [A-Z]{2,5})?$/;

/**
 * Parses a Huawei timestamp: Go's `time.Time` format (`2018-08-02 08:12:40.672772389 +0000 UTC`)
 * or RFC 3339. Anything else is `undefined`, never an Invalid Date. Fractions beyond milliseconds
 * are cut.
 */
export function parseHuaweiTime(value: string | null | undefined): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const go = GO_TIME.exec(text);
  if (go) {
    const fraction = go[3] ? go[3].slice(0, 4) : '';
    return parseIsoDate(`${go[1]}T${go[2]}${fraction}${go[4]}`);
  }
  return parseIsoDate(text);
}
