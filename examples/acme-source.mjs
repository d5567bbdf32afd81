// @ts-check
/**
 * A custom adapter for another vendor: "Acme Batch", a made-up JSON API (`GET /v1/tasks/{id}` →
 * `{ id, status, detail?, errorCode? }`). Implement `JobSource` (a vendor name and `getJob`) on
 * jobwait's own transport (`jobwait/adapter`), and every wait, watch, fleet, deadline, backoff and
 * typed error of jobwait works with it, with the shipped adapters' retries (a 503 is asked again),
 * request budget, shared 429 pause, validated answers and a token no error text can show.
 * `custom-adapter.mjs` runs it.
 */
import { z } from 'zod';
import { createHttpTransport, pathSegment } from 'jobwait/adapter';

// --- adapter: start (the test counts these lines: under 40) ---
/** Acme's own payload, as its API sends it: an answer of another shape is `InvalidResponseError`. */
export const acmeTaskSchema = z.object({
  id: z.string(),
  status: z.enum(['PENDING', 'WORKING', 'DONE', 'ERROR']),
  detail: z.string().optional(),
  errorCode: z.string().optional(),
});
/** @typedef {z.infer<typeof acmeTaskSchema>} AcmeTask an Acme task, as validated */

/** @type {Record<AcmeTask['status'], import('jobwait').JobState>} */
const STATES = { PENDING: 'queued', WORKING: 'running', DONE: 'succeeded', ERROR: 'failed' };

/**
 * A `JobSource` on jobwait's transport: a 404 is `JobNotFoundError`, other HTTP errors typed `ApiError`s (5xx and 429 retried), no answer `NetworkError`.
 * @param {string} baseUrl
 * @param {string} token
 * @param {import('jobwait').ClientOptions} [options]
 * @returns {import('jobwait').JobSource<AcmeTask> & { close(): Promise<void> }} `close()` closes its connections
 */
export function createAcmeSource(baseUrl, token, options = {}) {
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
