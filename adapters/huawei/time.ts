import { cachedInstants } from '../../src/model/instant-cache.js';
import { isoToEpochMs } from '../../src/model/job.js';

// Go's zone name is letters (UTC, CST) or, for a zone without one, the offset again (+0800, +04);
// `m=+0.000000001` is the monotonic clock reading Go prints for time.Now().
const GO_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)? ?([+-]\d{2}:?\d{2}|Z)(?: (?:[A-Za-z]{1,6}|[+-]\d{2}(?:\d{2})?))?(?: m=[+-]\d+(?:\.\d+)?)?$/;

/**
 * Parses a Huawei timestamp: Go's `time.Time` format (`2018-08-02 08:12:40.672772389 +0000 UTC`)
 * or RFC 3339. Anything else is `undefined`, never an Invalid Date. Fractions beyond milliseconds
 * are cut.
 */
export function parseHuaweiTime(value: string | null | undefined): Date | undefined {
  return cachedHuawei(value);
}

const cachedHuawei = cachedInstants((value) => {
  const text = value.trim();
  const go = GO_TIME.exec(text);
  if (go) {
    const fraction = go[3] ? go[3].slice(0, 4) : '';
    return isoToEpochMs(`${go[1]}T${go[2]}${fraction}${go[4]}`);
  }
  return isoToEpochMs(text);
});
