import { randomUUID } from 'node:crypto';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { Lifecycle, type StepTiming, type VisibilityScript } from '../../src/simulation/lifecycle.js';

/** One scripted ONTAP state: what `GET /api/cluster/jobs/{uuid}` shows, for some polls or some time. */
export interface OntapStep extends StepTiming {
  /** ONTAP's `state`: queued, running, paused, success, failure (or anything, to test drift). */
  state: string;
  /** ONTAP's \`message\` for the job in this step. */
  message?: string;
  /** ONTAP's numeric \`code\` for the job in this step. */
  code?: number;
  /** ONTAP's \`error\` object for the job in this step. */
  error?: {
    /** The ONTAP error code, as a string. */
    code?: string;
    /** The ONTAP error message. */
    message?: string;
    /** The parameter or object the error is about. */
    target?: string;
    /** The error's arguments, as ONTAP lists them. */
    arguments?: {
      /** The argument's code. */
      code?: string;
      /** The argument's text. */
      message?: string;
    }[];
  };
  /** More fields, merged into the record as they are. */
  fields?: Record<string, unknown>;
}

/** A scripted ONTAP job. */
export interface OntapJobScript extends VisibilityScript {
  /** @default a random UUID */
  uuid?: string;
  /** The job's \`description\`. */
  description?: string;
  /** The lifecycle; the last step holds. @default queued, running, success (one poll each) */
  steps?: OntapStep[];
  /** The SVM the job belongs to, shown as the job's \`svm\`. */
  svm?: {
    /** The SVM's name. */
    name: string;
    /** The SVM's UUID. */
    uuid: string;
  };
  /** Whether `?action=cancel` works; when `false` ONTAP refuses with 458784. @default true */
  cancellable?: boolean;
  /** Whether `?action=pause` works; when `false` ONTAP refuses with 458783. @default true */
  pausable?: boolean;
}

/** The lifecycle of a job scripted without steps. */
export const ONTAP_DEFAULT_STEPS: readonly OntapStep[] = Object.freeze([
  { state: 'queued', message: 'Queued' },
  { state: 'running', message: 'creating_node_backups' },
  { state: 'success', message: 'Complete: Successful', code: 0 },
]);

/** ONTAP deletes a finished job this long after it ends. */
export const ONTAP_JOB_RETENTION_MS = 300_000;

const TERMINAL = new Set(['success', 'failure']);
const isTerminalStep = (step: OntapStep): boolean => TERMINAL.has(step.state);
const timestamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

interface SimJob {
  script: OntapJobScript;
  lifecycle: Lifecycle<OntapStep>;
  /** Where the job stands in the map's iteration order (a replaced uuid keeps its place). */
  order: number;
  startedAt?: number;
  endedAt?: number;
}

/** The simulated ONTAP cluster jobs API: script jobs, then point an ONTAP client at the simulator. */
export class OntapSimulation {
  /** When set, every request must carry these basic credentials, or gets 401. */
  credentials:
    | {
        /** The user name requests must carry. */
        username: string;
        /** The password requests must carry. */
        password: string;
      }
    | undefined;
  readonly #jobs = new Map<string, SimJob>();
  /** The uuids of `#jobs` by their lower-case spelling: the `uuid=a|b|…` fast path of `#list`. */
  readonly #uuidsByLowerCase = new Map<string, Set<string>>();
  /** Jobs scripted to be hidden at first (`hiddenForPolls`, `hiddenForMs`) and not deleted. */
  readonly #maybeHidden = new Set<SimJob>();
  #nextOrder = 0;
  /** A step's `fields` sets `uuid`: a record may then show a uuid other than its key, so no fast path. */
  #fieldsSetUuid = false;

