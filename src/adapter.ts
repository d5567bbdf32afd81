/**
 * jobwait/adapter: for people who drive waits or write adapters.
 *
 * The **driver API**: a wait is plain data (a {@link WaitState}, JSON-safe, the same object
 * `onCheckpoint` hands out) and {@link advanceWait} is its one transition. An external driver (a
 * durable queue, a cron job, a serverless function) keeps the state where it likes and, when the
 * state's `nextPollAt` comes, calls {@link pollWait} (or {@link pollWaits} for many waits on one
 * client, which share requests on ONTAP), stores the step's `state`, and either ends the wait with
 * the step's `end` or sleeps until the new `nextPollAt`. The in-process `waitForJob` runs on
 * exactly these rules.
 *
 * @example
 * ```ts
 * import { pollWait, startWait } from 'jobwait/adapter';
 * let state = startWait(ontap, uuid, { timeoutMs: 3_600_000 });
 * for (;;) {
 *   await sleepUntil(state.nextPollAt ?? state.deadline ?? Date.now());
 *   const step = await pollWait(ontap, state);
 *   state = step.state; // store it: another process can go on from here
 *   if (step.changed) console.log(step.job?.state);
 *   if (step.end) break; // step.end.job, or step.end.error
 * }
 * ```
 *
 * @packageDocumentation
 */
export { advanceWait, expireWait, type AdvanceContext, type PollResult, type WaitEnd, type WaitStep } from './engine/advance.js';
export { pollWait, pollWaits, readWaitState, startWait, type PollWaitOptions, type WaitStateOptions } from './engine/driver.js';
export type { WaitState } from './engine/wait-state.js';

// ---- for adapter authors: the client base, the model's helpers, the checkpoint, the errors' options ----
export { JobClientBase } from './client/client-base.js';
export { parseIsoDate, progressOf } from './model/job.js';
export {
  assertCheckpoint,
  CHECKPOINT_VERSION,
  createCheckpoint,
  jobFromCheckpoint,
  type CheckpointInput,
} from './engine/checkpoint.js';
export type {
  ApiErrorOptions,
  ClientClosedErrorOptions,
  InvalidResponseErrorOptions,
  JobNotFoundErrorOptions,
  JobTimeoutErrorOptions,
  NetworkErrorOptions,
  WaitAbortedErrorOptions,
} from './errors/index.js';

// --- The conformance kit (issue 13): what an adapter author runs to check their adapter behaves
// like the shipped ones. No test runner needed: iterate `conformanceCases(target)` in any runner,
// or `await runConformance(target)` for a report.
export { conformanceCases, runConformance } from './conformance/cases.js';
export type { ConformanceCase, ConformanceFixture, ConformanceReport, ConformanceTarget } from './conformance/target.js';

// --- The transport for adapter authors (issue 13, item 3): build a vendor client on the transport
// the shipped adapters use, and get their retries, request budget, 429 pause, redaction and typed
// errors. See createHttpTransport and JobClientBase.
export type { VendorErrorDetails } from './errors/api-error.js';
export type { HttpRequest, HttpResponse, RequestToSign, TransportHooks } from './transport/http-client.js';
export { pathSegment } from './transport/path.js';
export { createHttpTransport, type HttpTransport, type HttpTransportOptions } from './transport/transport.js';
