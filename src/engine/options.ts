import { readCheckpoint, type WaitCheckpoint } from './checkpoint.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { WaitPolicy } from '../client/job-client.js';
import type { Job } from '../model/job.js';

/** Options of `waitForJob` and `watchJob`. */
export interface WaitOptions<TRaw = unknown> {
  /**
   * How long the whole wait may take, in milliseconds. `Infinity` waits for ever.
   * @default 1_800_000 (30 minutes)
   */
  timeoutMs?: number;
  /**
   * The first poll is immediate; later delays grow ×1.3 a poll (with ±20 % jitter) from this one.
   * @default 1_500
   */
  minDelayMs?: number;
  /**
   * The cap of one delay between polls. A vendor may lower it (ONTAP: 60 s).
   * @default 30_000
   */
  maxDelayMs?: number;
  /**
   * Stops the wait: it rejects with `WaitAbortedError` at once and sends no further request. Only
   * the wait stops (it detaches): the job goes on, unless `cancelOnAbort` is set.
   */
  signal?: AbortSignal;
  /** Called with the first snapshot, then with each changed one. */
  onProgress?: (job: Job<TRaw>) => void;
  /**
   * Resolve early, as soon as a snapshot meets this (e.g. `(job) => job.state === 'running'`).
   * It is asked before the failure check: an `until` that accepts a failed job resolves with it.
   */
  until?: (job: Job<TRaw>) => boolean;
  /**
   * When `false`, a failed or cancelled job resolves instead of rejecting with `JobFailedError` /
   * `JobCancelledError`.
   * @default true
   */
  throwOnFailure?: boolean;
  /**
   * How long a 404 is taken for "not visible yet" before the job is first seen, in milliseconds.
   * After that, a 404 rejects with `JobNotFoundError`. A 404 after the job was seen always rejects.
   * @default 0
   */
  notFoundGraceMs?: number;
  /**
   * Called after every poll the wait goes on from, once the next poll is planned, and once more
   * after the last snapshot (the terminal one, or the one that met `until`) or when no poll fits
   * before the deadline, with `nextPollAt: null`. Store the small JSON-safe
   * {@link WaitCheckpoint} (`JSON.stringify`) to continue the wait elsewhere with `resumeFrom`.
   * It is not called after an abort.
   */
  onCheckpoint?: (checkpoint: WaitCheckpoint) => void;
  /**
   * Continues a wait from a checkpoint that `onCheckpoint` gave, in this process or another:
   * - within the checkpoint's deadline: `timeoutMs` is ignored;
   * - on its schedule: the first poll goes out at its `nextPollAt` (at once if that has passed),
   *   the poll count and the growth of the delays go on from it, and its `minDelayMs`,
   *   `maxDelayMs` and `notFoundGraceMs` hold (the call's own are ignored; this client's vendor
   *   limits still apply);
   * - with its last snapshot as the baseline: `onProgress` and `watchJob` report only changes
   *   since then (a job that ended meanwhile is reported once, as a change). A 404 means the job
   *   vanished after it was seen: `JobNotFoundError` with that snapshot as `lastJob` (rebuilt from
   *   the checkpoint, so its `raw` is `undefined`).
   *
   * A checkpoint of another vendor or job, of an unknown version, or with a malformed field throws
   * `InvalidArgumentError` before any request.
   */
  resumeFrom?: WaitCheckpoint;
  /**
   * When the `signal` aborts, also cancel the job: send the client's `cancelJob` once, follow the
   * job on the schedule (restarted, from an immediate poll) until it ends or the deadline passes, and
   * then reject with `WaitAbortedError` whose `lastJob` shows how it ended and whose `cancel` is
   * `'sent'`. A cancel the vendor refuses ends the wait at once: `cancel` is `'refused'` and the
   * refusal is the `cause`. After the abort nothing is yielded and no callback runs.
   *
   * Needs a client with `cancelJob` (ONTAP); with any other, the wait throws
   * `UnsupportedOperationError` before any request.
   * @default false
   */
  cancelOnAbort?: boolean;
}

/** The defaults of every wait, in one place. */
export const WAIT_DEFAULTS = Object.freeze({
  /** How long a wait runs before it times out, in milliseconds (30 minutes). */
  timeoutMs: 30 * 60_000,
  /** The first delay between polls, in milliseconds. */
  minDelayMs: 1_500,
  /** The longest delay between polls, in milliseconds. */
  maxDelayMs: 30_000,
  /** Whether a failed or cancelled job rejects the wait. */
  throwOnFailure: true,
  /** How long a 404 is tolerated after the wait starts, in milliseconds. */
  notFoundGraceMs: 0,
  /** Whether aborting the wait's signal asks the vendor to cancel the job. */
  cancelOnAbort: false,
});

/** The schedule's fixed shape: growth factor, jitter, and the cap on an honoured `Retry-After`. */
export const SCHEDULE_CONSTANTS = Object.freeze({
  /**
   * Each delay is this many times the one before. 1.3, with a first delay of 1.5 s, was chosen by
   * `npm run bench:schedule`: no schedule in common use (AWS's waiter, Terraform's, a fixed 5 s or
   * 2 s poll) both sees a job's end sooner and asks less, for jobs of 1 s to 1 h. Factor 2 was
   * beaten on both by a fixed 5 s poll on jobs of about 10 s.
   */
  factor: 1.3,
  /** ±20 % of each delay, so waits started together drift apart. */
  jitter: 0.2,
  /** The final poll goes this long before the deadline (at most; less for short delays). */
  finalPollLeadMs: 1_000,
  /** A `Retry-After` is honoured up to this long (then the vendor's cap and the deadline apply). */
  maxRetryAfterMs: 10 * 60_000,
});

