import { ClientClosedError } from '../errors/client-closed-error.js';
import { WaitAbortedError } from '../errors/wait-aborted-error.js';
import type { ActiveWait } from './wait.js';

/**
 * The error of a wait stopped before its deadline: `ClientClosedError` when its client was closed,
 * `WaitAbortedError` (with the signal's reason) when the caller aborted.
 * @internal
 */
export function interruptedError<TRaw>(reason: 'aborted' | 'closed', wait: ActiveWait<TRaw>): ClientClosedError<TRaw> | WaitAbortedError<TRaw> {
  const { vendor, jobId } = wait.state;
  if (reason === 'closed') return new ClientClosedError({ vendor, jobId, lastJob: wait.last });
  return new WaitAbortedError({ vendor, jobId, lastJob: wait.last, cause: wait.signal?.reason });
}
