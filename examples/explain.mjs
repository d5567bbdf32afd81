// @ts-check
/**
 * One line on what went wrong and what it means for the job: every error a caller meets, told
 * apart by class. Subclasses come before `ApiError`. Used by `typed-errors.mjs`.
 */
import {
  ApiError,
  AuthenticationError,
  InvalidArgumentError,
  InvalidResponseError,
  JobCancelledError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  JobwaitError,
  NetworkError,
  RateLimitError,
  WaitAbortedError,
} from 'jobwait';

/**
 * @param {unknown} error what a jobwait call threw
 * @returns {string}
 */
export function explain(error) {
  // The job ended, badly: its outcome is known.
  if (error instanceof JobFailedError) return `the job failed: ${error.job.error?.code ?? '?'} ${error.job.error?.message ?? error.job.message ?? ''}`.trim();
  if (error instanceof JobCancelledError) return `the job was cancelled (${error.job.vendorState})`;
  // The wait ended before the job did: the job may still be running.
  if (error instanceof JobTimeoutError) {
    const last = error.lastJob ? `last seen ${error.lastJob.state}` : 'never seen';
    const cause = error.cause instanceof JobwaitError ? `; the polls kept meeting ${error.cause.name}` : '';
    return `gave up after ${error.polls} polls, ${last}${cause}: the job may still end`;
  }
  if (error instanceof JobNotFoundError) {
    return error.lastJob ? `the job vanished after it was seen ${error.lastJob.state}: its outcome is unknown` : `no job ${error.jobId}: check the id`;
  }
  if (error instanceof WaitAbortedError) return error.cancel ? `aborted; the cancel was ${error.cancel}` : 'stopped waiting; the job goes on';
  // The vendor answered with an HTTP error.
  if (error instanceof AuthenticationError) return `credentials refused (${error.status}): fix them, retrying will not help`;
  if (error instanceof RateLimitError) return `rate limited: ask again in ${error.retryAfterMs ?? 'a few'} ms`;
  if (error instanceof ApiError) return `the vendor answered ${error.status}${error.vendorCode ? ` with code ${error.vendorCode}` : ''}: ${error.vendorMessage ?? error.message}`;
  // No usable answer.
  if (error instanceof NetworkError) return error.timedOut ? 'the request timed out' : `no answer (${error.transient ? 'may pass' : 'will not pass'}): ${error.message}`;
  if (error instanceof InvalidResponseError) return `an answer jobwait cannot trust (${error.status}): ${error.issues.length} schema issue(s)`;
  // The caller's mistake, raised before any request.
  if (error instanceof InvalidArgumentError) return `bad ${error.argument}: ${error.message}`;
  if (error instanceof JobwaitError) return error.message; // UnsupportedOperationError, and any later addition
  return `not a jobwait error: ${String(error)}`;
}
