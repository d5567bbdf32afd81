// @ts-check
/**
 * Wait on many ONTAP jobs at once: the client reads every pending job with one batched request
 * per round, `failFast: false` settles every job, and a summary tells which ones need a look.
 *
 *   node examples/many-jobs.mjs [JOB_UUID…]
 *
 * Target: JOBWAIT_ONTAP_URL, JOBWAIT_ONTAP_USER, JOBWAIT_ONTAP_PASSWORD; none set: the simulator,
 * with 8 jobs that succeed, one that fails and one id it does not know.
 */
import { JobFailedError, JobNotFoundError, JobTimeoutError, waitForJobs } from 'jobwait';
import { createOntapClient } from 'jobwait/ontap';
import { target } from './target.mjs';

const { url, ids, close } = await target('JOBWAIT_ONTAP_URL', (sim) => [
  ...Array.from({ length: 8 }, () => sim.ontap.addJob()),
  sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', error: { code: '917927', message: 'Volume is offline' } }] }),
  '0f1e2d3c-4b5a-4968-8776-655443322110',
]);
const env = process.env;
const ontap = createOntapClient({ baseUrl: url, auth: { username: env.JOBWAIT_ONTAP_USER ?? 'admin', password: env.JOBWAIT_ONTAP_PASSWORD ?? 'netapp1!' } });
try {
  // One deadline for the whole fleet; one `GET /api/cluster/jobs?uuid=a|b|…` per round (getJobs).
  const outcomes = await waitForJobs(ontap, ids, {
    timeoutMs: 10 * 60_000,
    minDelayMs: 10,
    failFast: false, // the default: settle every job, like Promise.allSettled
    onProgress: (job) => console.log(`${job.id.slice(0, 8)} ${job.state}`),
  });
  /** @type {Record<string, number>} */
  const counts = {};
  const problems = [];
  for (const outcome of outcomes) {
    const state = outcome.status === 'fulfilled' ? outcome.job.state : outcome.error instanceof JobFailedError ? 'failed' : 'error';
    counts[state] = (counts[state] ?? 0) + 1;
    if (outcome.status === 'fulfilled') continue;
    const { error } = outcome;
    if (error instanceof JobFailedError) problems.push(`${outcome.id}: failed ${error.job.error?.code ?? ''} ${error.job.error?.message ?? ''}`.trim());
    else if (error instanceof JobNotFoundError) problems.push(`${outcome.id}: ${error.lastJob ? 'vanished' : 'not found'}`);
    else if (error instanceof JobTimeoutError) problems.push(`${outcome.id}: still ${error.lastJob?.state ?? 'unseen'} at the deadline`);
    else problems.push(`${outcome.id}: ${String(error)}`);
  }
  console.log(`${outcomes.length} jobs: ${Object.entries(counts).map(([state, n]) => `${n} ${state}`).join(', ')}`);
  for (const problem of problems) console.log(`  ${problem}`);
  if (problems.length > 0) process.exitCode = 1;
} finally {
  await ontap.close();
  await close();
}
