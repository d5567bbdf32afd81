import { DelayedError, Worker, type ConnectionOptions, type Job as BullJob } from 'bullmq';
import type { JobSource } from '../client/job-client.js';
import { pollWait, readWaitState, startWait } from '../engine/driver.js';
import type { WaitStep } from '../engine/advance.js';
import { onClientPause } from '../engine/request-budget.js';
import { nextActionAt, type WaitState } from '../engine/wait-state.js';
import { checkCount, WAIT_DEFAULTS } from '../engine/options.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { QueueUnavailableError } from '../errors/queue-unavailable-error.js';
import { PollBatcher, RELEASED } from './batcher.js';
import { isConnectionTrouble } from './guarded.js';
import { jobIdOfBullId, queueNameOf } from './names.js';
import { readRecord, stateOptionsOf, type WaitRecord } from './record.js';
import { BULLMQ_DEFAULTS, type BullmqConnectionOptions } from './settings.js';
import { errorToWire, outcomeOf, type WireOutcome } from './wire.js';

/** Options of {@link createWaitWorker}. */
export interface WaitWorkerOptions extends BullmqConnectionOptions {
  /**
   * The clients this worker polls with, by the names producers enqueue under. The credentials stay
   * here: Redis holds only each wait's state.
   */
  clients: Readonly<Record<string, JobSource<unknown>>>;
  /**
   * Waits of one client name this worker holds at once (BullMQ's concurrency, per client name).
   * On ONTAP, waits held together share a collection query.
   * @default 100
   */
  concurrency?: number;
  /**
   * How long a worker's lock on a wait lasts; it is renewed every half of it while the wait is
   * held, so a slow poll keeps it. A crashed worker's waits are taken over within
   * `lockDurationMs + 2 × stalledIntervalMs`.
   * @default 10_000
   */
  lockDurationMs?: number;
  /**
   * How often BullMQ looks for waits whose worker died (stalled jobs).
   * @default 5_000
   */
  stalledIntervalMs?: number;
  /**
   * Trouble the worker meets and goes on from: `QueueUnavailableError` while Redis is down (it
   * reconnects on its own) or a wait could not be stored (no wait is lost: one not stored is
   * polled again once its lock lapses); any other error is a client's own fault in a poll (the
   * wait is polled again after its `minDelayMs`). A vendor's answers never come here: they go by
   * the wait's schedule, and end it as `waitForJob` would.
   * @default a line on stderr, the same message at most once every 30 s
   */
  onError?: (error: Error) => void;
}

/** A worker of durable waits; see {@link createWaitWorker}. */
export interface WaitWorker {
  /**
   * Stops taking polls: waits held for a shared request go back to Redis unpolled, polls in flight
   * end (their wait is stored, or ended), and then it returns with nothing left active.
   */
  close(): Promise<void>;
}

/** How long a due wait waits for others due with it, in milliseconds (ONTAP's shared requests). */
const GATHER_MS = 10;

/**
 * A worker that polls the durable waits of its clients: each due wait once, then stores its new
 * state and delays it to its next poll, in one step that checks the worker still holds the wait's
 * lock (BullMQ's own `moveToDelayed` script, which takes the fields to update). A wait that ended
 * is completed with its result. A vendor's 429 (or `Retry-After`) pauses that client name's waits
 * for every worker (BullMQ's rate limit on its queue).
 *
 * Delivery: a poll is at-least-once (a worker that dies mid-poll has its wait polled again by
 * another), a wait's result is stored and delivered exactly once.
 */
