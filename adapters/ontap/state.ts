import { asciiLowerCase } from '../../src/model/ascii-case.js';
import type { JobState } from '../../src/model/job.js';

/** ONTAP's `state` values and what they map to. A cancelled ONTAP job ends as success or failure. */
export const ONTAP_STATES: Readonly<Record<string, JobState>> = Object.freeze({
  queued: 'queued',
  running: 'running',
  paused: 'paused',
  success: 'succeeded',
  failure: 'failed',
});

/** Maps ONTAP's `state`; a value ONTAP does not document becomes `unknown`. */
export function mapOntapState(state: string): JobState {
  const key = asciiLowerCase(state);
  return Object.hasOwn(ONTAP_STATES, key) ? (ONTAP_STATES[key] as JobState) : 'unknown';
}
