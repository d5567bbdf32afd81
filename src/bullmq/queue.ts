import { Queue, type ConnectionOptions, type Job as BullJob } from 'bullmq';
import { jobFromCheckpoint } from '../engine/checkpoint.js';
import { readWaitState } from '../engine/driver.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { JobwaitError } from '../errors/jobwait-error.js';
import { WaitNotFoundError } from '../errors/wait-not-found-error.js';
import { jobChanged } from '../model/job-changes.js';
import type { Job } from '../model/job.js';
import { WaitEvents, type WaitEvent } from './events.js';
import { guarded } from './guarded.js';
import { parseWaitId, waitName, type WaitName } from './names.js';
import { newRecord, readRecord, type EnqueueOptions } from './record.js';
import { BULLMQ_DEFAULTS, type BullmqConnectionOptions } from './settings.js';
import { errorFromWire, jobFromWire, type WireOutcome } from './wire.js';

/** Options of {@link createWaitQueue}. */
export interface WaitQueueOptions extends BullmqConnectionOptions {
  /**
   * How long an ended wait's result stays in Redis for `result()` and `handle(id)`, in
   * milliseconds, at least: BullMQ removes older results when another wait of the same client name
   * ends, so a client name with no new ends keeps its last ones. Enqueueing the same job again
   * while its result is kept gives the ended wait, not a new one.
   * @default 86_400_000 (24 hours)
   */
  resultRetentionMs?: number;
  /**
   * How long one Redis call of the queue may take before it fails with `QueueUnavailableError`
   * (while Redis is down, calls wait for the reconnection up to this long).
   * @default 10_000
   */
  commandTimeoutMs?: number;
}

/** One durable wait, from the process that enqueued it or any other (`queue.handle(id)`). */
export interface WaitHandle<TRaw = unknown> {
  /** The wait's id: `clientName/jobId`, URI-encoded parts. The same for the same client name and job id. */
  readonly id: string;
  /** The name of the client (in the workers' `clients`) the wait polls with. */
  readonly clientName: string;
  /** The vendor's job id. */
  readonly jobId: string;
  /**
   * The terminal `Job` (its Dates revived; `raw` as the last poll got it), or a rejection with the
   * error `waitForJob` would give, as an instance of its class from `jobwait` (`JobFailedError`,
   * `JobTimeoutError` with `jobId`, `lastJob`, `outcomes`…). Works after the wait ended, for
   * `resultRetentionMs`; `WaitNotFoundError` for an id with no wait. A `QueueUnavailableError`
   * while Redis is unreachable when it is asked.
   */
  result(): Promise<Job<TRaw>>;
  /**
   * The first snapshot and each changed one, as `watchJob` yields them (snapshots from the stored
   * state carry no `raw`, the terminal one does); ends after the terminal snapshot, also for a
   * failed job. Throws the wait's error for an end without one (timeout, not found). Breaking out
   * stops watching, not the wait.
   */
  watch(): AsyncIterableIterator<Job<TRaw | undefined>>;
}

/** The producer side of durable waits: enqueue and follow them; holds no vendor credentials. */
export interface WaitQueue {
  /**
   * Starts a durable wait on the job `jobId` of the client named `clientName` (a key of the
   * workers' `clients`). Idempotent: the same client name and job id give the same `handle.id`
   * and one wait, also when two producers enqueue at once; the first enqueue's options hold.
   * The deadline counts from the first enqueue. Throws `InvalidArgumentError` for a bad option.
   */
  enqueue<TRaw = unknown>(clientName: string, jobId: string, options?: EnqueueOptions): Promise<WaitHandle<TRaw>>;
  /** The handle of the wait `id` (a `handle.id`), from any process. */
  handle<TRaw = unknown>(id: string): WaitHandle<TRaw>;
  /** Closes the queue's Redis connections. Pending `result()` and `watch()` calls reject. */
  close(): Promise<void>;
}

/**
 * A queue of durable waits on BullMQ and Redis. Producers need only the Redis connection: the
 * workers ({@link createWaitWorker}) hold the clients and poll.
 *
 * @example
 * ```ts
 * const queue = createWaitQueue({ connection: { host: '127.0.0.1', port: 6379 } });
 * const handle = await queue.enqueue('cluster1', uuid, { timeoutMs: 3_600_000 });
 * const job = await handle.result();
 * ```
 */
