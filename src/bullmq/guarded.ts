import { JobwaitError } from '../errors/jobwait-error.js';
import { QueueUnavailableError } from '../errors/queue-unavailable-error.js';

/**
 * Runs one Redis operation of `jobwait/bullmq`: a connection failure, or no answer within
 * `timeoutMs` (commands wait for a reconnection while Redis is down), becomes
 * `QueueUnavailableError`. Redis's own answers (ioredis's `ReplyError`, but for `LOADING`,
 * `READONLY` and the like) and jobwait's errors pass through.
 * @internal
 */
export async function guarded<T>(operation: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError({ operation, cause: new Error(`no answer from Redis within ${timeoutMs} ms`) })), timeoutMs);
  });
  try {
    return await Promise.race([work(), timedOut]);
  } catch (error) {
    if (error instanceof QueueUnavailableError || !isConnectionTrouble(error)) throw error;
    throw new QueueUnavailableError({ operation, cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Redis's answers that mean "not now" rather than "no": loading its data, a replica after a
 * failover, a script running, a cluster without its primary.
 */
const UNAVAILABLE_REPLY = /^(LOADING|READONLY|BUSY|TRYAGAIN|MASTERDOWN|CLUSTERDOWN)\b/;

/**
 * Whether `error` means Redis cannot be reached or cannot serve now (a refused or dropped
 * connection, no answer, `LOADING`, `READONLY`…), as opposed to Redis's answer to a command
 * (ioredis's `ReplyError`, such as a lost lock) or jobwait's own error.
 * @internal
 */
export function isConnectionTrouble(error: unknown): boolean {
  if (error instanceof JobwaitError) return error instanceof QueueUnavailableError;
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return UNAVAILABLE_REPLY.test(error.message);
  // BullMQ's own refusals (a lost lock, a job missing or not in its state) are no connection trouble.
  return !/lock|Missing key|not in the (active|delayed|wait)/i.test(error.message);
}
