/**
 * The cross-vendor fault matrix: every fault the simulator can inject, aimed at each vendor's job
 * endpoint, through real loopback sockets. Each cell runs a real wait with small timings and asserts
 * how it ends (resolved, or the typed error with its key fields), that it ended in bounded time, and
 * that no credential leaked into the error, the client's faces or the logger. The matrix of observed
 * outcomes is printed after the run.
 */
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  InvalidResponseError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  NetworkError,
  RateLimitError,
  WaitAbortedError,
  type ClientOptions,
  type Job,
  type JobClient,
  type Logger,
  type WaitOptions,
} from '../../src/index.js';
import { startSimulator, type Fault, type RecordedRequest, type Simulator } from '../../src/testing/index.js';
import { ALL_SECRETS, VENDORS, type AuthMode, type ScriptedState, type Vendor } from './vendors.js';
import { faces, leakedSecrets } from '../helpers/faces.js';
import { echoEveryForm, foreignJson } from './encodings.js';

/** Per-request retries: one more attempt, at once. */
const RETRY = { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 5 } as const;
/** The schedule of most cells. */
const FAST = { minDelayMs: 2, maxDelayMs: 10 } as const;
/** The deadline of a wait expected to end well before it: a safety net, never reached. */
const SAFETY_TIMEOUT_MS = 5_000;
/** How late past its bound a wait may end on a loaded machine (timers, GC, a slow first request). */
const MARGIN_MS = 250;
/** A wait expected to end at once (a permanent error) or after a few quick polls ends within this. */
const QUICK_MS = 1_500;
/** The per-request timeout of the cells that need one. */
const REQUEST_TIMEOUT_MS = 150;
/** Every other cell still has a per-request timeout, so no bug can hang the run. */
const DEFAULT_REQUEST_TIMEOUT_MS = 2_000;
/** A response cap well above every normal answer of the simulator, well below the big bodies. */
const SMALL_CAP = 4_096;
const BIG = 10_000;
const SIGNATURE = /Signature=[0-9a-f]{16,}/i;

interface Outcome {
  job?: Job;
  error?: unknown;
  elapsedMs: number;
}

/** One cell of the matrix: a vendor, its credentials, a simulator that demands them, and what happened. */
interface Cell {
  vendor: Vendor;
  mode: AuthMode;
  sim: Simulator;
  /** Every logger call of every client of the cell. */
  logs: string[];
  /** The clients made for the cell. */
  clients: JobClient[];
  outcome?: Outcome;
  /** A client with the cell's secrets and logger (of `url`, the simulator's by default). */
  client(options?: ClientOptions & { url?: string }): JobClient;
  /** Another simulator, closed with the cell. */
  otherSimulator(): Promise<Simulator>;
  /** Runs a real waitForJob, measures it, and keeps the outcome. */
  wait(client: JobClient, id: string, options: WaitOptions): Promise<Outcome>;
  /** Injects a fault on the vendor's job endpoint. */
  aim(fault: Fault): void;
  /** The requests that reached the job endpoint. */
  jobRequests(sim?: Simulator): RecordedRequest[];
  /** The credential values the simulators saw in requests (header values, signatures). */
  sentCredentials(): string[];
  /** A text that echoes every secret of the client and the Authorization value it sent, each in every form servers write it in. */
  echo(): string;
  close(): Promise<void>;
}

