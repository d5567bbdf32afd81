// @ts-check
/**
 * Wait on an ONTAP job from the 202 answer that started it, and branch on typed errors.
 *
 *   node examples/ontap-wait.mjs [JOB_UUID]
 *
 * Target: JOBWAIT_ONTAP_URL, JOBWAIT_ONTAP_USER, JOBWAIT_ONTAP_PASSWORD; none set: the simulator.
 */
import { JobFailedError, JobNotFoundError, JobTimeoutError } from 'jobwait';
import { createOntapClient } from 'jobwait/ontap';
import { target } from './target.mjs';

const { url, ids, close } = await target('JOBWAIT_ONTAP_URL', (sim) => sim.ontap.addJob());
const env = process.env;
const ontap = createOntapClient({ baseUrl: url, auth: { username: env.JOBWAIT_ONTAP_USER ?? 'admin', password: env.JOBWAIT_ONTAP_PASSWORD ?? 'netapp1!' } });
try {
  const accepted = { job: { uuid: ids[0] } }; // the 202 answer of, e.g., PATCH /api/storage/volumes/{uuid}
  const uuid = ontap.jobIdFrom(accepted);
  const job = await ontap.waitForJob(uuid, {
    timeoutMs: 60_000,
    minDelayMs: 10,
    onProgress: (job) => console.log(`${job.state}${job.message ? `: ${job.message}` : ''}`),
  });
  console.log(`done: ${job.state}`);
} catch (error) {
  process.exitCode = 1;
  if (error instanceof JobFailedError) console.log(`failed with ${error.job.error?.code}: ${error.job.error?.message}`);
  else if (error instanceof JobTimeoutError) console.log(error.message);
  else if (error instanceof JobNotFoundError) console.log(error.lastJob ? 'the job vanished: its outcome is unknown' : 'no such job');
  else throw error;
} finally {
  await ontap.close();
  await close();
}
