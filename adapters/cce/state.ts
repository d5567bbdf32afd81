import { asciiLowerCase } from '../../src/model/ascii-case.js';
import type { JobState } from '../../src/model/job.js';

/** CCE `status.phase` values and what they map to. CCE has no others. */
export const CCE_PHASES: Readonly<Record<string, JobState>> = Object.freeze({
  Initializing: 'queued',
  Running: 'running',
  Success: 'succeeded',
  Failed: 'failed',
});

const BY_LOWER_CASE = new Map(Object.entries(CCE_PHASES).map(([phase, state]) => [phase.toLowerCase(), state]));

/** Maps a CCE `status.phase` (any case); anything else is `unknown`. */
export function mapCcePhase(phase: string): JobState {
  return BY_LOWER_CASE.get(asciiLowerCase(phase)) ?? 'unknown';
}
