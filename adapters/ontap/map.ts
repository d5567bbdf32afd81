import { parseIsoDate, type Job, type JobError } from '../../src/model/job.js';
import type { OntapJobRaw } from './schemas.js';
import { mapOntapState } from './state.js';

/** An ONTAP job, normalized. */
export type OntapJob = Job<OntapJobRaw>;

/** Normalizes a validated ONTAP job record. */
export function toOntapJob(raw: OntapJobRaw): OntapJob {
  const state = mapOntapState(raw.state);
  const job: OntapJob = {
    vendor: 'ontap',
    id: raw.uuid,
    state,
    vendorState: raw.state,
    tasks: [],
    raw,
  };
  if (raw.description !== undefined) job.description = raw.description;
  if (raw.message !== undefined) job.message = raw.message;
  const error = jobError(raw, state === 'failed');
  if (error) job.error = error;
  const startedAt = parseIsoDate(raw.start_time);
  if (startedAt) job.startedAt = startedAt;
  const endedAt = parseIsoDate(raw.end_time);
  if (endedAt) job.endedAt = endedAt;
  return job;
}

function jobError(raw: OntapJobRaw, failed: boolean): JobError | undefined {
  const vendorError = raw.error;
  const hasVendorError = vendorError?.message !== undefined || vendorError?.code !== undefined;
  if (!hasVendorError && !failed) return undefined;
  const error: JobError = { message: vendorError?.message ?? raw.message ?? 'the job failed' };
  const code = vendorError?.code ?? (raw.code === undefined ? undefined : String(raw.code));
  if (code !== undefined) error.code = code;
  if (vendorError?.target !== undefined) error.target = vendorError.target;
  return error;
}
