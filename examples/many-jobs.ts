/**
 * Wait on many ONTAP jobs at once: the client reads every pending job with one batched request
 * per round, `failFast: false` settles every job, and a summary tells which ones need a look.
 * Runs against the simulator: the test suite calls `main()` with a simulator's URL.
 */
import { JobFailedError, JobNotFoundError, JobTimeoutError, waitForJobs, type JobOutcome, type JobState } from '../src/index.js';
import { createOntapClient, type OntapJobRaw } from '../adapters/ontap/index.js';

/** What {@link main} found: jobs per final state, and a line for each job that did not succeed. */
export interface FleetSummary {
  counts: Partial<Record<JobState | 'error', number>>;
  problems: string[];
}

export async function main(baseUrl: string, uuids: readonly string[], log: (line: string) => void = console.log): Promise<FleetSummary> {
  await using ontap = createOntapClient({ baseUrl, auth: { username: 'admin', password: process.env['ONTAP_PASSWORD'] ?? 'netapp1!' } });
  // One deadline for the whole fleet; one `GET /api/cluster/jobs?uuid=a|b|…` per round (getJobs).
  const outcomes: JobOutcome<OntapJobRaw>[] = await waitForJobs(ontap, uuids, {
    timeoutMs: 10 * 60_000,
    minDelayMs: 10,
    failFast: false, // the default: settle every job, like Promise.allSettled
    onProgress: (job) => log(`${job.id.slice(0, 8)} ${job.state}`),
  });
  const summary: FleetSummary = { counts: {}, problems: [] };
  for (const outcome of outcomes) {
    const state = outcome.status === 'fulfilled' ? outcome.job.state : outcome.error instanceof JobFailedError ? 'failed' : 'error';
    summary.counts[state] = (summary.counts[state] ?? 0) + 1;
    if (outcome.status === 'fulfilled') continue;
    const { error } = outcome;
    if (error instanceof JobFailedError) summary.problems.push(`${outcome.id}: failed ${error.job.error?.code ?? ''} ${error.job.error?.message ?? ''}`.trim());
    else if (error instanceof JobNotFoundError) summary.problems.push(`${outcome.id}: ${error.lastJob ? 'vanished' : 'not found'}`);
    else if (error instanceof JobTimeoutError) summary.problems.push(`${outcome.id}: still ${error.lastJob?.state ?? 'unseen'} at the deadline`);
    else summary.problems.push(`${outcome.id}: ${String(error)}`);
  }
  log(`${outcomes.length} jobs: ${Object.entries(summary.counts).map(([state, n]) => `${n} ${state}`).join(', ')}`);
  for (const problem of summary.problems) log(`  ${problem}`);
  return summary;
}
