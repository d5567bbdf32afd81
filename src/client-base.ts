import { inspect } from 'node:util';
import type { GetJobOptions, JobClient, WaitPolicy } from './job-client.js';
import type { Job } from './model.js';
import type { WaitOptions } from './options.js';
import { waitForJob } from './wait-for-job.js';
import { watchJob } from './watch-job.js';

/**
 * What every vendor client shares: waiting through the core poller, `close()` with
 * `Symbol.asyncDispose`, and a secret-free face for `util.inspect` and `JSON.stringify`.
 * A subclass implements `vendor`, `getJob`, `close` and `describe`.
 */
export abstract class JobClientBase<TRaw> implements JobClient<TRaw> {
  abstract readonly vendor: string;
  readonly waitPolicy?: WaitPolicy;

  abstract getJob(id: string, options?: GetJobOptions): Promise<Job<TRaw>>;

  /** Closes the client's connections (not a caller's own `dispatcher`). Safe to call twice. */
  abstract close(): Promise<void>;

  /** What `util.inspect` and `JSON.stringify` show: never a credential. */
  protected abstract describe(): Record<string, unknown>;

  /** {@inheritDoc waitForJob} */
  waitForJob(id: string, options?: WaitOptions<TRaw>): Promise<Job<TRaw>> {
    return waitForJob(this, id, options);
  }

  /** {@inheritDoc watchJob} */
  watchJob(id: string, options?: WaitOptions<TRaw>): AsyncIterableIterator<Job<TRaw>> {
    return watchJob(this, id, options);
  }

  /** `await using client = createOntapClient(…)` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  toJSON(): Record<string, unknown> {
    return { vendor: this.vendor, ...this.describe() };
  }

  [inspect.custom](_depth: number, options: { stylize?: unknown }, inspectFn: typeof inspect = inspect): string {
    return `${this.constructor.name} ${inspectFn(this.toJSON(), options as Parameters<typeof inspect>[1])}`;
  }
}
