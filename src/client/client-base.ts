import { inspect } from 'node:util';
import { setClosingSignal } from './client-closing.js';
import type { GetJobOptions, JobClient, WaitPolicy } from './job-client.js';
import type { Job } from '../model/job.js';
import type { WaitOptions } from '../engine/options.js';
import { waitForJob } from '../engine/wait-for-job.js';
import { watchJob } from '../engine/watch-job.js';

/**
 * What every vendor client shares: waiting through the core poller, `close()` with
 * `Symbol.asyncDispose`, and a secret-free face for `util.inspect` and `JSON.stringify`.
 * A subclass implements `vendor`, `getJob`, `closeConnections` and `describe`.
 *
 * To write a client for another vendor, extend it (from `jobwait/adapter`): in the constructor,
 * call `super()`, build the transport with `createHttpTransport` and call `transport.attach(this)`,
 * so the client's waits are admitted into its request budget as the shipped clients' are. `getJob`
 * sends its request with `jobId` set (a missing job then rejects with `JobNotFoundError`) and maps
 * the answer to a {@link Job}; `closeConnections` closes the transport; `describe` returns what
 * `util.inspect` may show (the address, never a credential).
 *
 * @example
 * ```ts
 * class AcmeClient extends JobClientBase<AcmeTask> {
 *   readonly vendor = 'acme';
 *   readonly #http: HttpTransport;
 *   constructor(baseUrl: string, token: string) {
 *     super();
 *     this.#http = createHttpTransport({ vendor: 'acme', baseUrl, authorize: () => ({ authorization: `Bearer ${token}` }), secrets: [token] });
 *     this.#http.attach(this);
 *   }
 *   async getJob(id: string, options?: GetJobOptions): Promise<Job<AcmeTask>> {
 *     const path = `${this.#http.basePath}/tasks/${pathSegment(id)}`;
 *     const { data } = await this.#http.request({ method: 'GET', path, schema: acmeTaskSchema, signal: options?.signal, jobId: id });
 *     return toJob(data);
 *   }
 *   protected closeConnections(): Promise<void> {
 *     return this.#http.close();
 *   }
 *   protected describe(): Record<string, unknown> {
 *     return { origin: this.#http.origin };
 *   }
 * }
 * ```
 */
export abstract class JobClientBase<TRaw> implements JobClient<TRaw> {
  /** Aborted by `close()`: every wait on this client observes it. */
  readonly #closing = new AbortController();

  constructor() {
    setClosingSignal(this, this.#closing.signal);
  }

  /** The vendor's name, as `Job.vendor` carries it (`'ontap'`, `'cas'`, `'cce'`). */
  abstract readonly vendor: string;
  /** Vendor limits on waiting, applied by the poller; see {@link WaitPolicy}. */
  readonly waitPolicy?: WaitPolicy;

  /** Fetches one job; a job that does not exist rejects with `JobNotFoundError`. */
  abstract getJob(id: string, options?: GetJobOptions): Promise<Job<TRaw>>;

  /**
   * Closes the client: its running waits (`waitForJob`, `watchJob`, `waitForJobs`, standalone or
   * not) reject at once with `ClientClosedError`, even while they sleep between polls, and so does
   * any wait or request made afterwards. Then it closes the client's connections (not a caller's
   * own `dispatcher`). Safe to call twice.
   */
  close(): Promise<void> {
    this.#closing.abort();
    return this.closeConnections();
  }

  /** Closes the client's connections, for {@link close}; called once the waits were told. */
  protected abstract closeConnections(): Promise<void>;

  /** What `util.inspect` and `JSON.stringify` show: never a credential. */
  protected abstract describe(): Record<string, unknown>;

  /**
   * Polls until the job ends (or meets `until`) and resolves with that snapshot: the standalone
   * {@link waitForJob} with this client. A failed or cancelled job rejects with `JobFailedError` /
   * `JobCancelledError` unless `throwOnFailure` is `false`.
   */
  waitForJob(id: string, options?: WaitOptions<TRaw>): Promise<Job<TRaw>> {
    return waitForJob(this, id, options);
  }

  /**
   * Yields the first snapshot and every changed one, and ends after the terminal one: the
   * standalone {@link watchJob} with this client.
   */
  watchJob(id: string, options?: WaitOptions<TRaw>): AsyncIterableIterator<Job<TRaw>> {
    return watchJob(this, id, options);
  }

  /** `await using client = createOntapClient(…)` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** A secret-free summary of the client (`vendor` and its address), for `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    return { vendor: this.vendor, ...this.describe() };
  }

  /** What `util.inspect` (and `console.log`) shows: the class name and {@link toJSON}, never a credential. */
  [inspect.custom](_depth: number, options: { stylize?: unknown }, inspectFn: typeof inspect = inspect): string {
    return `${this.constructor.name} ${inspectFn(this.toJSON(), options as Parameters<typeof inspect>[1])}`;
  }
}
