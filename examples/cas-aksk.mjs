// @ts-check
/**
 * Wait on a ServiceStage (CAS) deployment with an access key pair, printing each task as it moves.
 *
 *   node examples/cas-aksk.mjs [JOB_ID]
 *
 * Target: JOBWAIT_CAS_ENDPOINT (https://servicestage.cn-north-4.myhuaweicloud.com),
 * HUAWEICLOUD_SDK_PROJECT_ID, HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK; none set: the simulator.
 */
import { JobFailedError } from 'jobwait';
import { createCasClient } from 'jobwait/cas';
import { target } from './target.mjs';

const { url, ids, close } = await target('JOBWAIT_CAS_ENDPOINT', (sim) => sim.cas.addJob());
const env = process.env;
const cas = createCasClient({
  endpoint: url,
  projectId: env.HUAWEICLOUD_SDK_PROJECT_ID ?? '063a3158b1a34710b36ad208b9497d00',
  auth: { accessKey: env.HUAWEICLOUD_SDK_AK ?? 'example-ak', secretKey: env.HUAWEICLOUD_SDK_SK ?? 'example-sk' },
});
try {
  const job = await cas.waitForJob(ids[0] ?? '', {
    timeoutMs: 30 * 60_000,
    minDelayMs: 10,
    onProgress: (job) => console.log(`${job.state} ${job.progress ? `${job.progress.completed}/${job.progress.total}` : ''} ${job.tasks.map((t) => `${t.name}:${t.state}`).join(' ')}`),
  });
  console.log(`done: ${job.state}`);
} catch (error) {
  if (!(error instanceof JobFailedError)) throw error;
  process.exitCode = 1;
  const task = error.job.tasks.find((t) => t.state === 'failed');
  console.log(`failed at ${task?.name}: ${error.job.error?.code} ${error.job.error?.message}`);
} finally {
  await cas.close();
  await close();
}
