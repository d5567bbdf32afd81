import { brand, JobwaitError } from './jobwait-error.js';

/** One way a response body did not match its schema. */
export interface ResponseIssue {
  /** Where in the body: `["records", 0, "state"]`. */
  path: (string | number)[];
  message: string;
}

/** Arguments of {@link InvalidResponseError}. */
export interface InvalidResponseErrorOptions {
  status: number;
  method: string;
  url: string;
  /** What was wrong: not JSON, too large, or schema issues. */
  reason: string;
  issues?: ResponseIssue[];
  /** The start of the body, with credentials redacted. */
  bodySnippet?: string;
  cause?: unknown;
}

/**
 * The vendor answered with a body jobwait cannot trust: not JSON, over the size cap, or missing what
 * the adapter relies on. A wait ends at once: polling again would read the same thing.
 */
export class InvalidResponseError extends JobwaitError {
  declare readonly name: 'InvalidResponseError';
  declare readonly code: 'INVALID_RESPONSE';
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly issues: ResponseIssue[];
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
