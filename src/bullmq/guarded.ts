import { JobwaitError } from '../errors/jobwait-error.js';
import { QueueUnavailableError } from '../errors/queue-unavailable-error.js';

/**
 * Runs one Redis operation of `jobwait/bullmq`: a connection failure, or no answer within
 * `timeoutMs` (commands wait for a reconnection while Redis is down), becomes
 * `QueueUnavailableError`. Redis's own replies to a bad command (ioredis's `ReplyError`) and
 * jobwait's errors pass through.
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
    if (error instanceof JobwaitError || isReplyError(error)) throw error;
    throw new QueueUnavailableError({ operation, cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `error` is Redis's answer to a command (not a connection failure). @internal */
export function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}
