/**
 * jobwait/bullmq: durable waits that survive a crash and spread over workers, on BullMQ and Redis.
 *
 * Producers enqueue waits with {@link createWaitQueue} and need only Redis; workers
 * ({@link createWaitWorker}) hold the clients, and so the credentials, and poll each due wait once
 * with the driver API (`pollWait`, `pollWaits`), storing its plain state in Redis between polls.
 * A poll is at-least-once (a worker that dies mid-poll has its wait polled again by another); a
 * wait's result is stored and delivered exactly once. Needs the optional peers `bullmq` (6.x) and
 * `ioredis` (5.x).
 *
 * @example
 * ```ts
 * import { createWaitQueue, createWaitWorker } from 'jobwait/bullmq';
 * const connection = { host: '127.0.0.1', port: 6379 };
 * const worker = createWaitWorker({ connection, clients: { cluster1: ontap } }); // where the credentials are
 * const queue = createWaitQueue({ connection });                                  // anywhere else
 * const handle = await queue.enqueue('cluster1', uuid, { timeoutMs: 3_600_000 });
 * const job = await queue.handle(handle.id).result(); // from any process
 * ```
 *
 * @packageDocumentation
 */
export { createWaitQueue, type WaitHandle, type WaitQueue, type WaitQueueOptions } from './bullmq/queue.js';
export { createWaitWorker, type WaitWorker, type WaitWorkerOptions } from './bullmq/worker.js';
export type { EnqueueOptions } from './bullmq/record.js';
export type { BullmqConnectionOptions } from './bullmq/settings.js';
export { QueueUnavailableError, type QueueUnavailableErrorOptions } from './errors/queue-unavailable-error.js';
export { WaitNotFoundError } from './errors/wait-not-found-error.js';