export function createWaitWorker(options: WaitWorkerOptions): WaitWorker {
  if (typeof options !== 'object' || options === null || options.connection === undefined) throw new InvalidArgumentError('connection', 'must be the Redis connection (ioredis options or client)');
  const clients = options.clients;
  if (typeof clients !== 'object' || clients === null || Object.keys(clients).length === 0) throw new InvalidArgumentError('clients', 'must name at least one client');
  const concurrency = checkCount('concurrency', options.concurrency ?? BULLMQ_DEFAULTS.concurrency);
  const lockDuration = checkCount('lockDurationMs', options.lockDurationMs ?? BULLMQ_DEFAULTS.lockDurationMs);
  const stalledInterval = checkCount('stalledIntervalMs', options.stalledIntervalMs ?? BULLMQ_DEFAULTS.stalledIntervalMs);
  const onError = options.onError ?? defaultReporter();
  /** Reports to `onError`; a handler that throws changes nothing of the wait. */
  const report = (error: Error): void => {
    try {
      onError(error);
    } catch {
      // The handler's own trouble: the worker goes on.
    }
  };
  const connection: ConnectionOptions = options.connection;
  const prefix = options.prefix ?? BULLMQ_DEFAULTS.prefix;
  const parts: { worker: Worker; batcher: PollBatcher | undefined; unsubscribe: (() => void) | undefined }[] = [];
  let closing = false;

  for (const [clientName, client] of Object.entries(clients)) {
    if (typeof client !== 'object' || client === null || typeof client.getJob !== 'function') throw new InvalidArgumentError(`clients.${clientName}`, 'must be a jobwait client');
    const batching = typeof (client as { getJobs?: unknown }).getJobs === 'function';
    // The batcher asks the worker (made below) whether its queue is paused.
    let worker: Worker;
    const batcher = batching ? new PollBatcher(client, concurrency, GATHER_MS, () => worker.backend.getRateLimitTtl(Number.MAX_SAFE_INTEGER)) : undefined;
    const processor = async (bullJob: BullJob, token?: string, signal?: AbortSignal): Promise<WireOutcome> => {
      // Without its token the store would skip the lock check (BullMQ reads a missing one as "no check").
      if (token === undefined) throw new Error('BullMQ gave no lock token');
      const jobId = jobIdOfBullId(String(bullJob.id));
      let record: WaitRecord;
      let state: WaitState;
      try {
        record = readRecord(bullJob.data);
        state = record.state === undefined ? startWait(client, jobId, stateOptionsOf(record), record.enqueuedAt) : readWaitState(record.state, { vendor: client.vendor, jobId });
      } catch (error) {
        // A record no worker can go on from (a bad option for this vendor): the wait ends with why.
        return { ok: false, error: errorToWire(error) };
      }
      const throwOnFailure = record.options.throwOnFailure ?? WAIT_DEFAULTS.throwOnFailure;
      let step: WaitStep<unknown> | typeof RELEASED;
      let failed = false;
      try {
        step = closing ? RELEASED : batcher ? await batcher.poll(state, throwOnFailure, signal) : await pollWait(client, state, { throwOnFailure, ...(signal && { signal }) });
      } catch (error) {
        if (signal?.aborted) throw new DelayedError();
        // Not the vendor's trouble (the wait's schedule takes that): a fault of the client itself.
        report(error instanceof Error ? error : new Error(String(error)));
        step = RELEASED;
        failed = true;
      }
      // The lock was lost meanwhile (this worker was cut off from Redis longer than the lock): the
      // wait is another worker's now; leave it as that worker stores it.
      if (signal?.aborted) throw new DelayedError();
      if (step !== RELEASED && step.end) return outcomeOf(step.end);
      const next = step === RELEASED ? state : step.state;
      const now = Date.now();
      let dueAt = nextActionAt(next, batching) ?? now;
      // A poll that threw goes again no sooner than the schedule's shortest delay, not at once.
      if (failed) dueAt = Math.max(dueAt, now + next.schedule.minDelayMs);
      try {
        // Stored and delayed in one script that first checks this worker's lock (the token).
        await worker.backend.moveToDelayed(String(bullJob.id), now, Math.max(0, dueAt - now), token, {
          skipAttempt: true,
          fieldsToUpdate: { data: JSON.stringify({ ...record, state: next }) },
        });
      } catch (error) {
        // The lock was lost (another worker has the wait) or Redis is down: the wait stays as it
        // was stored, and is polled again once its lock lapses. Nothing is failed.
        report(redisTrouble(`store ${clientName}/${jobId}`, error));
      }
      throw new DelayedError();
    };
    worker = new Worker(queueNameOf(clientName), processor, {
      connection,
      prefix,
      concurrency,
      lockDuration,
      stalledInterval,
      maxStalledCount: BULLMQ_DEFAULTS.maxStalledCount,
      // A limiter lets `setRateLimit` pause the queue for every worker; its own count never binds.
      limiter: { max: Number.MAX_SAFE_INTEGER, duration: 1_000 },
    });
    // BullMQ's own trouble (a dropped connection, a failed lock renewal): it reconnects and goes on.
    worker.on('error', (error) => report(redisTrouble(`worker ${clientName}`, error)));
    // A lock Redis says is no longer this worker's: stop that wait's poll (its processor's signal)
    // and let it go unstored, so no wait is polled by two workers at once.
    worker.on('lockRenewalFailed', (ids) => {
      for (const id of ids) worker.cancelJob(id, 'its lock was lost');
    });
    // The transport's pause (a 429, a Retry-After) is spread to every worker of this client name:
    // the queue's pause is made longer, never shorter (a short 429 after a long one keeps the long).
    const unsubscribe = onClientPause(client, (ms) => {
      if (!(ms > 0)) return;
      worker.backend
        .getRateLimitTtl(Number.MAX_SAFE_INTEGER)
        .then((left) => (left < ms ? worker.backend.setRateLimit(Math.ceil(ms)) : undefined))
        .catch((error: unknown) => report(redisTrouble(`pause ${clientName}`, error)));
    });
    parts.push({ worker, batcher, unsubscribe });
  }

  return {
    async close() {
      if (closing) return;
      closing = true;
      const closed = parts.map((part) => part.worker.close());
      for (const part of parts) {
        part.unsubscribe?.();
        part.batcher?.release();
      }
      await Promise.all(closed);
    },
  };
}

/** Redis's trouble as `onError` gets it: a lost connection is `QueueUnavailableError`; Redis's own answer (a lost lock, a bad command) is reported as it came. */
function redisTrouble(operation: string, error: unknown): Error {
  if (isConnectionTrouble(error)) return new QueueUnavailableError({ operation, cause: error });
  const cause = error instanceof Error ? error : new Error(String(error));
  return new Error(`${operation}: ${cause.message}`, { cause });
}

/** The default `onError`: one line on stderr, a repeated message at most once every 30 s. */
function defaultReporter(): (error: Error) => void {
  return dedupedReporter((line) => process.stderr.write(`jobwait worker: ${line}\n`));
}

/**
 * An `onError` that writes each message once every 30 s: the same trouble met by many waits (a
 * Redis outage, a lost lock of each) counts as one message, whatever wait or job id it names.
 * @internal
 */
export function dedupedReporter(write: (line: string) => void): (error: Error) => void {
  const last = new Map<string, number>();
  return (error) => {
    const now = Date.now();
    // Job ids (BullMQ's `job.<id>`) and wait names (`client/jobId`) are left out of the key.
    const key = error.message.replace(/\bjob\.\S+/g, 'job.*').replace(/\S+\/\S+/g, '*');
    const seen = last.get(key);
    if (seen !== undefined && now - seen < 30_000) return;
    if (last.size > 100) last.clear();
    last.set(key, now);
    write(error.message);
  };
}
