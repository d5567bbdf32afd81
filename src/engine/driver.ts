import { readCheckpoint, type WaitCheckpoint } from './checkpoint.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { JobNotFoundError } from '../errors/job-not-found-error.js';
import type { GetJobOptions, JobSource } from '../client/job-client.js';
import { resolveWaitOptions, type WaitOptions } from './options.js';
import { advanceWait, expireWait, type AdvanceContext, type PollResult, type WaitStep } from './advance.js';
import { batchSizeOf, pollOne } from './poll-one.js';
import type { BatchJobSource } from './wait-for-jobs.js';
import { assertSource } from './prepare.js';
import { initialState, NO_OUTCOMES, type WaitState } from './wait-state.js';

/** The options that make a wait's state: its deadline, its schedule, or a checkpoint to go on from. */
export type WaitStateOptions = Pick<WaitOptions, 'timeoutMs' | 'minDelayMs' | 'maxDelayMs' | 'notFoundGraceMs' | 'resumeFrom'>;

/** Options of {@link pollWait} and {@link pollWaits}. */
export interface PollWaitOptions<TRaw = unknown> extends Pick<AdvanceContext<TRaw>, 'until' | 'throwOnFailure' | 'random' | 'lastJob' | 'lastError'> {
  /** Aborts the poll: the call then rejects with the signal's reason and the state is unchanged. */
  signal?: AbortSignal | undefined;
  /** The clock, in epoch milliseconds. @default Date.now */
  now?: (() => number) | undefined;
}

/**
 * The state a new wait on `client`'s job `jobId` starts from, for an external driver: the options
 * are validated and resolved as `waitForJob` does (defaults, the vendor's limits; with
 * `resumeFrom`, the checkpoint's deadline and schedule). Its first poll is due at once (or at the
 * checkpoint's `nextPollAt`). Throws `InvalidArgumentError` for a bad option.
 *
 * @param now - the start, in epoch milliseconds.
 */
export function startWait(client: Pick<JobSource, 'vendor' | 'waitPolicy'>, jobId: string, options: WaitStateOptions = {}, now: number = Date.now()): WaitState {
  if (typeof client !== 'object' || client === null || typeof client.vendor !== 'string') throw new InvalidArgumentError('client', 'must have a string `vendor`');
  if (typeof jobId !== 'string' || jobId.length === 0) throw new InvalidArgumentError('jobId', 'must be a non-empty string');
  const resolved = resolveWaitOptions(pickStateOptions(options), client.waitPolicy, { vendor: client.vendor, jobId });
  return initialState(client.vendor, jobId, resolved, now);
}

/**
 * Reads a stored state (or a checkpoint from `onCheckpoint`) back, validated: throws
 * `InvalidArgumentError` naming the bad field. With `expected`, it must belong to that vendor and job.
 */
export function readWaitState(value: unknown, expected?: { vendor: string; jobId: string }): WaitState {
  return toWaitState(readCheckpoint(value, 'state', expected));
}

/**
 * Polls a wait once on `client` and returns its next step ({@link advanceWait} on the answer):
 * store `step.state`, report `step.job` when `step.changed`, and either end the wait with
 * `step.end` or poll again at `step.state.nextPollAt`. A state with no poll planned
 * (`nextPollAt: null`) expires once its deadline has passed (a timeout step, with no request),
 * and is returned unchanged before then; so does a state past its deadline.
 *
 * An aborted `signal` rejects with its reason and leaves the state as it was: poll it again later.
 */
export async function pollWait<TRaw>(client: JobSource<TRaw>, state: WaitState, options: PollWaitOptions<TRaw> = {}): Promise<WaitStep<TRaw>> {
  assertSource(client);
  const [step] = await pollWaits(client, [state], options);
  return step as WaitStep<TRaw>;
}

/**
 * Polls many waits on one client at once. On a client with `getJobs` (ONTAP), waits on different
 * jobs share requests (one per `maxBatchSize` ids) and a job missing from an answer is a 404 for
 * its waits alone; otherwise each job is polled with `getJob`, all at once. Returns one step per
 * state, in order. `options.lastJob` and `lastError` are not taken here (they belong to one wait).
 */
