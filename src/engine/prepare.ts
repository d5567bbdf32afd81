import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { UnsupportedOperationError } from '../errors/unsupported-operation-error.js';
import type { JobSource } from '../client/job-client.js';
import { resolveWaitOptions, type ResolvedWaitOptions, type WaitOptions } from './options.js';

/**
 * Validates the client, the id and the options of one wait (a `resumeFrom` must be this vendor's
 * and this job's; `cancelOnAbort` needs a client with `cancelJob`). Throws before any request.
 * @internal
 */
export function prepareWait<TRaw>(client: JobSource<TRaw>, id: string, options: WaitOptions<TRaw> | undefined): ResolvedWaitOptions<TRaw> {
  assertSource(client);
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidArgumentError('id', 'must be a non-empty string');
  }
  const resolved = resolveWaitOptions(options, client.waitPolicy, { vendor: client.vendor, jobId: id });
  if (resolved.cancelOnAbort && typeof client.cancelJob !== 'function') {
    throw new UnsupportedOperationError('cancelOnAbort', `the ${client.vendor} client has no cancelJob(id), so a wait on it cannot cancel the job`);
  }
  return resolved;
}

/** Throws `InvalidArgumentError` unless `client` has a string `vendor` and a `getJob` method. @internal */
export function assertSource(client: unknown): asserts client is JobSource<unknown> {
  const source = client as Partial<JobSource<unknown>> | null;
  if (typeof source !== 'object' || source === null || typeof source.getJob !== 'function' || typeof source.vendor !== 'string') {
    throw new InvalidArgumentError('client', 'must have a string `vendor` and a `getJob(id, options)` method');
  }
}
