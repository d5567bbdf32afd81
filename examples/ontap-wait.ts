/**
 * Wait on an ONTAP job from the 202 answer that started it, and branch on typed errors.
 * Runs against the simulator: the test suite calls `main()` with a simulator's URL.
 */
import { JobFailedError, JobNotFoundError, JobTimeoutError, type Job } from '../src/index.js';
import { createOntapClient, type OntapJobRaw } from '../adapters/ontap/index.js';

export async function main(baseUrl: string, accepted: unknown, log: (line: string) => void = console.log): Promise<Job<OntapJobRaw> | undefined> {
  await using ontap = createOntapClient({ baseUrl, auth: { username: 'admin', password: process.env['ONTAP_PASSWORD'] ?? 'netapp1!' } });
  const uuid = ontap.jobIdFrom(accepted); // { job: { uuid, _links } } from the 202 answer
  try {
    return await ontap.waitForJob(uuid, {
      timeoutMs: 60_000,
      minDelayMs: 10,
      onProgress: (job) => log(`${job.state}${job.message ? `: ${job.message}` : ''}`),
    });
  } catch (error) {
    if (error instanceof JobFailedError) log(`failed with ${error.job.error?.code}: ${error.job.error?.message}`);
    else if (error instanceof JobTimeoutError) log(error.message);
    else if (error instanceof JobNotFoundError) log(error.lastJob ? 'the job vanished: its outcome is unknown' : 'no such job');
    else throw error;
    return undefined;
  }
}
