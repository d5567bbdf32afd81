import type { ConnectionOptions } from 'bullmq';

/** The Redis connection and key prefix, shared by the queue and the workers. */
export interface BullmqConnectionOptions {
  /** The Redis connection: ioredis options (`{ host, port, password, tls }`) or an ioredis client, as BullMQ takes it. */
  connection: ConnectionOptions;
  /**
   * BullMQ's key prefix: the queue and its workers must use the same one.
   * @default 'jobwait'
   */
  prefix?: string;
}

/**
 * The defaults of `jobwait/bullmq`, in one place.
 *
 * Lock and stall settings: a worker holds a lock on each wait it polls, renewed every
 * `lockDurationMs / 2` while the poll runs, so a slow poll keeps it. A crashed worker's locks
 * lapse after `lockDurationMs`; BullMQ's stall check, every `stalledIntervalMs`, puts a wait whose
 * lock has lapsed back in line on the next check but one, so another worker takes it within
 * `lockDurationMs + 2 × stalledIntervalMs` (20 s here; BullMQ's own 30 s and 30 s take 60–90 s).
 * @internal
 */
export const BULLMQ_DEFAULTS = Object.freeze({
  prefix: 'jobwait',
  resultRetentionMs: 86_400_000,
  commandTimeoutMs: 10_000,
  concurrency: 100,
  lockDurationMs: 10_000,
  stalledIntervalMs: 5_000,
  /** A wait whose worker died goes back in line however often that happened: a stall only means a poll again. */
  maxStalledCount: 1_000_000,
});