  /** Adds a scripted job and returns its uuid. */
  addJob(script: OntapJobScript = {}): string {
    const uuid = script.uuid ?? randomUUID();
    const steps = script.steps && script.steps.length > 0 ? script.steps : [...ONTAP_DEFAULT_STEPS];
    // ONTAP's retention applies unless the script says when the job goes.
    const retention = script.deleteAfterMs === undefined && script.deleteAfterPolls === undefined ? { deleteAfterMs: ONTAP_JOB_RETENTION_MS } : {};
    const lifecycle = new Lifecycle<OntapStep>(steps, { ...retention, ...script }, isTerminalStep);
    const replaced = this.#jobs.get(uuid);
    if (replaced) this.#maybeHidden.delete(replaced);
    const job: SimJob = { script: { ...script, uuid }, lifecycle, order: replaced?.order ?? this.#nextOrder++ };
    this.#jobs.set(uuid, job);
    const lower = uuid.toLowerCase();
    const spellings = this.#uuidsByLowerCase.get(lower) ?? new Set<string>();
    spellings.add(uuid);
    this.#uuidsByLowerCase.set(lower, spellings);
    if (script.hiddenForPolls !== undefined || script.hiddenForMs !== undefined) this.#maybeHidden.add(job);
    if (steps.some((step) => step.fields !== undefined && Object.hasOwn(step.fields, 'uuid'))) this.#fieldsSetUuid = true;
    return uuid;
  }

  /** Deletes a job now: it answers 404 from here on. */
  deleteJob(uuid: string): void {
    this.#jobs.get(uuid)?.lifecycle.delete();
  }

  /** The record a GET would show now, without counting a poll; `undefined` when it is missing. */
  peek(uuid: string): Record<string, unknown> | undefined {
    const job = this.#jobs.get(uuid);
    const view = job?.lifecycle.peek();
    return job && view?.kind === 'visible' ? this.#record(job, view.step, Date.now()) : undefined;
  }

  /** Forgets every job and the credentials. */
  reset(): void {
    this.#jobs.clear();
    this.#uuidsByLowerCase.clear();
    this.#maybeHidden.clear();
    this.#fieldsSetUuid = false;
    this.credentials = undefined;
  }

  /** msw request handlers for `/api/cluster/jobs` and `/api/cluster/jobs/{uuid}`, on any origin. */
  handlers(): RequestHandler[] {
    return [
      http.get('*/api/cluster/jobs/:uuid', ({ request, params }) => {
        const denied = this.#authorize(request);
        if (denied) return denied;
        const uuid = String(params['uuid']);
        const job = this.#jobs.get(uuid);
        const view = job?.lifecycle.poll();
        if (!job || view?.kind !== 'visible') return notFound();
        return HttpResponse.json(this.#record(job, view.step, Date.now()));
      }),
      http.get('*/api/cluster/jobs', ({ request }) => {
        const denied = this.#authorize(request);
        return denied ?? this.#list(new URL(request.url));
      }),
      http.patch('*/api/cluster/jobs/:uuid', ({ request, params }) => {
        const denied = this.#authorize(request);
        if (denied) return denied;
        return this.#action(String(params['uuid']), new URL(request.url).searchParams.get('action'));
      }),
    ];
  }

  #authorize(request: Request): Response | undefined {
    if (!this.credentials) return undefined;
    const expected = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    if (request.headers.get('authorization') === expected) return undefined;
    return HttpResponse.json({ error: { message: 'not authorized for that command', code: '6' } }, { status: 401 });
  }

  #record(job: SimJob, step: OntapStep, now: number): Record<string, unknown> {
    job.endedAt = isTerminalStep(step) ? (job.lifecycle.endedAt ?? now) : undefined;
    // A job first seen after its end started no later than it ended.
    if (step.state !== 'queued') job.startedAt ??= Math.min(now, job.endedAt ?? now);
    const { script } = job;
    const record: Record<string, unknown> = {
      uuid: script.uuid,
      description: script.description ?? 'Scripted job',
      state: step.state,
    };
    if (step.message !== undefined) record['message'] = step.message;
    if (step.code !== undefined) record['code'] = step.code;
    if (step.error !== undefined) record['error'] = step.error;
    if (job.startedAt !== undefined) record['start_time'] = timestamp(job.startedAt);
    if (job.endedAt !== undefined) record['end_time'] = timestamp(job.endedAt);
    if (script.svm) record['svm'] = { ...script.svm, _links: { self: { href: `/api/svm/svms/${script.svm.uuid}` } } };
    record['_links'] = { self: { href: `/api/cluster/jobs/${String(script.uuid)}` } };
    return { ...record, ...step.fields };
  }

