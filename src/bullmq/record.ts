import { z } from 'zod';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { resolveWaitOptions } from '../engine/options.js';
import type { WaitState } from '../engine/wait-state.js';

/** Options of `enqueue`: the wait's deadline and schedule, as `waitForJob` takes them. */
export interface EnqueueOptions {
  /**
   * How long the whole wait may take, in milliseconds, counted from the `enqueue`. `Infinity` waits for ever.
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
   * How long a 404 is taken for "not visible yet" before the job is first seen, in milliseconds.
   * @default 0
   */
  notFoundGraceMs?: number;
  /**
   * When `false`, a failed or cancelled job resolves `result()` instead of rejecting it with
   * `JobFailedError` / `JobCancelledError`.
   * @default true
   */
  throwOnFailure?: boolean;
}

const recordSchema = z.object({
  v: z.literal(1),
  enqueuedAt: z.number(),
  options: z.object({
    timeoutMs: z.number().nullable().optional(),
    minDelayMs: z.number().optional(),
    maxDelayMs: z.number().optional(),
    notFoundGraceMs: z.number().optional(),
    throwOnFailure: z.boolean().optional(),
  }),
  state: z.unknown().optional(),
});

/**
 * What Redis holds of one durable wait (the BullMQ job's data): the options it was enqueued with,
 * and, once a worker polled it, its {@link WaitState} (the driver API's plain data). Nothing secret:
 * the clients and their credentials stay in the workers.
 * @internal
 */
export type WaitRecord = z.infer<typeof recordSchema> & { state?: WaitState | undefined };

/** A new wait's record; the options are checked here, so a bad one fails the `enqueue`. @internal */
export function newRecord(options: EnqueueOptions | undefined, now: number): WaitRecord {
  resolveWaitOptions(options === undefined ? undefined : pickEnqueueOptions(options));
  const o = options ?? {};
  const stored: WaitRecord['options'] = {};
  if (o.timeoutMs !== undefined) stored.timeoutMs = o.timeoutMs === Infinity ? null : o.timeoutMs;
  if (o.minDelayMs !== undefined) stored.minDelayMs = o.minDelayMs;
  if (o.maxDelayMs !== undefined) stored.maxDelayMs = o.maxDelayMs;
  if (o.notFoundGraceMs !== undefined) stored.notFoundGraceMs = o.notFoundGraceMs;
  if (o.throwOnFailure !== undefined) stored.throwOnFailure = o.throwOnFailure;
  return { v: 1, enqueuedAt: now, options: stored };
}

/** The stored options as `startWait` takes them. @internal */
export function stateOptionsOf(record: WaitRecord): { timeoutMs?: number; minDelayMs?: number; maxDelayMs?: number; notFoundGraceMs?: number } {
  const { timeoutMs, minDelayMs, maxDelayMs, notFoundGraceMs } = record.options;
  return {
    ...(timeoutMs !== undefined && { timeoutMs: timeoutMs ?? Infinity }),
    ...(minDelayMs !== undefined && { minDelayMs }),
    ...(maxDelayMs !== undefined && { maxDelayMs }),
    ...(notFoundGraceMs !== undefined && { notFoundGraceMs }),
  };
}

/** A stored record, validated (its state is read by `readWaitState` where it is used). @internal */
export function readRecord(value: unknown): WaitRecord {
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('record', `is not a jobwait wait record: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data as WaitRecord;
}

function pickEnqueueOptions(options: EnqueueOptions): EnqueueOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
  const { timeoutMs, minDelayMs, maxDelayMs, notFoundGraceMs, throwOnFailure } = options;
  return { timeoutMs, minDelayMs, maxDelayMs, notFoundGraceMs, throwOnFailure };
}
