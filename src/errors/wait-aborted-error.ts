import { isTerminal, type Job } from '../model/job.js';
import { brand, JobwaitError } from './jobwait-error.js';
import { describeJob, describeLastState, truncate } from './describe.js';

/**
 * What a wait with `cancelOnAbort` did about the job after the abort: `'sent'` when the vendor
 * accepted the cancel (`lastJob` then shows how the job ended, or how far it got by the deadline),
 * `'refused'` when the cancel request failed (its error is the `cause`).
 */
export type CancelOutcome = 'sent' | 'refused';

/** Arguments of {@link WaitAbortedError}. */
export interface WaitAbortedErrorOptions<TRaw> {
  /** The adapter's vendor name (`'ontap'`, `'cas'`, `'cce'`), for the message. */
  vendor?: string;
  /** The id of the job that was waited on. */
  jobId: string;
  /** The last snapshot of the job seen before the abort, if any. */
  lastJob?: Job<TRaw> | undefined;
  /** The signal's reason; with `cancel: 'refused'`, the cancel's error. */
  cause?: unknown;
  /** Set by a wait with `cancelOnAbort`. */
  cancel?: CancelOutcome | undefined;
}

/**
 * The wait's `signal` was aborted. Only the wait stopped: the job itself goes on, unless the wait
 * had `cancelOnAbort`, which asked the vendor to cancel it (see `cancel` and `lastJob`).
 */
export class WaitAbortedError<TRaw = unknown> extends JobwaitError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'WaitAbortedError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'ABORTED';
  /** The id of the job that was waited on. */
  readonly jobId: string;
  /** The last snapshot; after a cancel that was sent, the one that shows how the job ended. */
  readonly lastJob: Job<TRaw> | undefined;
  /** `undefined` when the wait only detached; see {@link CancelOutcome}. */
  readonly cancel: CancelOutcome | undefined;

  constructor(options: WaitAbortedErrorOptions<TRaw>) {
    super(`Stopped waiting for ${describeJob(options.vendor ?? options.lastJob?.vendor, options.jobId)}: the signal was aborted${describeCancel(options)}`, {
      cause: options.cause,
    });
    this.jobId = options.jobId;
    this.lastJob = options.lastJob;
    this.cancel = options.cancel;
  }

  static {
    brand(this, 'WaitAbortedError', 'ABORTED');
  }
}

function describeCancel(options: WaitAbortedErrorOptions<unknown>): string {
  const last = describeLastState(options.lastJob);
  switch (options.cancel) {
    case 'sent':
      return options.lastJob && isTerminal(options.lastJob.state)
        ? `; the cancel was sent and the job ended ${options.lastJob.state} (${last})`
        : `; the cancel was sent but the job had not ended when the wait stopped (${last})`;
    case 'refused': {
      const reason = options.cause instanceof Error ? `: ${truncate(options.cause.message, 300)}` : '';
      return `; the cancel was refused${reason} (${last})`;
    }
    default:
      return ` (${last})`;
  }
}
