import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/**
 * How a durable wait is named in Redis. Each client name has its own BullMQ queue (so a vendor's
 * 429 pauses that client's waits alone, for every worker), and a wait's BullMQ job id comes from
 * the vendor's job id alone (so enqueueing it twice, at once or not, gives one wait). `handle.id`
 * is `clientName/jobId`, each part URI-encoded: BullMQ refuses `:` in queue names and job ids,
 * and digits-only job ids.
 * @internal
 */
export interface WaitName {
  clientName: string;
  jobId: string;
  /** `handle.id`. */
  id: string;
  /** The BullMQ queue of the client name. */
  queueName: string;
  /** The BullMQ job id of the wait. */
  bullId: string;
}

/** The names of the wait on `clientName`'s job `jobId`. @internal */
export function waitName(clientName: string, jobId: string): WaitName {
  if (typeof clientName !== 'string' || clientName.length === 0) throw new InvalidArgumentError('clientName', 'must be a non-empty string');
  if (typeof jobId !== 'string' || jobId.length === 0) throw new InvalidArgumentError('jobId', 'must be a non-empty string');
  return { clientName, jobId, id: `${encodeURIComponent(clientName)}/${encodeURIComponent(jobId)}`, queueName: queueNameOf(clientName), bullId: bullIdOf(jobId) };
}

/** The names behind a `handle.id`. @internal */
export function parseWaitId(id: string): WaitName {
  const parts = typeof id === 'string' ? id.split('/') : [];
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new InvalidArgumentError('id', 'must be a wait id as handle.id gives it (clientName/jobId)');
  let clientName: string;
  let jobId: string;
  try {
    clientName = decodeURIComponent(parts[0]);
    jobId = decodeURIComponent(parts[1]);
  } catch {
    throw new InvalidArgumentError('id', 'must be a wait id as handle.id gives it (clientName/jobId)');
  }
  return waitName(clientName, jobId);
}

/** The BullMQ queue name of a client name. @internal */
export function queueNameOf(clientName: string): string {
  return `wait.${encodeURIComponent(clientName)}`;
}

/** The BullMQ job id of a vendor job id. @internal */
export function bullIdOf(jobId: string): string {
  return `job.${encodeURIComponent(jobId)}`;
}

/** The vendor job id of a BullMQ job id. @internal */
export function jobIdOfBullId(bullId: string): string {
  return decodeURIComponent(bullId.slice('job.'.length));
}