async function openCell(vendor: Vendor, mode: AuthMode): Promise<Cell> {
  const sim = await startSimulator();
  vendor.demand(sim, mode);
  const sims: Simulator[] = [sim];
  const clients: JobClient[] = [];
  const logs: string[] = [];
  const log =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      logs.push(`${level} ${message} ${inspect(fields, { depth: 10 })} ${JSON.stringify(fields) ?? ''}`);
    };
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const cell: Cell = {
    vendor,
    mode,
    sim,
    logs,
    clients,
    client({ url, ...options } = {}) {
      const client = vendor.client(url ?? sim.url, mode, { retry: RETRY, requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS, logger, ...options });
      clients.push(client);
      return client;
    },
    async otherSimulator() {
      const other = await startSimulator();
      sims.push(other);
      return other;
    },
    async wait(client, id, options) {
      const started = performance.now();
      let outcome: Outcome;
      try {
        const job = await client.waitForJob(id, options);
        outcome = { job, elapsedMs: performance.now() - started };
      } catch (error) {
        outcome = { error, elapsedMs: performance.now() - started };
      }
      cell.outcome = outcome;
      return outcome;
    },
    aim(fault) {
      sim.fault({ ...fault, path: fault.path ?? vendor.jobPath });
    },
    jobRequests(target = sim) {
      return target.requests.filter((r) => r.path.includes(vendor.jobPath));
    },
    sentCredentials() {
      const values = new Set<string>();
      for (const s of sims) {
        for (const r of s.requests) {
          for (const name of ['authorization', 'x-auth-token', 'x-security-token']) {
            const value = r.headers[name];
            if (value === undefined) continue;
            values.add(value);
            const signature = /Signature=([0-9a-f]+)/i.exec(value)?.[1];
            if (signature !== undefined) values.add(signature);
          }
        }
      }
      return [...values];
    },
    echo() {
      const sent = sim.requests.map((r) => r.headers['authorization'] ?? r.headers['x-auth-token']).filter((v): v is string => v !== undefined);
      expect(sent.length, 'a request carried credentials to echo').toBeGreaterThan(0);
      const secrets = vendor.secrets(mode);
      return `access denied for ${secrets.map(echoEveryForm).join(' / ')}; Authorization: ${echoEveryForm(sent.at(-1) as string)}; X-Auth-Token: ${echoEveryForm(sim.requests.at(-1)?.headers['x-auth-token'] ?? '-')}`;
    },
    async close() {
      await Promise.allSettled(sims.map((s) => s.close()));
      await Promise.allSettled(clients.map((c) => c.close()));
    },
  };
  return cell;
}

// ---------------------------------------------------------------------------------------------
// Assertions shared by the cells

function succeeded(cell: Cell, outcome: Outcome, id: string, withinMs = QUICK_MS): Job {
  expect(outcome.error, `the wait rejected: ${String(outcome.error)}`).toBeUndefined();
  expect(outcome.job).toMatchObject({ vendor: cell.vendor.name, id, state: 'succeeded', vendorState: cell.vendor.word.succeeded });
  expect(outcome.elapsedMs).toBeLessThan(withinMs);
  return outcome.job as Job;
}

function rejectedWith<T>(outcome: Outcome, type: abstract new (...args: never[]) => T): T {
  expect(outcome.job, `the wait resolved with ${outcome.job?.state ?? '?'}`).toBeUndefined();
  expect(outcome.error).toBeInstanceOf(type);
  return outcome.error as T;
}

/** Ended at once: one poll, well within the quick bound. */
function endedAtOnce(cell: Cell, outcome: Outcome, polls = 1): void {
  expect(cell.jobRequests()).toHaveLength(polls);
  expect(outcome.elapsedMs).toBeLessThan(QUICK_MS);
}

/** Ended at the deadline: not before it, and not later than a margin past it. */
function endedAtDeadline(outcome: Outcome, timeoutMs: number): void {
  expect(outcome.elapsedMs).toBeGreaterThanOrEqual(timeoutMs - 2);
  expect(outcome.elapsedMs).toBeLessThanOrEqual(timeoutMs + MARGIN_MS);
  expect((outcome.error as JobTimeoutError).elapsedMs).toBeGreaterThanOrEqual(timeoutMs - 2);
}

function faulted(cell: Cell, type: Fault['type']): number {
  return cell.sim.requests.filter((r) => r.fault === type).length;
}

/** Records each state onProgress reports. */
function progress(): { states: string[]; jobs: Job[]; onProgress: (job: Job) => void } {
  const jobs: Job[] = [];
  return {
    jobs,
    get states() {
      return jobs.map((j) => j.state);
    },
    onProgress: (job) => jobs.push(job),
  };
}

/** Calls `action` once, on the first snapshot. */
function onFirst(action: (job: Job) => void): (job: Job) => void {
  let done = false;
  return (job) => {
    if (done) return;
    done = true;
    action(job);
  };
}


