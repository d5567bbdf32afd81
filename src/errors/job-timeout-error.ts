import type { Job } from '../model/job.js';
import { brand, JobwaitError } from './jobwait-error.js';
import { describeJob, describeLastState } from './describe.js';

/**
 * What the polls of a wait got: counts of successful polls (`ok`), per HTTP status (`503`), per
 * error kind (`NETWORK`, `TIMEOUT` for the per-request timeout), and `DEADLINE` for a poll cut off
 * by the wait's deadline.
 */
export type PollOutcomes = Readonly<Record<string, number>>;

/** Arguments of {@link JobTimeoutError}. */
export interface JobTimeoutErrorOptions<TRaw> {
  /** The adapter's vendor name (`'ontap'`, `'cas'`, `'cce'`), for the message. */
  vendor?: string;
  /** The id of the job that was waited on. */
  jobId: string;
  /** The last snapshot of the job seen before the timeout, if any. */
  lastJob?: Job<TRaw> | undefined;
  /** How long the wait ran, in milliseconds. */
  elapsedMs: number;
  /** How many polls the wait made. */
  polls: number;
  /** Counts of poll outcomes during the wait. */
  outcomes?: PollOutcomes;
  /** The last transient error, if the last poll did not succeed. */
  cause?: unknown;
}

/**
 * The wait's deadline (`timeoutMs`) passed before the job ended. The message names the last state
 * seen and a summary of what the polls got, so a timeout caused by a 403 or a dead network shows.
 */
export class JobTimeoutError<TRaw = unknown> extends JobwaitError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'JobTimeoutError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'JOB_TIMEOUT';
  /** The id of the job that was waited on. */
  readonly jobId: string;
  /** The last snapshot seen, if any poll succeeded. */
  readonly lastJob: Job<TRaw> | undefined;
  /** How long the wait ran before giving up, in milliseconds. */
  readonly elapsedMs: number;
  /** Requests made by the wait (polls), successful or not. */
  readonly polls: number;
  /** Counts of `ok` polls, per HTTP status, or per error kind. */
  readonly outcomes: PollOutcomes;

  constructor(options: JobTimeoutErrorOptions<TRaw>) {
    const summary = Object.entries(options.outcomes ?? {})
      .map(([key, count]) => `${key} x${count}`)
      .join(', ');
    const cause = options.cause instanceof Error ? `; last error: ${options.cause.message}` : '';
    super(
      `Timed out after ${Math.round(options.elapsedMs)} ms waiting for ${describeJob(options.vendor ?? options.lastJob?.vendor, options.jobId)}: ` +
        `${describeLastState(options.lastJob)}; ${options.polls} poll${options.polls === 1 ? '' : 's'}${summary ? ` (${summary})` : ''}${cause}`,
      { cause: options.cause },
    );
    this.jobId = options.jobId;
    this.lastJob = options.lastJob;
    this.elapsedMs = options.elapsedMs;
    this.polls = options.polls;
    this.outcomes = options.outcomes ?? {};
  }

  static {
    brand(this, 'JobTimeoutError', 'JOB_TIMEOUT');
  }
}