export async function pollWaits<TRaw>(client: JobSource<TRaw>, states: readonly WaitState[], options: PollWaitOptions<TRaw> = {}): Promise<WaitStep<TRaw>[]> {
  assertSource(client);
  if (!Array.isArray(states)) throw new InvalidArgumentError('states', 'must be an array of wait states');
  const clock = options.now ?? Date.now;
  const single = states.length === 1;
  const context = (state: WaitState): AdvanceContext<TRaw> => ({
    now: clock(),
    until: options.until,
    throwOnFailure: options.throwOnFailure,
    random: options.random,
    lastJob: single ? options.lastJob : undefined,
    lastError: single ? options.lastError : undefined,
  });
  const start = clock();
  const steps: (WaitStep<TRaw> | undefined)[] = states.map((state) => {
    if (state.vendor !== client.vendor) throw new InvalidArgumentError('state.vendor', `is ${JSON.stringify(state.vendor)}: a state of another vendor cannot be polled on this ${JSON.stringify(client.vendor)} client`);
    const pastDeadline = state.deadline !== null && start >= state.deadline;
    if (pastDeadline) return expireWait<TRaw>(state, context(state));
    if (state.nextPollAt === null) return { state, job: undefined, changed: false, error: undefined, end: undefined };
    return undefined;
  });
  const due = states.filter((_, index) => steps[index] === undefined);
  const results = await fetchResults(client, due.map((state) => state.jobId), options.signal);
  return states.map((state, index) => steps[index] ?? advanceWait(state, results.get(state.jobId) as PollResult<TRaw>, context(state)));
}

/** One result per distinct id: `getJobs` in chunks when the client has it and there are several ids. */
async function fetchResults<TRaw>(client: JobSource<TRaw>, ids: readonly string[], signal: AbortSignal | undefined): Promise<Map<string, PollResult<TRaw>>> {
  const distinct = [...new Set(ids)];
  const results = new Map<string, PollResult<TRaw>>();
  const options: GetJobOptions = signal ? { signal } : {};
  const many = client as Partial<BatchJobSource<TRaw>>;
  const settle = async (work: Promise<void>): Promise<void> => {
    await work;
    // A poll the caller aborted tells nothing of the job: reject instead of advancing any wait.
    if (signal?.aborted) throw signal.reason;
  };
  if (distinct.length > 1 && typeof many.getJobs === 'function') {
    const size = batchSizeOf(many);
    const chunks: string[][] = [];
    for (let i = 0; i < distinct.length; i += size) chunks.push(distinct.slice(i, i + size));
    await settle(
      Promise.all(
        chunks.map(async (chunk) => {
          try {
            const jobs = await (many.getJobs as NonNullable<typeof many.getJobs>).call(client, chunk, options);
            for (const id of chunk) {
              const job = jobs.get(id);
              results.set(id, job ? { job } : { error: new JobNotFoundError({ vendor: client.vendor, jobId: id }) });
            }
          } catch (error) {
            for (const id of chunk) results.set(id, { error });
          }
        }),
      ).then(() => undefined),
    );
    return results;
  }
  await settle(
    Promise.all(
      distinct.map(async (id) => {
        try {
          results.set(id, await pollOne(client, id, options));
        } catch (error) {
          results.set(id, { error });
        }
      }),
    ).then(() => undefined),
  );
  return results;
}

/** A validated checkpoint as a state: `earliestPollAt` and `outcomes` filled in when absent. */
function toWaitState(checkpoint: WaitCheckpoint): WaitState {
  return { ...checkpoint, earliestPollAt: checkpoint.earliestPollAt ?? checkpoint.nextPollAt, outcomes: checkpoint.outcomes ?? NO_OUTCOMES };
}

function pickStateOptions(options: WaitStateOptions): WaitStateOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
  const picked: WaitStateOptions = {};
  for (const key of ['timeoutMs', 'minDelayMs', 'maxDelayMs', 'notFoundGraceMs', 'resumeFrom'] as const) {
    if (options[key] !== undefined) (picked as Record<string, unknown>)[key] = options[key];
  }
  return picked;
}