  #list(url: URL): Response {
    const params = url.searchParams;
    const maxRecords = Number(params.get('max_records') ?? '0') || Infinity;
    const start = Number(params.get('start.index') ?? '0') || 0;
    const fields = (params.get('fields') ?? '').split(',').filter(Boolean);
    const filters: [string, string][] = [];
    for (const [key, value] of params) {
      if (!['fields', 'max_records', 'order_by', 'return_records', 'return_timeout', 'start.index'].includes(key)) filters.push([key, value]);
    }
    const order = parseOrderBy(params.getAll('order_by'));
    if (order === undefined) return HttpResponse.json({ error: { message: `Unexpected argument "order_by=${params.getAll('order_by').join(',')}".`, code: '262179' } }, { status: 400 });
    const now = Date.now();
    const matched: { job: SimJob; record: Record<string, unknown> | undefined }[] = [];
    for (const job of this.#candidates(filters)) {
      const peeked = job.lifecycle.peek(now);
      if (peeked.kind !== 'visible') {
        // A read of a job not visible yet still counts as a poll of it (batched waits poll this way).
        if (peeked.reason === 'hidden' && params.get('return_records') !== 'false') job.lifecycle.poll(now);
        if (peeked.reason === 'deleted') this.#maybeHidden.delete(job); // for good
        continue;
      }
      // What the filters and order_by read; the answer shows the record after the poll below.
      const record = filters.length > 0 || order.length > 0 ? this.#record(job, peeked.step, now) : undefined;
      if (record && !filters.every(([key, value]) => matchesOntapFilter(lookup(record, key), value))) continue;
      matched.push({ job, record });
    }
    if (order.length > 0) matched.sort((a, b) => compareRecords(a.record ?? {}, b.record ?? {}, order));
    if (params.get('return_records') === 'false') {
      return HttpResponse.json({ num_records: matched.length });
    }
    // A collection read of a job counts as a poll of it (batched polling reads jobs this way).
    const page = matched.slice(start, start + maxRecords).map(({ job }) => {
      const view = job.lifecycle.poll(now);
      const record = view.kind === 'visible' ? this.#record(job, view.step, now) : {};
      return project(record, fields);
    });
    const body: Record<string, unknown> = { records: page, num_records: page.length, _links: { self: { href: url.pathname + url.search } } };
    if (start + maxRecords < matched.length) {
      const next = new URLSearchParams(params);
      next.set('start.index', String(start + maxRecords));
      (body['_links'] as Record<string, unknown>)['next'] = { href: `${url.pathname}?${next.toString()}` };
    }
    return HttpResponse.json(body);
  }

  /**
   * The jobs a collection read looks at, in the map's order: every job; or, for a `uuid` filter of
   * plain uuids only (`uuid=a|b|…`, no `!`, `<`, `>` or `*`: how `getJobs` batches), the jobs those
   * uuids name (looked up, not scanned; every filter is still checked on each) plus the jobs that
   * may still be hidden, since a read counts as a poll of every hidden job.
   */
  #candidates(filters: readonly [string, string][]): Iterable<SimJob> {
    const uuidFilter = filters.find(([key]) => key === 'uuid')?.[1];
    if (uuidFilter === undefined || this.#fieldsSetUuid) return this.#jobs.values();
    const alternatives = uuidFilter.split('|');
    if (alternatives.some((alternative) => /^[!<>]|\*/.test(alternative))) return this.#jobs.values();
    const jobs = new Set<SimJob>(this.#maybeHidden);
    for (const alternative of alternatives) {
      for (const uuid of this.#uuidsByLowerCase.get(alternative.toLowerCase()) ?? []) jobs.add(this.#jobs.get(uuid) as SimJob);
    }
    return [...jobs].sort((a, b) => a.order - b.order);
  }

  #action(uuid: string, action: string | null): Response {
    const job = this.#jobs.get(uuid);
    const view = job?.lifecycle.peek();
    if (!job || view?.kind !== 'visible') return notFound();
    const { step } = view;
    const refuse = (code: string, message: string): Response => HttpResponse.json({ error: { message, code } }, { status: 400 });
    switch (action) {
      case 'cancel':
        if (isTerminalStep(step)) return refuse('458762', 'Job is already in a terminal state.');
        if (job.script.cancellable === false) return refuse('458784', 'This job does not support cancel.');
        job.lifecycle.override({ state: 'failure', message: 'Job was cancelled.', code: 458753, error: { code: '458753', message: 'Job was cancelled.' } }, true);
        return new HttpResponse(null, { status: 200 });
      case 'pause':
        if (isTerminalStep(step)) return refuse('458762', 'Job is already in a terminal state.');
        if (job.script.pausable === false) return refuse('458783', 'This job does not support pause.');
        if (step.state !== 'running') return refuse('458776', 'The specified job is not currently running.');
        job.lifecycle.override({ ...step, state: 'paused', message: 'Paused by user' }, true);
        return new HttpResponse(null, { status: 200 });
      case 'resume':
        if (step.state !== 'paused') return refuse('458771', 'The specified job is running.');
        job.lifecycle.override(undefined, false);
        return new HttpResponse(null, { status: 200 });
      default:
        return refuse('262179', `Unexpected argument "action=${String(action)}".`);
    }
  }
}