/** No credential, in any encoding, in the error's faces, the clients' faces or the logger output. */
function expectNoSecrets(cell: Cell): void {
  const forbidden = [...new Set([...ALL_SECRETS, ...cell.sentCredentials()])];
  const places: Record<string, string> = { logger: cell.logs.join('\n') };
  if (cell.outcome?.error !== undefined) for (const [face, text] of Object.entries(faces(cell.outcome.error))) places[`error ${face}`] = text;
  cell.clients.forEach((client, i) => {
    places[`client ${i} inspect`] = inspect(client, { depth: 10 });
    places[`client ${i} json`] = JSON.stringify(client);
  });
  expect(cell.logs.length, 'the logger was called').toBeGreaterThan(0);
  const leaks: string[] = [];
  for (const [place, text] of Object.entries(places)) {
    for (const secret of leakedSecrets(text, forbidden)) leaks.push(`${place} holds ${JSON.stringify(secret.length > 24 ? `${secret.slice(0, 24)}…` : secret)}`);
    if (SIGNATURE.test(text)) leaks.push(`${place} holds a Signature=<hex>`);
  }
  expect(leaks, 'credentials leaked').toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// The faults

interface FaultCase {
  /** The row of the matrix. */
  name: string;
  /** What the cell asserts, for its test name. */
  expect: string;
  run(cell: Cell): Promise<void>;
}

const SUCCEEDING: readonly ScriptedState[] = ['queued', 'running', 'succeeded'];
const RUNNING: readonly ScriptedState[] = ['running'];

/** A network fault on the first `times` attempts: the first poll fails outright, the second succeeds on its retry. */
function networkFault(name: string, type: 'reset' | 'reset-mid-body' | 'truncate'): FaultCase {
  return {
    name,
    expect: 'succeeds after the fault',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING);
      cell.aim({ type, times: 3 });
      succeeded(cell, await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS }), id);
      expect(faulted(cell, type)).toBe(3);
    },
  };
}

function proxyPage(status: 502 | 503): FaultCase {
  return {
    name: `HTML ${status} page from a proxy`,
    expect: 'keeps polling and succeeds',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING);
      cell.aim({ type: 'raw', status, times: 3, body: `<html><head><title>${status} Bad Gateway</title></head><body><center><h1>${status}</h1></center><hr><center>nginx</center></body></html>` });
      succeeded(cell, await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS }), id);
      expect(faulted(cell, 'raw')).toBe(3);
      expect(cell.jobRequests()).toHaveLength(3 + 3);
    },
  };
}

/** A per-request timeout fault: both attempts of the first poll time out, the wait goes on. */
function slowFault(name: string, fault: Fault): FaultCase {
  return {
    name,
    expect: 'the per-request timeout fires and the wait goes on to succeed',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING);
      cell.aim({ ...fault, times: 2 });
      const outcome = await cell.wait(cell.client({ requestTimeoutMs: REQUEST_TIMEOUT_MS }), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS });
      succeeded(cell, outcome, id, 2 * REQUEST_TIMEOUT_MS + QUICK_MS);
      expect(outcome.elapsedMs).toBeGreaterThanOrEqual(2 * REQUEST_TIMEOUT_MS - 2);
      expect(faulted(cell, fault.type)).toBe(2);
      // The retry of the first attempt was logged with the timeout's reason.
      expect(cell.logs.some((line) => line.includes('requestTimeoutMs'))).toBe(true);
    },
  };
}

