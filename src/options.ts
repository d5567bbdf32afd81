import { InvalidArgumentError } from './errors/invalid-argument-error.js';
import type { WaitPolicy } from './job-client.js';
import type { Job } from './model.js';

/** Options of `waitForJob` and `watchJob`. */
export interface WaitOptions<TRaw = unknown> {
  /**
   * How long the whole wait may take, in milliseconds. `Infinity` waits for ever.
   * @default 1_800_000 (30 minutes)
   */
  timeoutMs?: number;
  /**
   * The first poll is immediate; later delays grow exponentially (with jitter) from this one.
   * @default 1_000
   */
  minDelayMs?: number;
  /**
   * The cap of one delay between polls. A vendor may lower it (ONTAP: 60 s).
   * @default 30_000
   */
  maxDelayMs?: number;
  /** Stops the wait: it rejects with `WaitAbortedError` at once and sends no further request. */
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
}

/** The defaults of every wait, in one place. */
export const WAIT_DEFAULTS = Object.freeze({
  timeoutMs: 30 * 60_000,
  minDelayMs: 1_000,
  maxDelayMs: 30_000,
  throwOnFailure: true,
  notFoundGraceMs: 0,
});

/** The schedule's fixed shape: growth factor, jitter, and the cap on an honoured `Retry-After`. */
export const SCHEDULE_CONSTANTS = Object.freeze({
  factor: 2,
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
}

/**
 * Fills in defaults, applies the vendor's policy and validates: a bad value throws
 * `InvalidArgumentError` before any request.
 * @internal
 */
export function resolveWaitOptions<TRaw>(options: WaitOptions<TRaw> | undefined, policy?: WaitPolicy): ResolvedWaitOptions<TRaw> {
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
  for (const name of ['onProgress', 'until'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') throw new InvalidArgumentError(name, 'must be a function');
  }
  if (o.throwOnFailure !== undefined && typeof o.throwOnFailure !== 'boolean') {
    throw new InvalidArgumentError('throwOnFailure', 'must be a boolean');
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
    notFoundGraceMs,
  };
}

function checkDelay(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
    throw new InvalidArgumentError(name, `must be a finite number from ${min} to ${MAX_TIMER_MS}, got ${String(value)}`);
  }
}
