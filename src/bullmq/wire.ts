import * as errors from '../errors/index.js';
import { JobwaitError } from '../errors/jobwait-error.js';
import type { Job, Task } from '../model/job.js';
import type { WaitEnd } from '../engine/advance.js';

/**
 * How a durable wait's outcome is stored in Redis (the BullMQ job's return value): the terminal
 * `Job` as JSON, or the error `waitForJob` would have rejected with, as its `toJSON()`. Both come
 * back as the same values: Dates revived, and the error an instance of its own jobwait class.
 * @internal
 */
export type WireOutcome = { ok: true; job: WireJson } | { ok: false; error: WireJson };

/** A JSON-safe object. @internal */
export type WireJson = { [key: string]: unknown };

const JOB_DATES = ['createdAt', 'startedAt', 'updatedAt', 'endedAt'] as const;

/** A wait's end as it is stored. @internal */
export function outcomeOf(end: WaitEnd<unknown>): WireOutcome {
  if (end.reason === 'error') return { ok: false, error: errorToWire(end.error) };
  if (end.error !== undefined) return { ok: false, error: errorToWire(end.error) };
  return { ok: true, job: jobToWire(end.job) };
}

/** A `Job` as plain JSON (its Dates as ISO strings, its `raw` kept). @internal */
export function jobToWire(job: Job<unknown>): WireJson {
  return JSON.parse(JSON.stringify(job)) as WireJson;
}

/** A stored job back as a `Job`: its and its tasks' timestamps as `Date`s again. @internal */
export function jobFromWire<TRaw>(value: unknown): Job<TRaw> {
  const job = { ...(value as WireJson) };
  for (const key of JOB_DATES) reviveDate(job, key);
  job['tasks'] = Array.isArray(job['tasks']) ? job['tasks'].map(taskFromWire) : [];
  return job as unknown as Job<TRaw>;
}

function taskFromWire(value: unknown): Task {
  const task = { ...(value as WireJson) };
  reviveDate(task, 'createdAt');
  reviveDate(task, 'updatedAt');
  task['tasks'] = Array.isArray(task['tasks']) ? task['tasks'].map(taskFromWire) : [];
  return task as unknown as Task;
}

function reviveDate(target: WireJson, key: string): void {
  const value = target[key];
  if (typeof value === 'string') target[key] = new Date(value);
}

/** An error as plain JSON: a jobwait error's own `toJSON()` (secret-free), any other its name and message. @internal */
export function errorToWire(error: unknown): WireJson {
  if (error instanceof JobwaitError) return JSON.parse(JSON.stringify(error)) as WireJson;
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** The jobwait error classes by `name`, as `errorFromWire` revives them. */
const CLASSES: ReadonlyMap<string, Function> = new Map(
  Object.values(errors as Record<string, unknown>)
    .filter((value): value is Function => typeof value === 'function' && (value as { prototype: unknown }).prototype instanceof JobwaitError)
    .map((value) => [(value.prototype as Error).name, value]),
);

const JOB_FIELDS = new Set(['job', 'lastJob']);

/**
 * A stored error back as an instance of its class (so `instanceof` and `code` work), with its own
 * fields (`jobId`, `lastJob` with Dates, `outcomes`, `status`…) and its `cause` revived the same
 * way. The class's constructor is not run: its message was made when the error was.
 * @internal
 */
export function errorFromWire(value: unknown): Error {
  const wire = (typeof value === 'object' && value !== null ? value : { message: String(value) }) as WireJson;
  const name = typeof wire['name'] === 'string' ? wire['name'] : 'Error';
  const message = typeof wire['message'] === 'string' ? wire['message'] : '';
  const Class = CLASSES.get(name);
  const error: Error = Class ? (Reflect.construct(Error, [message], Class) as Error) : new Error(message);
  if (!Class) {
    error.name = name;
    if (typeof wire['code'] === 'string') Object.defineProperty(error, 'code', { value: wire['code'], enumerable: true, writable: true, configurable: true });
  }
  for (const [key, field] of Object.entries(wire)) {
    if (key === 'name' || key === 'code' || key === 'message') continue;
    const revived = key === 'cause' ? errorOrValue(field) : JOB_FIELDS.has(key) && typeof field === 'object' && field !== null ? jobFromWire(field) : field;
    Object.defineProperty(error, key, { value: revived, enumerable: key !== 'cause', writable: true, configurable: true });
  }
  return error;
}

function errorOrValue(value: unknown): unknown {
  return typeof value === 'object' && value !== null && typeof (value as WireJson)['message'] === 'string' ? errorFromWire(value) : value;
}