const FAULTS: FaultCase[] = [
  {
    name: 'no fault (baseline)',
    expect: 'succeeds, reporting each state once',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING);
      const seen = progress();
      succeeded(cell, await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS, onProgress: seen.onProgress }), id);
      expect(seen.states).toEqual(['queued', 'running', 'succeeded']);
      expect(cell.jobRequests()).toHaveLength(3);
    },
  },
  {
    name: 'connection refused by an endpoint that never answered',
    expect: 'ends within the per-request retries with a permanent NetworkError naming the host',
    async run(cell) {
      const dead = await startSimulator();
      const url = dead.url;
      await dead.close();
      const outcome = await cell.wait(cell.client({ url }), crypto.randomUUID(), { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS });
      const error = rejectedWith(outcome, NetworkError);
      expect(error.transient).toBe(false);
      expect(error.message).toContain(`cannot reach ${new URL(url).host}: connection refused (ECONNREFUSED)`);
      expect(error.message).toContain('check the URL');
      expect(outcome.elapsedMs).toBeLessThan(QUICK_MS);
      // the per-request retry still went out before the wait gave up
      expect(cell.logs.filter((line) => line.includes('retrying'))).toHaveLength(RETRY.retries);
    },
  },
  networkFault('reset before headers', 'reset'),
  networkFault('reset mid-body', 'reset-mid-body'),
  slowFault('server never answers', { type: 'hang' }),
  slowFault('body trickles slower than the timeout', { type: 'trickle', intervalMs: 25, chunkBytes: 8 }),
  networkFault('truncated body (connection closes early)', 'truncate'),
  {
    name: 'truncated JSON in a complete 200',
    expect: 'fails at once with InvalidResponseError',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING);
      const body = '{"uuid":"x","sta';
      cell.aim({ type: 'raw', status: 200, contentType: 'application/json', body });
      const outcome = await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS });
      const error = rejectedWith(outcome, InvalidResponseError);
      expect(error).toMatchObject({ status: 200, method: 'GET', bodySnippet: body, issues: [] });
      expect(error.message).toContain('not JSON');
      endedAtOnce(cell, outcome);
    },
  },
  proxyPage(502),
  proxyPage(503),
  {
    name: '500 burst',
    expect: 'keeps polling and succeeds',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING);
      cell.aim({ type: 'status', status: 500, times: 4, body: cell.vendor.errorBody('server', 'Internal error') });
      succeeded(cell, await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS }), id);
      expect(faulted(cell, 'status')).toBe(4);
      // A 500 is no per-request retry: each one is a poll of its own.
      expect(cell.jobRequests()).toHaveLength(4 + 3);
    },
  },
  {
    name: '429 with Retry-After: 0.05 (seconds)',
    expect: 'waits the 50 ms it was told, then succeeds',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING);
      cell.aim({ type: 'rate-limit', retryAfter: '0.05' });
      succeeded(cell, await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS }), id);
      const [limited, next] = cell.jobRequests();
      expect(limited?.fault).toBe('rate-limit');
      const gap = (next as RecordedRequest).at - (limited as RecordedRequest).at;
      expect(gap).toBeGreaterThanOrEqual(45);
      expect(gap).toBeLessThan(50 + MARGIN_MS);
    },
  },
  {
    name: '429 with Retry-After as an HTTP date',
    expect: 'waits until that date, then succeeds',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING);
      // HTTP dates have whole seconds: the next whole second at least 60 ms ahead.
      const at = Math.ceil((Date.now() + 60) / 1000) * 1000;
      cell.aim({ type: 'rate-limit', retryAfter: new Date(at).toUTCString() });
      succeeded(cell, await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS }), id, 1_000 + QUICK_MS);
      const [limited, next] = cell.jobRequests();
      expect(limited?.fault).toBe('rate-limit');
      expect((next as RecordedRequest).at).toBeGreaterThanOrEqual(at - 10);
      expect((next as RecordedRequest).at).toBeLessThan(at + MARGIN_MS);
    },
  },
  {
    name: 'hostile Retry-After: 999999',
    expect: 'honours the pause (no request goes out while the client is paused) and times out on time',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, RUNNING);
      const timeoutMs = 300;
      const minDelayMs = 60;
      cell.aim({ type: 'rate-limit', retryAfter: 999999 });
      const outcome = await cell.wait(cell.client(), id, { minDelayMs, maxDelayMs: minDelayMs, timeoutMs });
      const error = rejectedWith(outcome, JobTimeoutError);
      // 999999 s never pushes the wait past its deadline: it rejects on time.
      endedAtDeadline(outcome, timeoutMs);
      // The 429 paused the whole client (capped at 60 s): the last poll, placed just before the
      // deadline, waited in the client's queue and was cut by the deadline, so no second request.
      const [limited, extra] = cell.jobRequests();
      expect(limited?.fault).toBe('rate-limit');
      expect(extra).toBeUndefined();
      expect(error.lastJob).toBeUndefined();
      expect(error.polls).toBe(2);
      expect(error.outcomes).toEqual({ '429': 1, DEADLINE: 1 });
      expect(error.cause).toBeInstanceOf(RateLimitError);
      expect((error.cause as RateLimitError).retryAfterMs).toBe(999_999_000);
    },
  },
  {
    name: '429 until the deadline',
    expect: 'times out at the deadline with a RateLimitError cause',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING);
      const timeoutMs = 200;
      cell.aim({ type: 'rate-limit', retryAfter: '0.02', times: Infinity });
      const outcome = await cell.wait(cell.client(), id, { ...FAST, timeoutMs });
      const error = rejectedWith(outcome, JobTimeoutError);
      endedAtDeadline(outcome, timeoutMs);
      expect(error.cause).toBeInstanceOf(RateLimitError);
      expect(error.cause).toMatchObject({ status: 429, retryAfterMs: 20 });
      expect(error.lastJob).toBeUndefined();
      expect(error.polls).toBeGreaterThanOrEqual(2);
    },
  },
  {
    name: '404 before the job is visible (within notFoundGraceMs)',
    expect: 'keeps polling until it appears, then succeeds',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING, { hiddenForPolls: 3 });
      const seen = progress();
      succeeded(cell, await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS, notFoundGraceMs: 2_000, onProgress: seen.onProgress }), id);
      expect(seen.states).toEqual(['queued', 'running', 'succeeded']);
      expect(cell.jobRequests()).toHaveLength(3 + 3);
    },
  },
  {
    name: '404 past notFoundGraceMs',
    expect: 'fails with JobNotFoundError (never seen) once the grace has passed',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING, { hiddenForMs: 60_000 });
      const graceMs = 60;
      const outcome = await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS, notFoundGraceMs: graceMs });
      const error = rejectedWith(outcome, JobNotFoundError);
      expect(error.jobId).toBe(id);
      expect(error.lastJob).toBeUndefined();
      expect(outcome.elapsedMs).toBeGreaterThanOrEqual(graceMs - 2);
      expect(outcome.elapsedMs).toBeLessThan(graceMs + MARGIN_MS);
      expect(cell.jobRequests().length).toBeGreaterThanOrEqual(2);
    },
  },
  {
    name: '404 after the job was seen',
    expect: 'fails at once with JobNotFoundError carrying the last snapshot',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, RUNNING);
      const outcome = await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS, onProgress: onFirst(() => cell.vendor.deleteJob(cell.sim, id)) });
      const error = rejectedWith(outcome, JobNotFoundError);
      expect(error.lastJob).toMatchObject({ id, state: 'running' });
      expect(error.message).toContain('vanished');
      endedAtOnce(cell, outcome, 2);
    },
  },
  {
    name: '200 that is not JSON (echoing the credentials)',
    expect: 'fails at once with InvalidResponseError and a redacted snippet',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, RUNNING);
      const outcome = await cell.wait(cell.client(), id, {
        ...FAST,
        timeoutMs: SAFETY_TIMEOUT_MS,
        onProgress: onFirst(() => cell.aim({ type: 'raw', status: 200, contentType: 'text/html', body: `<html><body>Maintenance. ${cell.echo()}</body></html>` })),
      });
      const error = rejectedWith(outcome, InvalidResponseError);
      expect(error.status).toBe(200);
      expect(error.message).toContain('not JSON');
      expect(error.bodySnippet).toContain('Maintenance.');
      expect(error.bodySnippet).toContain('[REDACTED]');
      endedAtOnce(cell, outcome, 2);
    },
  },
  {
    name: 'body over the size cap (200)',
    expect: 'fails at once with InvalidResponseError',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING);
      const body = JSON.stringify({ ...(cell.vendor.succeededBody(id) as object), padding: 'x'.repeat(BIG) });
      cell.aim({ type: 'raw', status: 200, contentType: 'application/json', body });
      const outcome = await cell.wait(cell.client({ maxResponseBytes: SMALL_CAP }), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS });
      const error = rejectedWith(outcome, InvalidResponseError);
      expect(error.status).toBe(200);
      expect(error.message).toContain('maxResponseBytes');
      endedAtOnce(cell, outcome);
    },
  },
  {
    name: 'big 503 page over the size cap',
    expect: 'stays transient and succeeds',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING);
      cell.aim({ type: 'raw', status: 503, times: 3, body: `<html><body>${'Service Unavailable. '.repeat(BIG / 20)}</body></html>` });
      succeeded(cell, await cell.wait(cell.client({ maxResponseBytes: SMALL_CAP }), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS }), id);
      expect(faulted(cell, 'raw')).toBe(3);
    },
  },
  {
    name: 'redirect to another origin',
    expect: 'is not followed and fails at once with ApiError 302',
    async run(cell) {
      const other = await cell.otherSimulator();
      const id = cell.vendor.scripted(cell.sim, SUCCEEDING);
      cell.vendor.scripted(other, SUCCEEDING);
      cell.aim({ type: 'status', status: 302, headers: { location: `${other.url}${cell.vendor.jobPath}${id}` } });
      const outcome = await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS });
      const error = rejectedWith(outcome, ApiError);
      expect(error.name).toBe('ApiError');
      expect(error.status).toBe(302);
      expect(other.requests).toHaveLength(0);
      endedAtOnce(cell, outcome);
    },
  },
  {
    name: 'state goes backwards and repeats',
    expect: 'succeeds, reporting each change once',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, ['queued', 'running', 'queued', 'running', 'running', 'succeeded']);
      const seen = progress();
      succeeded(cell, await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS, onProgress: seen.onProgress }), id);
      expect(seen.states).toEqual(['queued', 'running', 'queued', 'running', 'succeeded']);
      expect(cell.jobRequests()).toHaveLength(6);
    },
  },
  {
    name: 'unknown state',
    expect: 'keeps polling through it and succeeds',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, ['running', 'unknown', 'unknown', 'running', 'succeeded']);
      const seen = progress();
      succeeded(cell, await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS, onProgress: seen.onProgress }), id);
      expect(seen.states).toEqual(['running', 'unknown', 'running', 'succeeded']);
      expect(seen.jobs[1]?.vendorState).toBe(cell.vendor.word.unknown);
    },
  },
  {
    name: 'wrong content type with a JSON body',
    expect: 'parses the body and succeeds',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, RUNNING);
      cell.aim({ type: 'raw', status: 200, contentType: 'text/plain', body: JSON.stringify(cell.vendor.succeededBody(id)) });
      succeeded(cell, await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS }), id);
      expect(cell.jobRequests()).toHaveLength(1);
    },
  },
  {
    name: '400 echoing the credentials',
    expect: 'fails at once with ApiError 400, redacted',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, RUNNING);
      const outcome = await cell.wait(cell.client(), id, {
        ...FAST,
        timeoutMs: SAFETY_TIMEOUT_MS,
        onProgress: onFirst(() => cell.aim({ type: 'status', status: 400, body: cell.vendor.errorBody('bad-request', cell.echo()) })),
      });
      const error = rejectedWith(outcome, ApiError);
      expect(error.name).toBe('ApiError');
      expect(error.status).toBe(400);
      expect(error.vendorMessage).toContain('[REDACTED]');
      endedAtOnce(cell, outcome, 2);
    },
  },
  {
    name: '401 echoing the credentials',
    expect: 'fails at once with AuthenticationError, redacted',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, RUNNING);
      const outcome = await cell.wait(cell.client(), id, {
        ...FAST,
        timeoutMs: SAFETY_TIMEOUT_MS,
        onProgress: onFirst(() => cell.aim({ type: 'status', status: 401, body: cell.vendor.errorBody('unauthorized', cell.echo()) })),
      });
      const error = rejectedWith(outcome, AuthenticationError);
      expect(error.status).toBe(401);
      expect(error.vendorMessage).toContain('[REDACTED]');
      endedAtOnce(cell, outcome, 2);
    },
  },
  {
    name: '500s echoing the credentials until the deadline',
    expect: 'times out at the deadline with a redacted ApiError 500 cause',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, RUNNING);
      const timeoutMs = 200;
      const outcome = await cell.wait(cell.client(), id, {
        ...FAST,
        timeoutMs,
        onProgress: onFirst(() => cell.aim({ type: 'status', status: 500, times: Infinity, body: cell.vendor.errorBody('server', cell.echo()) })),
      });
      const error = rejectedWith(outcome, JobTimeoutError);
      endedAtDeadline(outcome, timeoutMs);
      expect(error.lastJob?.state).toBe('running');
      expect(error.cause).toBeInstanceOf(ApiError);
      expect(error.cause).toMatchObject({ status: 500 });
      expect((error.cause as ApiError).vendorMessage).toContain('[REDACTED]');
      expect(error.message).toContain('last error');
    },
  },
  {
    name: 'job fails',
    expect: 'fails with JobFailedError carrying the failed job',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, ['running', 'failed']);
      const outcome = await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS });
      const error = rejectedWith(outcome, JobFailedError);
      expect(error.job).toMatchObject({ id, state: 'failed', vendorState: cell.vendor.word.failed });
      endedAtOnce(cell, outcome, 2);
    },
  },
  {
    name: 'job text echoing the credentials',
    expect: 'fails with JobFailedError whose every face is free of credentials',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, RUNNING);
      const outcome = await cell.wait(cell.client(), id, {
        ...FAST,
        timeoutMs: SAFETY_TIMEOUT_MS,
        onProgress: onFirst(() => cell.aim({ type: 'raw', status: 200, contentType: 'application/json', body: JSON.stringify(cell.vendor.failedBody(id, `login refused: ${cell.echo()}`)) })),
      });
      const error = rejectedWith(outcome, JobFailedError);
      expect(error.job).toMatchObject({ id, state: 'failed', vendorState: cell.vendor.word.failed });
      expect(error.message).toContain('login refused');
      endedAtOnce(cell, outcome, 2);
    },
  },
  {
    name: 'job text echoing the credentials, written by a foreign JSON encoder (\\/, \\u00e4)',
    expect: 'fails with JobFailedError whose every face, and every snapshot, is free of credentials',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, RUNNING);
      const seen = progress();
      const outcome = await cell.wait(cell.client(), id, {
        ...FAST,
        timeoutMs: SAFETY_TIMEOUT_MS,
        onProgress: (job) => {
          seen.onProgress(job);
          if (seen.jobs.length === 1) cell.aim({ type: 'raw', status: 200, contentType: 'application/json', body: foreignJson(cell.vendor.failedBody(id, `login refused: ${cell.echo()}`)) });
        },
      });
      const error = rejectedWith(outcome, JobFailedError);
      expect(error.message).toContain('login refused: access denied for [REDACTED]');
      expect(leakedSecrets(inspect(seen.jobs, { depth: 10 }) + JSON.stringify(seen.jobs), [...ALL_SECRETS, ...cell.sentCredentials()])).toEqual([]);
      endedAtOnce(cell, outcome, 2);
    },
  },
  {
    name: '200 cut short inside an escaped echo of the credentials',
    expect: 'fails at once with InvalidResponseError whose snippet is redacted',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, RUNNING);
      const outcome = await cell.wait(cell.client(), id, {
        ...FAST,
        timeoutMs: SAFETY_TIMEOUT_MS,
        onProgress: onFirst(() => cell.aim({ type: 'raw', status: 200, contentType: 'application/json', body: foreignJson(cell.vendor.failedBody(id, `login refused: ${cell.echo()}`)).slice(0, -2) })),
      });
      const error = rejectedWith(outcome, InvalidResponseError);
      expect(error.message).toContain('not JSON');
      expect(error.bodySnippet).toContain('[REDACTED]');
      endedAtOnce(cell, outcome, 2);
    },
  },
  {
    name: 'caller aborts',
    expect: 'fails at once with WaitAbortedError',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, RUNNING);
      const controller = new AbortController();
      const reason = new Error('operator gave up');
      const outcome = await cell.wait(cell.client(), id, { ...FAST, timeoutMs: SAFETY_TIMEOUT_MS, signal: controller.signal, onProgress: onFirst(() => controller.abort(reason)) });
      const error = rejectedWith(outcome, WaitAbortedError);
      expect(error.cause).toBe(reason);
      expect(error.lastJob?.state).toBe('running');
      endedAtOnce(cell, outcome);
    },
  },
  // Last, so that the rows above keep the credentials they had (the Huawei vendors alternate per row).
  {
    name: 'connection refused after the endpoint answered',
    expect: 'stays transient: times out at the deadline with a NetworkError cause',
    async run(cell) {
      const id = cell.vendor.scripted(cell.sim, RUNNING);
      const timeoutMs = 300;
      const outcome = await cell.wait(cell.client(), id, { ...FAST, timeoutMs, onProgress: onFirst(() => void cell.sim.close()) });
      const error = rejectedWith(outcome, JobTimeoutError);
      endedAtDeadline(outcome, timeoutMs);
      expect(error.cause).toBeInstanceOf(NetworkError);
      expect((error.cause as NetworkError).transient).toBe(true);
      expect((error.cause as NetworkError).message).toMatch(/ECONNREFUSED/);
      expect(error.lastJob?.state).toBe('running');
      expect(error.outcomes['ok']).toBe(1);
      expect(error.outcomes['NETWORK']).toBeGreaterThanOrEqual(2);
    },
  },
];

