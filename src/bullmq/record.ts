import { z } from 'zod';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { resolveWaitOptions, type WaitOptions } from '../engine/options.js';
import type { WaitState } from '../engine/wait-state.js';

/**
 * Options of `enqueue`: the wait's deadline and schedule, as `waitForJob` takes them (with its
 * defaults); `timeoutMs` counts from the first enqueue. `until` and the callbacks, being
 * functions, cannot be stored.
 */
export type EnqueueOptions = Pick<WaitOptions, 'timeoutMs' | 'minDelayMs' | 'maxDelayMs' | 'notFoundGraceMs' | 'throwOnFailure'>;

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
  const picked = options === undefined ? {} : pickEnqueueOptions(options);
  resolveWaitOptions(picked);
  // JSON keeps the record as it is read back: an option left out stays out, `Infinity` is `null`.
  return readRecord(JSON.parse(JSON.stringify({ v: 1, enqueuedAt: now, options: picked })));
}

/** The stored options as `startWait` takes them (it picks the ones that make a state). @internal */
export function stateOptionsOf(record: WaitRecord): EnqueueOptions {
  const { timeoutMs, ...rest } = record.options;
  return timeoutMs === null ? { ...rest, timeoutMs: Infinity } : { ...rest, ...(timeoutMs !== undefined && { timeoutMs }) };
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
