import { JobwaitError, type JobwaitErrorCode } from '../errors/index.js';

/**
 * The exit codes of the `jobwait` command line: one table, used by every command.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | succeeded |
 * | 1 | the job failed |
 * | 2 | usage error or invalid argument |
 * | 3 | timeout |
 * | 4 | job not found |
 * | 5 | the job was cancelled |
 * | 6 | authentication refused (401/403) |
 * | 7 | any other API, network or response error (or the client was closed) |
 * | 130 | interrupted (Ctrl-C: SIGINT) |
 * | 143 | terminated (SIGTERM) |
 * | 141 | the output was closed (`jobwait wait … \| head -1`): the wait stopped, the job's outcome is not known |
 */
export const EXIT = Object.freeze({
  SUCCEEDED: 0,
  FAILED: 1,
  USAGE: 2,
  TIMEOUT: 3,
  NOT_FOUND: 4,
  CANCELLED: 5,
  AUTHENTICATION: 6,
  API_ERROR: 7,
  /** 128 + SIGINT: Ctrl-C (or a wait aborted in-process). */
  INTERRUPTED: 130,
  /** 128 + SIGTERM, as a shell reports a command that a SIGTERM ended. */
  TERMINATED: 143,
  /** 128 + SIGPIPE, as a shell reports a command killed by a closed pipe. */
  OUTPUT_CLOSED: 141,
});

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every typed error code, and the exit code it leads to. */
export const EXIT_BY_ERROR_CODE: Readonly<Record<JobwaitErrorCode, ExitCode>> = Object.freeze({
  JOB_FAILED: EXIT.FAILED,
  INVALID_ARGUMENT: EXIT.USAGE,
  JOB_TIMEOUT: EXIT.TIMEOUT,
  JOB_NOT_FOUND: EXIT.NOT_FOUND,
  JOB_CANCELLED: EXIT.CANCELLED,
  AUTHENTICATION: EXIT.AUTHENTICATION,
  API_ERROR: EXIT.API_ERROR,
  RATE_LIMITED: EXIT.API_ERROR,
  NETWORK: EXIT.API_ERROR,
  INVALID_RESPONSE: EXIT.API_ERROR,
  UNSUPPORTED: EXIT.USAGE,
  ABORTED: EXIT.INTERRUPTED,
  CLIENT_CLOSED: EXIT.API_ERROR,
  QUEUE_UNAVAILABLE: EXIT.API_ERROR,
  WAIT_NOT_FOUND: EXIT.NOT_FOUND,
});

/** A mistake on the command line: exit 2, with the message (never a flag's value). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
}

/** The code a command's error exits with. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (error instanceof JobwaitError) return EXIT_BY_ERROR_CODE[error.code] ?? EXIT.API_ERROR;
  return EXIT.API_ERROR;
}

/** The code shown next to an error message on stderr. */
export function errorCodeOf(error: unknown): string {
  if (error instanceof UsageError) return 'USAGE';
  if (error instanceof JobwaitError) return error.code;
  return 'ERROR';
}