// ---------------------------------------------------------------------------------------------
// The matrix

/** fault → vendor → the observed outcome. */
const matrix = new Map<string, Map<string, string>>();

function causeName(cause: unknown): string {
  if (cause instanceof NetworkError) return cause.timedOut ? 'NetworkError, timed out' : 'NetworkError';
  if (cause instanceof ApiError) return `${cause.name} ${cause.status}`;
  return cause instanceof Error ? cause.name : String(cause);
}

function summarize(outcome: Outcome | undefined): string {
  if (outcome === undefined) return 'no wait';
  const { job, error } = outcome;
  let text: string;
  if (error === undefined) text = job?.state === 'succeeded' ? 'succeeded' : `resolved ${job?.state ?? '?'}`;
  else if (error instanceof JobTimeoutError) text = `JobTimeoutError (${error.cause === undefined ? `last ${error.lastJob?.state ?? 'never seen'}` : `cause ${causeName(error.cause)}`})`;
  else if (error instanceof JobNotFoundError) text = `JobNotFoundError (${error.lastJob ? 'seen, then gone' : 'never seen'})`;
  else if (error instanceof ApiError || error instanceof InvalidResponseError) text = `${error.name} ${error.status}`;
  else text = error instanceof Error ? error.name : String(error);
  return `${text} · ${Math.round(outcome.elapsedMs)} ms`;
}

