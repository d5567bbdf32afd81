import { brand, JobwaitError } from './jobwait-error.js';

/** One way a response body did not match its schema. */
export interface ResponseIssue {
  /** Where in the body: `["records", 0, "state"]`. */
  path: (string | number)[];
  /** What is wrong with the value at `path`. */
  message: string;
}

/** Arguments of {@link InvalidResponseError}. */
export interface InvalidResponseErrorOptions {
  /** The HTTP status code of the answer. */
  status: number;
  /** The HTTP method of the request. */
  method: string;
  /** The request URL; it never carries credentials. */
  url: string;
  /** What was wrong: not JSON, too large, or schema issues. */
  reason: string;
  /** The schema validation issues, if the body failed validation. */
  issues?: ResponseIssue[];
  /** The start of the body, with credentials redacted. */
  bodySnippet?: string;
  /** The underlying error, if any; kept as the error's `cause`. */
  cause?: unknown;
}

/**
 * The vendor answered with a body jobwait cannot trust: not JSON, over the size cap, or missing what
 * the adapter relies on. A wait ends at once: polling again would read the same thing.
 */
export class InvalidResponseError extends JobwaitError {
  /** The class name of the error, fixed per class. */
  declare readonly name: 'InvalidResponseError';
  /** Stable machine-readable error code; match on it rather than on the message. */
  declare readonly code: 'INVALID_RESPONSE';
  /** The HTTP status code of the answer. */
  readonly status: number;
  /** The HTTP method of the request. */
  readonly method: string;
  /** The request URL; it never carries credentials. */
  readonly url: string;
  /** The schema validation issues; empty when the body was not JSON or validation did not run. */
  readonly issues: ResponseIssue[];
  /** The start of the response body, truncated, for diagnosis; empty when there was none. */
  readonly bodySnippet: string;

  constructor(options: InvalidResponseErrorOptions) {
    const issues = options.issues ?? [];
    const detail = issues
      .slice(0, 3)
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
      .join('; ');
    super(`${options.method} ${options.url} answered ${options.status} with an invalid body: ${options.reason}${detail ? ` (${detail}${issues.length > 3 ? `; +${issues.length - 3} more` : ''})` : ''}`, {
      cause: options.cause,
    });
    this.status = options.status;
    this.method = options.method;
    this.url = options.url;
    this.issues = issues;
    this.bodySnippet = options.bodySnippet ?? '';
  }

  static {
    brand(this, 'InvalidResponseError', 'INVALID_RESPONSE');
  }
}
