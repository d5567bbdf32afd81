import type { JobClient } from '../../client/job-client.js';
import type { WaitOptions } from '../../engine/options.js';
import { waitForJobs, type WaitForJobsOptions } from '../../engine/wait-for-jobs.js';
import { isTerminal, JOB_STATES, type Job, type JobState } from '../../model/job.js';
import { JobCancelledError, JobFailedError, JobNotFoundError, JobTimeoutError, WaitAbortedError } from '../../errors/index.js';
import type { Flags } from '../args.js';
import { commandFlags, createClientFromConfig, parseVendor, refuseUsage } from '../config.js';
import type { CommandContext } from '../context.js';
import { EXIT, UsageError, exitCodeFor } from '../exit-codes.js';
import { chooseMode, Reporter, type Outcome } from '../output.js';

/**
 * `jobwait wait <vendor> <id>…`: waits until the jobs end; the exit code says how. Many ids are
 * one `waitForJobs` (batched where the vendor can), with one outcome each; the exit code is the
 * highest of theirs.
 */
export async function waitCommand(context: CommandContext): Promise<number> {
  const { args, io, signal } = context;
  const [vendorText, ...ids] = args.positionals;
  const descriptor = parseVendor(vendorText, context.config.vendors);
  const vendor = descriptor.name;
  const [id] = ids;
  if (!id) throw new UsageError(`the job id is missing: jobwait wait ${vendor} <job id>…`);
  const duplicate = ids.find((each, index) => ids.indexOf(each) !== index);
  if (duplicate !== undefined) throw new UsageError(`the job id ${JSON.stringify(duplicate.slice(0, 40))} is given twice`);
  const until = args.flags.until === undefined ? undefined : untilStates(args.flags.until, descriptor.states.known);
  const mode = chooseMode(args.flags.json, io.stderr);
  const reporter = new Reporter(args.flags.quiet && mode === 'tty' ? 'plain' : mode, io, context.config.retries);
  // The vendor's own wait flags (CAS: --instance), as its client's wait options.
  const flag = commandFlags(context.config, descriptor, 'wait');
  const vendorOptions = descriptor.cli.wait?.options({ flag, refuse: refuseUsage }) ?? {};
  const client = await createClientFromConfig(descriptor, context.config);
  const options = {
    signal,
    ...(until === undefined ? {} : { until }),
    ...(args.flags.noFail ? { throwOnFailure: false } : {}),
    ...timingOptions(args.flags),
    ...(args.flags.quiet ? {} : { onProgress: (snapshot: Job) => reporter.snapshot(snapshot) }),
  };
  try {
    for (const each of ids) reporter.track(vendor, each);
    const outcomes = await waitOutcomes(client, vendor, ids, options, vendorOptions);
    reporter.outcomes(outcomes);
    return Math.max(...outcomes.map((outcome) => outcome.exitCode));
  } finally {
    reporter.close();
    await client.close();
  }
}

/** The wait's timing flags that were given (`--timeout`, `--min-delay`, `--max-delay`). */
export function timingOptions(flags: Flags): Pick<WaitOptions, 'timeoutMs' | 'minDelayMs' | 'maxDelayMs'> {
  return {
    ...(flags.timeoutMs === undefined ? {} : { timeoutMs: flags.timeoutMs }),
    ...(flags.minDelayMs === undefined ? {} : { minDelayMs: flags.minDelayMs }),
    ...(flags.maxDelayMs === undefined ? {} : { maxDelayMs: flags.maxDelayMs }),
  };
}

/**
 * Waits on `ids` and resolves with one outcome each, in their order. One id is the client's own
 * `waitForJob`, which polls the job's own endpoint; a fleet of one on a client with `getJobs`
 * (ONTAP) would poll it with the collection query instead. Many ids are one `waitForJobs`, unless
 * there are `vendorOptions` (the client's own wait options, which `waitForJobs` does not take):
 * then each id is the client's `waitForJob` with them, all at once (the client's
 * `maxConcurrentRequests` bounds the requests in flight).
 */