export function createWaitQueue(options: WaitQueueOptions): WaitQueue {
  if (typeof options !== 'object' || options === null || options.connection === undefined) throw new InvalidArgumentError('connection', 'must be the Redis connection (ioredis options or client)');
  const prefix = options.prefix ?? BULLMQ_DEFAULTS.prefix;
  const retentionMs = options.resultRetentionMs ?? BULLMQ_DEFAULTS.resultRetentionMs;
  if (typeof retentionMs !== 'number' || !(retentionMs > 0)) throw new InvalidArgumentError('resultRetentionMs', 'must be a number above 0');
  const timeoutMs = options.commandTimeoutMs ?? BULLMQ_DEFAULTS.commandTimeoutMs;
  const connection: ConnectionOptions = options.connection;
  const queues = new Map<string, Queue>();
  const events = new Map<string, WaitEvents>();
  /** What `close()` wakes: every pending `result()` and `watch()`. */
  const pending = new Set<(reason: Error) => void>();
  let closed = false;

  const queueOf = (name: WaitName): Queue => {
    if (closed) throw new InvalidArgumentError('queue', 'is closed');
    let queue = queues.get(name.queueName);
    if (!queue) {
      queue = new Queue(name.queueName, { connection, prefix });
      // Errors reach the callers of the calls that meet them; an 'error' event with no listener would end the process.
      queue.on('error', () => undefined);
      queues.set(name.queueName, queue);
    }
    return queue;
  };
  const eventsOf = (name: WaitName): WaitEvents => {
    let stream = events.get(name.queueName);
    if (!stream) {
      stream = new WaitEvents(name.queueName, connection, prefix);
      events.set(name.queueName, stream);
    }
    return stream;
  };
  /**
   * Subscribed, and the event stream's connection up (its first read may still be on its way: an
   * event just before it can be missed, which the callers' first re-read makes up for), or a
   * QueueUnavailableError.
   */
  const listen = async (name: WaitName, listener: (event: WaitEvent) => void): Promise<() => void> => {
    const stream = eventsOf(name);
    const unsubscribe = stream.subscribe(name.bullId, listener);
    try {
      await call(`listen ${name.id}`, () => stream.ready);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  };
  const call = <T>(operation: string, work: () => Promise<T>): Promise<T> => guarded(operation, timeoutMs, work);

  const handleOf = <TRaw>(name: WaitName): WaitHandle<TRaw> => {
    const queue = queueOf(name);
    const read = (): Promise<BullJob | undefined> => call(`read ${name.id}`, () => queue.getJob(name.bullId));
    return {
      id: name.id,
      clientName: name.clientName,
      jobId: name.jobId,
      result: async () => {
        let settle: (outcome: WireOutcome | string) => void = () => undefined;
        const settled = new Promise<WireOutcome | string>((resolve) => (settle = resolve));
        const unsubscribe = await listen(name, (event) => {
          if (event.kind === 'completed') settle(parseOutcome(event.returnvalue));
          else if (event.kind === 'failed') settle(event.failedReason);
        });
        try {
          // Asked after it ended, the event went by: the job's hash has the result. It is read again
          // (QUEUE_TIMING) in case the event was missed: one just before the stream's first read, or
          // one trimmed from the stream past a slow reader.
          let outcome: WireOutcome | string | undefined;
          let closedWith: Error | undefined;
          const wake = (reason: Error): void => {
            closedWith = reason;
            settle('closed');
          };
          pending.add(wake);
          try {
            for (let recheck = QUEUE_TIMING.firstRecheckMs; outcome === undefined; recheck = Math.min(recheck * 2, QUEUE_TIMING.recheckMs)) {
              const job = await read();
              if (!job) settle('missing');
              else if (job.finishedOn && job.returnvalue != null) settle(parseOutcome(job.returnvalue));
              else if (job.failedReason) settle(job.failedReason);
              outcome = await Promise.race([settled, sleep(recheck)]);
            }
          } finally {
            pending.delete(wake);
          }
          if (closedWith) throw closedWith;
          if (outcome === 'missing') throw new WaitNotFoundError(name.id);
          if (typeof outcome === 'string') throw new Error(`The durable wait ${name.id} failed in BullMQ: ${outcome}`);
          if (outcome.ok) return jobFromWire<TRaw>(outcome.job);
          throw errorFromWire(outcome.error);
        } finally {
          unsubscribe();
        }
      },
      watch: () => watchWait<TRaw>(name, read, (listener) => listen(name, listener), pending),
    };
  };

  return {
    async enqueue<TRaw>(clientName: string, jobId: string, enqueueOptions?: EnqueueOptions): Promise<WaitHandle<TRaw>> {
      const name = waitName(clientName, jobId);
      const record = newRecord(enqueueOptions, Date.now());
      const queue = queueOf(name);
      // One BullMQ job per wait: BullMQ adds a job id that exists at most once, atomically.
      await call(`enqueue ${name.id}`, () =>
        queue.add('wait', record, { jobId: name.bullId, removeOnComplete: { age: Math.ceil(retentionMs / 1000) }, removeOnFail: { age: Math.ceil(retentionMs / 1000) } }),
      );
      return handleOf<TRaw>(name);
    },
    handle: <TRaw>(id: string) => handleOf<TRaw>(parseWaitId(id)),
    async close() {
      if (closed) return;
      closed = true;
      const reason = new InvalidArgumentError('queue', 'was closed while this result() or watch() was pending');
      for (const wake of [...pending]) wake(reason);
      await Promise.allSettled([...[...events.values()].map((stream) => stream.close()), ...[...queues.values()].map((queue) => queue.close())]);
      queues.clear();
      events.clear();
    },
  };
}

/**
 * How often a pending `result()` or `watch()` reads its wait again without an event, in
 * milliseconds: first after `firstRecheckMs` (an event may go by before the event stream's first
 * read), then twice as long each time, up to `recheckMs` (BullMQ trims its event stream near
 * 10,000 entries, and a reader that fell further behind would miss its event). A test may shorten them.
 * @internal
 */
export const QUEUE_TIMING = { firstRecheckMs: 250, recheckMs: 10_000 };

/** Resolves after `ms` without keeping the process alive. */
function sleep(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}

/** A completed BullMQ job's return value as our outcome (events carry it as a JSON string). */
function parseOutcome(value: unknown): WireOutcome {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { ok?: unknown }).ok !== 'boolean') {
    throw new InvalidArgumentError('result', 'is not a jobwait outcome');
  }
  return parsed as WireOutcome;
}