/** setTimeout's limit: a longer delay would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** @internal */
export interface ResolvedWaitOptions<TRaw> {
  timeoutMs: number;
  minDelayMs: number;
  maxDelayMs: number;
  retryAfterCapMs: number;
  signal: AbortSignal | undefined;
  onProgress: ((job: Job<TRaw>) => void) | undefined;
  until: ((job: Job<TRaw>) => boolean) | undefined;
  throwOnFailure: boolean;
  notFoundGraceMs: number;
  onCheckpoint: ((checkpoint: WaitCheckpoint) => void) | undefined;
  /** A validated copy of the caller's checkpoint. */
  resumeFrom: WaitCheckpoint | undefined;
  cancelOnAbort: boolean;
}

/**
 * Fills in defaults, applies the vendor's policy and validates: a bad value throws
 * `InvalidArgumentError` before any request. Given the wait's `job`, a `resumeFrom` must belong
 * to that vendor and job; without it, only its form is checked.
 * @internal
 */
export function resolveWaitOptions<TRaw>(
  options: WaitOptions<TRaw> | undefined,
  policy?: WaitPolicy,
  job?: { vendor: string; jobId: string },
): ResolvedWaitOptions<TRaw> {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new InvalidArgumentError('options', 'must be an object');
  }
  const o = options ?? {};
  const timeoutMs = o.timeoutMs ?? WAIT_DEFAULTS.timeoutMs;
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidArgumentError('timeoutMs', `must be a number above 0 (or Infinity), got ${String(timeoutMs)}`);
  }
  const minDelayMs = o.minDelayMs ?? WAIT_DEFAULTS.minDelayMs;
  checkDelay('minDelayMs', minDelayMs, 1);
  let maxDelayMs = o.maxDelayMs ?? Math.max(WAIT_DEFAULTS.maxDelayMs, minDelayMs);
  checkDelay('maxDelayMs', maxDelayMs, 1);
  if (maxDelayMs < minDelayMs) {
    throw new InvalidArgumentError('maxDelayMs', `must not be below minDelayMs (${minDelayMs}), got ${maxDelayMs}`);
  }
  let effectiveMin = minDelayMs;
  let retryAfterCapMs: number = SCHEDULE_CONSTANTS.maxRetryAfterMs;
  if (policy?.maxDelayMs !== undefined) {
    checkDelay('client.waitPolicy.maxDelayMs', policy.maxDelayMs, 1);
    maxDelayMs = Math.min(maxDelayMs, policy.maxDelayMs);
    effectiveMin = Math.min(effectiveMin, maxDelayMs);
    retryAfterCapMs = Math.min(retryAfterCapMs, policy.maxDelayMs);
  }
  const notFoundGraceMs = o.notFoundGraceMs ?? WAIT_DEFAULTS.notFoundGraceMs;
  if (typeof notFoundGraceMs !== 'number' || Number.isNaN(notFoundGraceMs) || notFoundGraceMs < 0) {
    throw new InvalidArgumentError('notFoundGraceMs', `must be a number of 0 or more, got ${String(notFoundGraceMs)}`);
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw new InvalidArgumentError('signal', 'must be an AbortSignal');
  }
  for (const name of ['onProgress', 'until', 'onCheckpoint'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') throw new InvalidArgumentError(name, 'must be a function');
  }
  if (o.throwOnFailure !== undefined && typeof o.throwOnFailure !== 'boolean') {
    throw new InvalidArgumentError('throwOnFailure', 'must be a boolean');
  }
  if (o.cancelOnAbort !== undefined && typeof o.cancelOnAbort !== 'boolean') {
    throw new InvalidArgumentError('cancelOnAbort', 'must be a boolean');
  }
  const resumeFrom = o.resumeFrom === undefined ? undefined : readCheckpoint(o.resumeFrom, 'resumeFrom', job);
  if (resumeFrom) {
    // A resumed wait keeps the schedule it was started with (the call's own is ignored, as its
    // timeoutMs is), within this client's limits.
    const { schedule } = resumeFrom;
    maxDelayMs = Math.min(schedule.maxDelayMs, policy?.maxDelayMs ?? Infinity);
    effectiveMin = Math.min(schedule.minDelayMs, maxDelayMs);
    retryAfterCapMs = Math.min(schedule.retryAfterCapMs, policy?.maxDelayMs ?? Infinity);
  }
  return {
    timeoutMs,
    minDelayMs: effectiveMin,
    maxDelayMs,
    retryAfterCapMs,
    signal: o.signal,
    onProgress: o.onProgress,
    until: o.until,
    throwOnFailure: o.throwOnFailure ?? WAIT_DEFAULTS.throwOnFailure,
    notFoundGraceMs: resumeFrom ? resumeFrom.schedule.notFoundGraceMs : notFoundGraceMs,
    onCheckpoint: o.onCheckpoint,
    resumeFrom,
    cancelOnAbort: o.cancelOnAbort ?? WAIT_DEFAULTS.cancelOnAbort,
  };
}

/** A count option (a concurrency): a whole number of 1 or more, or `InvalidArgumentError` naming it. @internal */
export function checkCount(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new InvalidArgumentError(name, `must be a whole number of 1 or more, got ${String(value)}`);
  return value;
}

function checkDelay(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
    throw new InvalidArgumentError(name, `must be a finite number from ${min} to ${MAX_TIMER_MS}, got ${String(value)}`);
  }
}
