import { z } from 'zod';
import { JobClientBase } from '../../src/client/client-base.js';
import { InvalidArgumentError } from '../../src/errors/invalid-argument-error.js';
import { InvalidResponseError } from '../../src/errors/invalid-response-error.js';
import type { GetJobOptions, WaitPolicy } from '../../src/client/job-client.js';
import { resolveClientOptions, type ClientOptions, type TlsOptions } from '../../src/transport/client-options.js';
import { HttpClient } from '../../src/transport/http-client.js';
import { assertPathId, buildQuery, parseBaseUrl, pathSegment, resolvePathUnder, type QueryValue } from '../../src/transport/path.js';
import { toOntapJob, type OntapJob } from './map.js';
import {
  ontapErrorResponseSchema,
  ontapJobCollectionSchema,
  ontapJobLinkResponseSchema,
  ontapJobSchema,
  ontapJobsLinkResponseSchema,
  type OntapJobRaw,
} from './schemas.js';

/** ONTAP HTTP basic credentials. */
export interface OntapAuth {
  /** The ONTAP user name. */
  username: string;
  /** The ONTAP user's password; never logged or shown. */
  password: string;
}

/** Options of {@link createOntapClient}. */
export interface OntapClientOptions extends ClientOptions {
  /** The cluster management address, such as `https://cluster1.example.com`; the client adds `/api`. */
  baseUrl: string | URL;
  /** HTTP basic credentials. Kept where no message, log, `util.inspect` or `JSON.stringify` reaches. */
  auth: OntapAuth;
  /** Trust a private CA (`ca`), authenticate with a client certificate (`cert`, `key`). Verification is on by default. */
  tls?: TlsOptions;
}

/**
 * Filters and options of `listJobs`. Any job field filters (`state`, `description`, `svm.name`,
 * `error.code` …) with ONTAP's operators: `state: 'running|queued'`, `description: '*snapshot*'`,
 * `code: '!0'`. An array is joined with `|` (any of).
 */
export interface OntapJobQuery {
  [filter: string]: QueryValue;
  /** The fields to return. `uuid` and `state` are always added. @default '*' */
  fields?: string | readonly string[];
  /** Records per page. */
  max_records?: number;
  /** Sort order, e.g. `'start_time desc'`. */
  order_by?: string | readonly string[];
}

/**
 * Options of the job actions and of `listJobs`.
 * @deprecated The same type as `GetJobOptions` (from `jobwait`): use that name.
 */
export type OntapRequestOptions = GetJobOptions;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The longest path and query of one batched request: well within what servers and proxies take. */
const BATCH_URL_BUDGET = 4_000;
const ALWAYS_LISTED_FIELDS = ['uuid', 'state'];

/**
 * How often ONTAP is polled at the most: it deletes a finished job 300 s after it ends, so a delay
 * must stay well below that or the end can be missed.
 */
export const ONTAP_MAX_DELAY_MS = 60_000;

/** A client of ONTAP's cluster jobs API (`/api/cluster/jobs`). Create it with {@link createOntapClient}. */
export class OntapClient extends JobClientBase<OntapJobRaw> {
  readonly vendor = 'ontap' as const;
  override readonly waitPolicy: WaitPolicy = Object.freeze({ maxDelayMs: ONTAP_MAX_DELAY_MS });
  /** The cluster's origin and base path, without credentials. */
  readonly baseUrl: string;
  /** How many job UUIDs one `getJobs` request carries (its URL kept under 4,000 characters): the scheduler polls at most this many waits per request. */
  readonly maxBatchSize: number;
  readonly #http: HttpClient;
  readonly #basePath: string;
  readonly #jobsPath: string;
  readonly #username: string;

