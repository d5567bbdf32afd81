/**
 * A custom adapter for another vendor: "Acme Batch", a made-up JSON API (`GET /v1/tasks/{id}` →
 * `{ id, status, detail?, errorCode? }`). Implement `JobSource` (a vendor name and `getJob`) and
 * every wait, watch, fleet, deadline, backoff and typed error of jobwait works with it.
 * Runs against a tiny loopback server the test suite starts.
 */
import { ApiError, JobNotFoundError, NetworkError, waitForJob, type Job, type JobSource, type JobState } from '../src/index.js';

// --- adapter: start (the test counts these lines: under 40) ---
/** Acme's own payload, as its API sends it. */
export interface AcmeTask {
  id: string;
  status: 'PENDING' | 'WORKING' | 'DONE' | 'ERROR';
  detail?: string;
  errorCode?: string;
}

const STATES: Record<string, JobState> = { PENDING: 'queued', WORKING: 'running', DONE: 'succeeded', ERROR: 'failed' };

/** A `JobSource` over `fetch`: 404 is `JobNotFoundError`, other HTTP errors `ApiError` (5xx and 429 are retried), no answer `NetworkError`. */
export function createAcmeSource(baseUrl: string, token: string): JobSource<AcmeTask> {
  return {
    vendor: 'acme',
    async getJob(id, options) {
      const url = `${baseUrl}/v1/tasks/${encodeURIComponent(id)}`;
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, ...(options?.signal ? { signal: options.signal } : {}) }).catch((cause: unknown) => {
        if (options?.signal?.aborted) throw cause; // a stopped wait, not a network failure
        throw new NetworkError({ method: 'GET', url, cause });
      });
      if (response.status === 404) throw new JobNotFoundError({ vendor: 'acme', jobId: id });
      if (!response.ok) throw new ApiError({ status: response.status, method: 'GET', url });
      const raw = (await response.json()) as AcmeTask;
      const state = STATES[raw.status] ?? 'unknown';
      const error = raw.errorCode ? { code: raw.errorCode, message: raw.detail ?? raw.errorCode } : undefined;
      return { vendor: 'acme', id: raw.id, state, vendorState: raw.status, ...(raw.detail ? { message: raw.detail } : {}), ...(error ? { error } : {}), tasks: [], raw };
    },
  };
}
// --- adapter: end ---

/** Waits on an Acme task with the core poller and prints each change. */
export async function main(baseUrl: string, id: string, log: (line: string) => void = console.log): Promise<Job<AcmeTask>> {
  const acme = createAcmeSource(baseUrl, process.env['ACME_TOKEN'] ?? 'example-token');
  return waitForJob(acme, id, { minDelayMs: 10, timeoutMs: 60_000, onProgress: (job) => log(`${job.state}${job.message ? `: ${job.message}` : ''}`) });
}
