import { JobClientBase } from '../../src/client/client-base.js';
import { InvalidArgumentError } from '../../src/errors/invalid-argument-error.js';
import type { GetJobOptions } from '../../src/client/job-client.js';
import type { HttpClient } from '../../src/transport/http-client.js';
import { createHuaweiTransport, huaweiJobSegment, type HuaweiClientOptions, type HuaweiTransport } from '../huawei/client-options.js';
import { toCceJob, type CceJob } from './map.js';
import { cceJobSchema, type CceJobRaw } from './schemas.js';

/** Options of {@link createCceClient}. */
export type CceClientOptions = HuaweiClientOptions;

/** CCE error codes that mean "no such job" (besides a 404 status). */
const NOT_FOUND_CODES = new Set(['CCE.01404001', 'CCE_CM.0404']);

/** A client of Huawei Cloud CCE jobs (`/api/v3/projects/{project_id}/jobs/{job_id}`). Create it with {@link createCceClient}. */
export class CceClient extends JobClientBase<CceJobRaw> {
  readonly vendor = 'cce' as const;
  /** The endpoint's origin and base path. */
  readonly endpoint: string;
  /** The Huawei Cloud project id the client works in. */
  readonly projectId: string;
  readonly #transport: HuaweiTransport;
  readonly #http: HttpClient;

  /** @internal Use {@link createCceClient}. */
  constructor(options: CceClientOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
    this.#transport = createHuaweiTransport(options, 'cce', NOT_FOUND_CODES);
    this.#http = this.#transport.http;
    this.#http.attach(this);
    this.endpoint = this.#transport.endpoint;
    this.projectId = this.#transport.projectId;
  }

  /** Fetches one job; its sub-jobs become `tasks`, recursively. */
  async getJob(jobId: string, options: GetJobOptions = {}): Promise<CceJob> {
    const path = `${this.#transport.basePath}/api/v3/projects/${this.#transport.projectSegment}/jobs/${huaweiJobSegment(jobId)}`;
    const { data } = await this.#http.request({ method: 'GET', path, schema: cceJobSchema, signal: options.signal, jobId });
    return toCceJob(data);
  }

  protected async closeConnections(): Promise<void> {
    await this.#http.close();
  }

  protected describe(): Record<string, unknown> {
    return { endpoint: this.endpoint, projectId: this.projectId, ...this.#transport.authorizer.describe };
  }
}

/** Creates a CCE jobs client with its own keep-alive connection pool. */
export function createCceClient(options: CceClientOptions): CceClient {
  return new CceClient(options);
}
