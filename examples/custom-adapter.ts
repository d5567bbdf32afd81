/**
 * A custom adapter for another vendor: "Acme Batch", a made-up JSON API (`GET /v1/tasks/{id}` →
 * `{ id, status, detail?, errorCode? }`). Implement `JobSource` (a vendor name and `getJob`) on
 * jobwait's own transport (`jobwait/adapter`), and every wait, watch, fleet, deadline, backoff and
 * typed error of jobwait works with it, with the shipped adapters' retries (a 503 is asked again),
 * request budget, shared 429 pause, validated answers and a token no error text can show.
 * Runs against a tiny loopback server the test suite starts.
 */
import { z } from 'zod';
import { createHttpTransport, pathSegment } from '../src/adapter.js';
import { waitForJob, type ClientOptions, type Job, type JobSource, type JobState } from '../src/index.js';

// --- adapter: start (the test counts these lines: under 40) ---
/** Acme's own payload, as its API sends it: an answer of another shape is `InvalidResponseError`. */
export const acmeTaskSchema = z.object({
  id: z.string(),
  status: z.enum(['PENDING', 'WORKING', 'DONE', 'ERROR']),
  detail: z.string().optional(),
  errorCode: z.string().optional(),
});
/** An Acme task, as validated. */
export type AcmeTask = z.infer<typeof acmeTaskSchema>;

const STATES: Record<AcmeTask['status'], JobState> = { PENDING: 'queued', WORKING: 'running', DONE: 'succeeded', ERROR: 'failed' };

/** An Acme job source; `close()` closes its connections. */
export type AcmeSource = JobSource<AcmeTask> & { close(): Promise<void> };

/** A `JobSource` on jobwait's transport: a 404 is `JobNotFoundError`, other HTTP errors typed `ApiError`s (5xx and 429 retried), no answer `NetworkError`. */
export function createAcmeSource(baseUrl: string, token: string, options: ClientOptions = {}): AcmeSource {
  const http = createHttpTransport({ ...options, vendor: 'acme', baseUrl, authorize: () => ({ authorization: `Bearer ${token}` }), secrets: [token] });
  // attach: the waits on this source are admitted into the transport's request budget.
  return http.attach({
    vendor: 'acme',
    async getJob(id, getOptions) {
      const path = `${http.basePath}/v1/tasks/${pathSegment(id)}`;
      const { data: raw } = await http.request({ method: 'GET', path, schema: acmeTaskSchema, signal: getOptions?.signal, jobId: id });
      const error = raw.errorCode ? { code: raw.errorCode, message: raw.detail ?? raw.errorCode } : undefined;
      return { vendor: 'acme', id: raw.id, state: STATES[raw.status], vendorState: raw.status, ...(raw.detail ? { message: raw.detail } : {}), ...(error ? { error } : {}), tasks: [], raw };
    },
    close: () => http.close(),
  });
}
// --- adapter: end ---

/** Waits on an Acme task with the core poller and prints each change. */
export async function main(baseUrl: string, id: string, log: (line: string) => void = console.log): Promise<Job<AcmeTask>> {
  const acme = createAcmeSource(baseUrl, process.env['ACME_TOKEN'] ?? 'example-token');
  try {
    return await waitForJob(acme, id, { minDelayMs: 10, timeoutMs: 60_000, onProgress: (job) => log(`${job.state}${job.message ? `: ${job.message}` : ''}`) });
  } finally {
    await acme.close();
  }
}