  /** @internal Use {@link createOntapClient}. */
  constructor(options: OntapClientOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
    const { origin, basePath, host } = parseBaseUrl(options.baseUrl, 'baseUrl');
    const { username, password } = checkAuth(options.auth);
    const basic = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
    const authorization = `Basic ${basic}`;
    this.#http = new HttpClient({
      origin,
      host,
      basePath,
      vendor: 'ontap',
      options: resolveClientOptions(options),
      tls: options.tls,
      authorize: () => ({ authorization }),
      secrets: [password, basic, `${username}:${password}`],
      parseErrorBody: parseOntapError,
    });
    this.#http.attach(this);
    this.baseUrl = origin + basePath;
    this.#basePath = basePath;
    this.#jobsPath = `${basePath}/api/cluster/jobs`;
    this.maxBatchSize = Math.max(1, Math.floor((BATCH_URL_BUDGET - this.#jobsPath.length - CHUNK_QUERY_LENGTH) / UUID_COST));
    this.#username = username;
  }

  /** Fetches one job. A job that does not exist (or was deleted) rejects with `JobNotFoundError`. */
  async getJob(uuid: string, options?: GetJobOptions): Promise<OntapJob> {
    const path = this.#jobPath(uuid);
    const { data } = await this.#http.request({ method: 'GET', path, schema: ontapJobSchema, signal: options?.signal, jobId: uuid });
    return toOntapJob(data);
  }

  /**
   * Lists jobs, following `_links.next` over every page. Takes ONTAP's filters and operators.
   *
   * @example
   * ```ts
   * for await (const job of ontap.listJobs({ state: 'running|queued', order_by: 'start_time desc' })) console.log(job.id);
   * ```
   */
  async *listJobs(query: OntapJobQuery = {}, options?: GetJobOptions): AsyncIterableIterator<OntapJob> {
    if (typeof query !== 'object' || query === null) throw new InvalidArgumentError('query', 'must be an object');
    for await (const record of this.#records(this.#jobsPath + buildQuery(withListedFields(query)), options?.signal)) yield toOntapJob(record);
  }

  /**
   * Fetches many jobs with one collection query per chunk (`GET /api/cluster/jobs?uuid=<a>|<b>|…`),
   * each chunk's URL kept under 4,000 characters, following `_links.next`. A job ONTAP does not
   * return (never existed, or deleted) is absent from the map: a batched wait treats that like a
   * 404 for that job alone.
   */
  async getJobs(uuids: readonly string[], options?: GetJobOptions): Promise<Map<string, OntapJob>> {
    if (!Array.isArray(uuids)) throw new InvalidArgumentError('uuids', 'must be an array of job UUIDs');
    for (const [index, uuid] of uuids.entries()) assertPathId(uuid, `uuids[${index}]`, UUID, 'must be an ONTAP job UUID');
    const wanted = [...new Set(uuids.map((uuid) => uuid.toLowerCase()))];
    const jobs = new Map<string, OntapJob>();
    await Promise.all(
      chunkByLength(wanted, BATCH_URL_BUDGET - this.#jobsPath.length).map(async (chunk) => {
        const path = this.#jobsPath + buildQuery({ uuid: chunk, fields: '*', max_records: chunk.length });
        for await (const record of this.#records(path, options?.signal)) jobs.set(record.uuid.toLowerCase(), toOntapJob(record));
      }),
    );
    // Answer under the ids as the caller spelled them.
    const byCallerId = new Map<string, OntapJob>();
    for (const uuid of uuids) {
      const job = jobs.get(uuid.toLowerCase());
      if (job) byCallerId.set(uuid, job);
    }
    return byCallerId;
  }

  /** Asks ONTAP to cancel a job. The job then ends as success or failure. ONTAP's refusals (458784: cancel not supported) arrive as `ApiError.vendorCode`. */
  cancelJob(uuid: string, options?: GetJobOptions): Promise<void> {
    return this.#action(uuid, 'cancel', options);
  }

  /** Asks ONTAP to pause a job (458783: pause not supported). */
  pauseJob(uuid: string, options?: GetJobOptions): Promise<void> {
    return this.#action(uuid, 'pause', options);
  }

  /** Asks ONTAP to resume a paused job. */
  resumeJob(uuid: string, options?: GetJobOptions): Promise<void> {
    return this.#action(uuid, 'resume', options);
  }

  /**
   * The job uuid in the body of a 202 answer (`{ job: { uuid } }`), or of a query-based answer
   * with exactly one job (`{ jobs: [{ uuid }] }`). Takes the parsed body or its JSON text.
   */
  jobIdFrom(body: unknown): string {
    return ontapJobIdFrom(body);
  }

  protected async closeConnections(): Promise<void> {
    await this.#http.close();
  }

  protected describe(): Record<string, unknown> {
    return { baseUrl: this.baseUrl, username: this.#username };
  }

  async #action(uuid: string, action: 'cancel' | 'pause' | 'resume', options: GetJobOptions | undefined): Promise<void> {
    const path = `${this.#jobPath(uuid)}?action=${action}`;
    // Idempotent in effect: a second cancel, pause or resume changes nothing more, so one lost on a
    // stale kept-alive socket (or answered 502/504) may go again.
    await this.#http.request({ method: 'PATCH', path, schema: z.unknown(), signal: options?.signal, idempotent: true, jobId: uuid });
  }

  #jobPath(uuid: string): string {
    return `${this.#jobsPath}/${pathSegment(uuid, 'uuid', UUID, 'must be an ONTAP job UUID')}`;
  }

  /** Every record of a collection query, page after page; a page link that repeats a page is refused. */
  async *#records(first: string, signal: AbortSignal | undefined): AsyncGenerator<OntapJobRaw> {
    let path: string | undefined = first;
    const seen = new Set<string>();
    while (path !== undefined) {
      seen.add(path);
      const page = await this.#http.request({ method: 'GET', path, schema: ontapJobCollectionSchema, signal });
      yield* page.data.records;
      const next = page.data._links?.next?.href;
      if (next === undefined || next === '') break;
      path = this.#nextPath(next, page.status);
      if (seen.has(path)) {
        throw new InvalidResponseError({ status: page.status, method: 'GET', url: this.#http.origin + path, reason: 'the next page link repeats a page already read' });
      }
    }
  }

  /**
   * A next-page link stays on this cluster: a path under its API (its dot segments resolved first,
   * `%2e` forms too), never another origin or a path beside the base path. Returns it resolved.
   */
  #nextPath(href: string, status: number): string {
    const queryAt = href.search(/[?#]/);
    const hrefPath = queryAt === -1 ? href : href.slice(0, queryAt);
    const apiPath = `${this.#basePath}/api`;
    const safe = href.startsWith('/') && !href.startsWith('//') && !/[\s\u0000-\u001f\u007f]/.test(href);
    const path = safe ? resolvePathUnder(hrefPath.startsWith(`${apiPath}/`) ? hrefPath : this.#basePath + hrefPath, apiPath) : undefined;
    if (path === undefined) {
      throw new InvalidResponseError({ status, method: 'GET', url: this.#http.origin + this.#jobsPath, reason: 'the next page link is not a path under /api/' });
    }
    return queryAt === -1 ? path : path + href.slice(queryAt);
  }
}

/** Creates an ONTAP cluster jobs client with its own keep-alive connection pool. */
export function createOntapClient(options: OntapClientOptions): OntapClient {
  return new OntapClient(options);
}

/** The job uuid in an ONTAP 202 body; see {@link OntapClient.jobIdFrom}. */
export function ontapJobIdFrom(body: unknown): string {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new InvalidArgumentError('body', 'is not JSON');
    }
  }
  const single = ontapJobLinkResponseSchema.safeParse(value);
  let uuid: string | undefined;
  if (single.success) {
    uuid = single.data.job.uuid;
  } else {
    const many = ontapJobsLinkResponseSchema.safeParse(value);
    if (many.success && many.data.jobs.length === 1) uuid = many.data.jobs[0]?.uuid;
    else if (many.success) throw new InvalidArgumentError('body', `holds ${many.data.jobs.length} jobs, not one: read body.jobs`);
  }
  if (uuid === undefined) throw new InvalidArgumentError('body', 'is not an ONTAP job answer: expected { job: { uuid } }');
  assertPathId(uuid, 'body.job.uuid', UUID, 'must be an ONTAP job UUID');
  return uuid;
}

function checkAuth(auth: unknown): OntapAuth {
  if (typeof auth !== 'object' || auth === null) throw new InvalidArgumentError('auth', 'must be { username, password }');
  const { username, password } = auth as Partial<OntapAuth>;
  if (typeof username !== 'string' || username.length === 0 || username.includes(':') || /[\r\n]/.test(username)) {
    throw new InvalidArgumentError('auth.username', 'must be a non-empty string without ":" or line breaks');
  }
  if (typeof password !== 'string') throw new InvalidArgumentError('auth.password', 'must be a string');
  return { username, password };
}

/** A chunk's query without its uuids. */
const CHUNK_QUERY_LENGTH = '?uuid=&fields=*&max_records=1000'.length;
/** A UUID and its `%7C` separator in a chunk's query. */
const UUID_COST = 36 + 3;

/** Splits uuids into chunks whose `uuid=a%7Cb…&fields=*&max_records=N` query fits in `budget` characters. */
function chunkByLength(uuids: readonly string[], budget: number): string[][] {
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let length = CHUNK_QUERY_LENGTH;
  for (const uuid of uuids) {
    const cost = uuid.length + 3; // the uuid and its %7C separator
    if (chunk.length > 0 && length + cost > budget) {
      chunks.push(chunk);
      chunk = [];
      length = CHUNK_QUERY_LENGTH;
    }
    chunk.push(uuid);
    length += cost;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

function withListedFields(query: OntapJobQuery): Record<string, QueryValue> {
  const { fields, order_by: orderBy, ...rest } = query;
  const list = fields === undefined ? ['*'] : typeof fields === 'string' ? fields.split(',').map((f) => f.trim()) : [...fields];
  for (const field of ALWAYS_LISTED_FIELDS) if (!list.includes(field) && !list.includes('*') && !list.includes('**')) list.push(field);
  const out: Record<string, QueryValue> = { ...rest, fields: list.join(',') };
  if (orderBy !== undefined) out['order_by'] = typeof orderBy === 'string' ? orderBy : orderBy.join(',');
  return out;
}

function parseOntapError(body: unknown): { vendorCode?: string; vendorMessage?: string; target?: string } {
  const parsed = ontapErrorResponseSchema.safeParse(body);
  if (!parsed.success) return {};
  const { code, message, target } = parsed.data.error;
  return { vendorCode: code, vendorMessage: message, target };
}