function notFound(): Response {
  return HttpResponse.json({ error: { message: "entry doesn't exist", code: '4', target: 'uuid' } }, { status: 404 });
}

function lookup(record: Record<string, unknown>, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** ONTAP's query operators: `a|b` any of, `!x` not, `*` wildcard, `<`, `>`, `<=`, `>=`. */
export function matchesOntapFilter(actual: unknown, filter: string): boolean {
  return filter.split('|').some((alternative) => matchOne(actual, alternative));
}

function matchOne(actual: unknown, filter: string): boolean {
  if (filter.startsWith('!')) return !matchOne(actual, filter.slice(1));
  // A field the record does not have matches no value, comparison or pattern.
  if (actual === undefined || actual === null) return false;
  const text = String(actual);
  for (const op of ['<=', '>=', '<', '>'] as const) {
    if (!filter.startsWith(op)) continue;
    const bound = filter.slice(op.length);
    const [a, b] = Number.isFinite(Number(text)) && Number.isFinite(Number(bound)) ? [Number(text), Number(bound)] : [text, bound];
    return op === '<=' ? a <= b : op === '>=' ? a >= b : op === '<' ? a < b : a > b;
  }
  if (filter.includes('*')) {
    const pattern = new RegExp(`^${filter.split('*').map((part) => part.replace(/[.+?^${}()[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
    return pattern.test(text);
  }
  return text.toLowerCase() === filter.toLowerCase();
}

/** One `order_by` key: a (dotted) field and its direction. */
interface OrderKey {
  field: string;
  descending: boolean;
}

/**
 * ONTAP's `order_by`: `field [asc|desc]`, several joined with commas (or given as several
 * parameters), each later one breaking the ties of those before; `asc` by default. `undefined` for
 * a direction that is neither.
 */
function parseOrderBy(values: readonly string[]): OrderKey[] | undefined {
  const keys: OrderKey[] = [];
  for (const item of values.flatMap((value) => value.split(','))) {
    const [field, direction = 'asc', ...rest] = item.trim().split(/\s+/);
    if (field === undefined || field === '') continue;
    const lower = direction.toLowerCase();
    if (rest.length > 0 || (lower !== 'asc' && lower !== 'desc')) return undefined;
    keys.push({ field, descending: lower === 'desc' });
  }
  return keys;
}

/** Numbers compare as numbers, anything else as text; a record without the field sorts as the largest. */
function compareRecords(a: Record<string, unknown>, b: Record<string, unknown>, order: readonly OrderKey[]): number {
  for (const { field, descending } of order) {
    const x = lookup(a, field);
    const y = lookup(b, field);
    let result: number;
    if (x === undefined || x === null || y === undefined || y === null) result = (x === undefined || x === null ? 1 : 0) - (y === undefined || y === null ? 1 : 0);
    else if (typeof x === 'number' && typeof y === 'number') result = x - y;
    else result = String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
    if (result !== 0) return descending ? -result : result;
  }
  return 0;
}

/** A record as `fields` asks: ONTAP returns only the key (`uuid`) and `_links` when `fields` is absent. */
function project(record: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  if (fields.includes('*') || fields.includes('**')) return record;
  const out: Record<string, unknown> = { uuid: record['uuid'], _links: record['_links'] };
  for (const field of fields) {
    const top = field.split('.', 1)[0] as string;
    if (top in record) out[top] = record[top];
  }
  return out;
}