/** `handle.watch()`: reads the stored state on each poll's event, and yields what changed. */
async function* watchWait<TRaw>(
  name: WaitName,
  read: () => Promise<BullJob | undefined>,
  listen: (listener: (event: WaitEvent) => void) => Promise<() => void>,
  pending: Set<(reason: Error) => void>,
): AsyncIterableIterator<Job<TRaw | undefined>> {
  let wake: (() => void) | undefined;
  let ticks = 0;
  let closedWith: Error | undefined;
  const close = (reason: Error): void => {
    closedWith = reason;
    wake?.();
  };
  const unsubscribe = await listen(() => {
    ticks++;
    wake?.();
  });
  pending.add(close);
  let recheck = QUEUE_TIMING.firstRecheckMs;
  try {
    let last: Job<TRaw | undefined> | undefined;
    for (;;) {
      const seen = ticks;
      const job = await read();
      if (!job) throw new WaitNotFoundError(name.id);
      if (job.finishedOn && job.returnvalue != null) {
        const outcome = parseOutcome(job.returnvalue);
        if (outcome.ok) {
          const terminal = jobFromWire<TRaw>(outcome.job);
          if (!last || jobChanged(last, terminal)) yield terminal;
          return;
        }
        const error = errorFromWire(outcome.error);
        const failedJob = error instanceof JobwaitError && (error.code === 'JOB_FAILED' || error.code === 'JOB_CANCELLED') ? (error as unknown as { job: Job<TRaw> }).job : undefined;
        if (!failedJob) throw error;
        if (!last || jobChanged(last, failedJob)) yield failedJob;
        return;
      }
      if (job.failedReason) throw new Error(`The durable wait ${name.id} failed in BullMQ: ${job.failedReason}`);
      const record = readRecord(job.data);
      const current = record.state === undefined ? undefined : jobFromCheckpoint(readWaitState(record.state));
      if (current && (!last || jobChanged(last, current))) {
        last = current;
        yield current;
      }
      if (ticks === seen && !closedWith) {
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), sleep(recheck)]);
        recheck = ticks === seen ? Math.min(recheck * 2, QUEUE_TIMING.recheckMs) : QUEUE_TIMING.firstRecheckMs;
      }
      wake = undefined;
      if (closedWith) throw closedWith;
    }
  } finally {
    pending.delete(close);
    unsubscribe();
  }
}
