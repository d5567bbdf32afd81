import { JobClientBase } from '../../src/client/client-base.js';
import { InvalidArgumentError } from '../../src/errors/invalid-argument-error.js';
import { InvalidResponseError } from '../../src/errors/invalid-response-error.js';
import type { GetJobOptions, JobSource } from '../../src/client/job-client.js';
import type { WaitOptions } from '../../src/engine/options.js';
import type { HttpClient } from '../../src/transport/http-client.js';
import { buildQuery } from '../../src/transport/path.js';
import { waitForJob } from '../../src/engine/wait-for-job.js';
import { watchJob } from '../../src/engine/watch-job.js';
import { closingSignalOf, setClosingSignal } from '../../src/client/client-closing.js';
import { assertHuaweiId, createHuaweiTransport, huaweiJobSegment, type HuaweiClientOptions, type HuaweiTransport } from '../huawei/client-options.js';
import { toCasJob, type CasJob } from './map.js';
import { casJobResponseSchema, type CasJobRaw, type CasTaskRecord } from './schemas.js';

/** Options of {@link createCasClient}. */
export interface CasClientOptions extends HuaweiClientOptions {
  /**
   * Tasks read per request (`limit`); a job with more tasks takes more requests per poll.
   * @default 20
   */
  taskPageSize?: number;
  /**
   * The most tasks one poll reads. A job whose `task_count` is larger, or whose pages hold more
   * tasks than this, is refused with `InvalidResponseError`, as is an answer whose pages end (or
   * repeat) before `task_count` tasks are in: `job.tasks` is never a partial list. With each page
   * at most `maxResponseBytes`, this bounds what a poll reads and keeps. From 1 to 1,000,000.
   * @default 100000
   */
  maxTasks?: number;
}

/** Options of the CAS `getJob`. */
export interface CasGetJobOptions extends GetJobOptions {
  /** The component instance (`instance_id`). */
  instanceId?: string;
}

/** Options of the CAS `waitForJob` / `watchJob`: the wait's, and the component instance. */
export interface CasWaitOptions extends WaitOptions<CasJobRaw> {
  /** The component instance (`instance_id`), passed to every poll. */
  instanceId?: string;
}

/** ServiceStage job ids that mean "no such job" (answered with 404). */
const NOT_FOUND_CODES = new Set(['SVCSTG.00100429']);

/**
 * A client of Huawei Cloud ServiceStage application jobs (`/v2/{project_id}/cas/jobs/{job_id}`).
 * Create it with {@link createCasClient}.
 */
export class CasClient extends JobClientBase<CasJobRaw> {
  readonly vendor = 'cas' as const;
  /** The endpoint's origin and base path. */
  readonly endpoint: string;
  /** The Huawei Cloud project id the client works in. */
  readonly projectId: string;
  readonly #transport: HuaweiTransport;
  readonly #http: HttpClient;
  readonly #pageSize: number;
  readonly #maxTasks: number;

  /** @internal Use {@link createCasClient}. */
  constructor(options: CasClientOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
    const pageSize = options.taskPageSize ?? 20;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw new InvalidArgumentError('taskPageSize', `must be a whole number from 1 to 1000, got ${String(pageSize)}`);
    const maxTasks = options.maxTasks ?? 100_000;
    if (!Number.isInteger(maxTasks) || maxTasks < 1 || maxTasks > 1_000_000) throw new InvalidArgumentError('maxTasks', `must be a whole number from 1 to 1000000, got ${String(maxTasks)}`);
    this.#transport = createHuaweiTransport(options, 'cas', NOT_FOUND_CODES);
    this.#http = this.#transport.http;
    this.#http.attach(this);
    this.#pageSize = pageSize;
    this.#maxTasks = maxTasks;
    this.endpoint = this.#transport.endpoint;
    this.projectId = this.#transport.projectId;
  }