/** The credentials of a cell. The Huawei vendors take turns: each row has a token cell and an AK/SK cell. */
function authModeOf(vendor: Vendor, row: number): AuthMode {
  if (vendor.modes.length === 1) return vendor.modes[0] as AuthMode;
  return (row + (vendor.name === 'cas' ? 0 : 1)) % 2 === 0 ? 'token' : 'aksk';
}

describe('fault matrix: every fault on the job endpoint of every vendor', () => {
  afterAll(() => {
    const names = VENDORS.map((v) => v.name);
    const lines = [
      `| fault | ${names.join(' | ')} | auth (${names.join(' / ')}) |`,
      `|---|${names.map(() => '---').join('|')}|---|`,
      ...FAULTS.map((fault, row) => {
        const cells = matrix.get(fault.name);
        const auth = VENDORS.map((v) => authModeOf(v, row)).join(' / ');
        return `| ${fault.name} | ${names.map((n) => cells?.get(n) ?? 'not run').join(' | ')} | ${auth} |`;
      }),
    ];
    console.log(`\nFault matrix (vendor × fault → outcome · elapsed; ✗ marks a cell that failed its assertions)\n\n${lines.join('\n')}\n`);
  });

  for (const vendor of VENDORS) {
    describe(vendor.name, () => {
      FAULTS.forEach((fault, row) => {
        it(`${vendor.name} × ${fault.name}: ${fault.expect}`, async () => {
          const cell = await openCell(vendor, authModeOf(vendor, row));
          let passed = false;
          try {
            await fault.run(cell);
            expectNoSecrets(cell);
            passed = true;
          } finally {
            if (!matrix.has(fault.name)) matrix.set(fault.name, new Map());
            matrix.get(fault.name)?.set(vendor.name, `${passed ? '' : '✗ '}${summarize(cell.outcome)}`);
            await cell.close();
          }
        });
      });
    });
  }
});
