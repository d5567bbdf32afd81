import type { Job } from '../model/job.js';
import { brand, JobwaitError } from './jobwait-error.js';
import { describeJob, describeLastState } from './describe.js';

/** Arguments of {@link ClientClosedError}. */
export interface ClientClosedErrorOptions<TRaw> {
  /** The adapter's vendor name (`'ontap'`, `'cas'`, `'cce'`), for the message. */
  vendor?: string | undefined;
  /** The id of the job that was waited on, when a wait ended. */
  jobId?: string | undefined;
  /** The last snapshot of the job seen before the client was closed, if any. */
  lastJob?: Job<TRaw> | undefined;
  /** What was refused when no wait was running, such as `GET https://cluster1/api/cluster/jobs/…`. */
  request?: string | undefined;
}

/**
 * The client was closed: a wait running at `close()` stops at once (even while it sleeps between
 * polls, or while its request is in flight), and a wait or request started afterwards fails
 * before any request. Permanent: asking again cannot help. Only the wait stopped: the job goes on.
 */
export class ClientClosedError<TRaw = unknown> extends JobwaitError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'ClientClosedError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'CLIENT_CLOSED';
  /** The id of the job that was waited on; `undefined` for a refused request outside a wait. */
  readonly jobId: string | undefined;
  /** The last snapshot seen before the close, if any. */
  readonly lastJob: Job<TRaw> | undefined;

  constructor(options: ClientClosedErrorOptions<TRaw> = {}) {
    const vendor = options.vendor ?? options.lastJob?.vendor;
    super(
      options.jobId === undefined
        ? `${options.request ?? 'The request'} was not sent: the ${vendor ? `${vendor} ` : ''}client is closed`
        : `Stopped waiting for ${describeJob(vendor, options.jobId)}: the client was closed (${describeLastState(options.lastJob)})`,
    );
    this.jobId = options.jobId;
    this.lastJob = options.lastJob;
  }

  static {
    brand(this, 'ClientClosedError', 'CLIENT_CLOSED');
  }
}