  /**
   * Fetches one job with all its tasks: it reads every page (`limit`/`offset`) until `task_count`
   * tasks are in, so `job.tasks` is complete, sorted by `TASK_INDEX`. An answer that cannot give a
   * complete list (see `maxTasks`) is refused with `InvalidResponseError`.
   */
  async getJob(jobId: string, options: CasGetJobOptions = {}): Promise<CasJob> {
    const path = `${this.#transport.basePath}/v2/${this.#transport.projectSegment}/cas/jobs/${huaweiJobSegment(jobId)}`;
    if (options.instanceId !== undefined) assertHuaweiId(options.instanceId, 'instanceId');
    const tasks = new Map<string, CasTaskRecord>();
    let first: CasJobRaw | undefined;
    // Each page must bring a task not seen yet, so this ends after `maxTasks + 1` pages at most.
    for (let offset = 0; ; ) {
      const query = buildQuery({ instance_id: options.instanceId, limit: this.#pageSize, offset });
      const { status, data } = await this.#http.request({ method: 'GET', path: path + query, schema: casJobResponseSchema, signal: options.signal, jobId });
      first ??= data;
      const before = tasks.size;
      for (const task of data.tasks) if (!tasks.has(task.TASK_ID)) tasks.set(task.TASK_ID, task);
      const total = data.task_count ?? first.task_count;
      if (total !== undefined && total > this.#maxTasks) throw this.#incomplete(status, path + query, `its task_count ${total} is above maxTasks (${this.#maxTasks})`);
      if (tasks.size > this.#maxTasks) throw this.#incomplete(status, path + query, `its pages hold more than maxTasks (${this.#maxTasks}) tasks`);
      if (total === undefined ? data.tasks.length < this.#pageSize : tasks.size >= total) break;
      // Pages that end or repeat (a server that ignores `offset`) before `task_count` tasks are in.
      if (tasks.size === before) throw this.#incomplete(status, path + query, `its pages bring no new task after ${tasks.size} of the ${total ?? '?'} tasks`);
      offset += data.tasks.length;
    }
    const raw = first as CasJobRaw;
    return toCasJob({ ...raw, tasks: [...tasks.values()] });
  }

  /** Waits for a job; `instanceId` is passed to every poll. */
  override async waitForJob(jobId: string, options: CasWaitOptions = {}): Promise<CasJob> {
    const { instanceId, ...wait } = checkOptions(options);
    return waitForJob(this.#withInstance(instanceId), jobId, wait);
  }

  /** Watches a job; `instanceId` is passed to every poll. */
  override watchJob(jobId: string, options: CasWaitOptions = {}): AsyncIterableIterator<CasJob> {
    const { instanceId, ...wait } = checkOptions(options);
    return watchJob(this.#withInstance(instanceId), jobId, wait);
  }

  protected async closeConnections(): Promise<void> {
    await this.#http.close();
  }

  protected describe(): Record<string, unknown> {
    return { endpoint: this.endpoint, projectId: this.projectId, ...this.#transport.authorizer.describe };
  }

  /** The answer cannot give the whole task list: refused, never returned partial. */
  #incomplete(status: number, path: string, reason: string): InvalidResponseError {
    return new InvalidResponseError({ status, method: 'GET', url: this.#http.origin + path, reason });
  }

  #withInstance(instanceId: string | undefined): JobSource<CasJobRaw> {
    if (instanceId === undefined) return this;
    assertHuaweiId(instanceId, 'instanceId');
    const view: JobSource<CasJobRaw> = { vendor: this.vendor, getJob: (id, options) => this.getJob(id, { ...options, instanceId }) };
    // The view's waits end when this client is closed, and share its request budget.
    const closing = closingSignalOf(this);
    if (closing) setClosingSignal(view, closing);
    this.#http.attach(view);
    return view;
  }
}

function checkOptions(options: unknown): CasWaitOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new InvalidArgumentError('options', 'must be an object');
  return options as CasWaitOptions;
}

/** Creates a ServiceStage application jobs client with its own keep-alive connection pool. */
export function createCasClient(options: CasClientOptions): CasClient {
  return new CasClient(options);
}