async function waitOutcomes(client: JobClient, vendor: string, ids: readonly string[], options: WaitForJobsOptions, vendorOptions: object = {}): Promise<Outcome[]> {
  const [id] = ids;
  if (ids.length === 1 && id !== undefined) return [await waitOutcome(client, vendor, id, { ...options, ...vendorOptions })];
  if (Object.keys(vendorOptions).length > 0) return Promise.all(ids.map((each) => waitOutcome(client, vendor, each, { ...options, ...vendorOptions })));
  const settled = await waitForJobs(client, ids, options);
  return settled.map((each) => (each.status === 'fulfilled' ? resolvedOutcome(vendor, each.id, each.job) : outcomeOfError(vendor, each.id, each.error)));
}

/** Waits on one job (its `waitForJob`) and resolves with its outcome, whichever way the wait ended. */
export async function waitOutcome(client: JobClient, vendor: string, id: string, options: WaitOptions): Promise<Outcome> {
  try {
    return resolvedOutcome(vendor, id, await client.waitForJob(id, options));
  } catch (error) {
    return outcomeOfError(vendor, id, error);
  }
}

/**
 * The outcome of a wait that resolved: exit 0, whether the job succeeded, met `--until`, or (with
 * `--no-fail`) failed or was cancelled; the status says which end it reached.
 */
export function resolvedOutcome(vendor: string, id: string, job: Job): Outcome {
  const status = job.state === 'failed' ? 'failed' : job.state === 'cancelled' ? 'cancelled' : 'succeeded';
  return { vendor, id, status, exitCode: EXIT.SUCCEEDED, job };
}

/**
 * `--until`'s test: the job's state or its vendor's word (any case) is one of `text`'s `a|b`
 * words. A word that is neither a job state nor one the vendor documents is a usage error.
 */
function untilStates(text: string, known: Readonly<Record<string, JobState>>): (job: Job) => boolean {
  const words = new Set(text.split('|').map((word) => word.trim().toLowerCase()).filter((word) => word !== ''));
  const valid = new Set<string>([...JOB_STATES, ...Object.keys(known).map((word) => word.toLowerCase())]);
  for (const word of words) {
    if (!valid.has(word)) throw new UsageError(`--until: unknown state ${JSON.stringify(word.slice(0, 40))}: use ${JOB_STATES.join(', ')} or the vendor's own words`);
  }
  if (words.size === 0) throw new UsageError('--until needs a state');
  return (job) => words.has(job.state) || words.has(job.vendorState.toLowerCase());
}

/** The outcome a wait's error stands for. */
export function outcomeOfError(vendor: string, id: string, error: unknown): Outcome {
  const exitCode = exitCodeFor(error);
  if (error instanceof JobFailedError) return { vendor, id, status: 'failed', exitCode, job: error.job, error };
  if (error instanceof JobCancelledError) return { vendor, id, status: 'cancelled', exitCode, job: error.job, error };
  if (error instanceof JobTimeoutError) return { vendor, id, status: 'timeout', exitCode, job: error.lastJob, error };
  if (error instanceof JobNotFoundError) return { vendor, id, status: 'not_found', exitCode, job: error.lastJob, error };
  if (error instanceof WaitAbortedError) return { vendor, id, status: 'interrupted', exitCode, job: error.lastJob, error };
  return { vendor, id, status: 'error', exitCode, error };
}

/** The exit code of a job that ended without an error being thrown (`throwOnFailure: false`). */
export function exitCodeOfJob(job: Job): number {
  if (!isTerminal(job.state)) return EXIT.SUCCEEDED;
  return job.state === 'failed' ? EXIT.FAILED : job.state === 'cancelled' ? EXIT.CANCELLED : EXIT.SUCCEEDED;
}
