// @ts-check
/**
 * Wait until a CCE cluster creation job is running, then until it ends, with an IAM token.
 *
 *   node examples/cce-token.mjs [JOB_ID]
 *
 * Target: JOBWAIT_CCE_ENDPOINT (https://cce.cn-north-4.myhuaweicloud.com),
 * HUAWEICLOUD_SDK_PROJECT_ID, JOBWAIT_HUAWEI_TOKEN; none set: the simulator.
 */
import { createCceClient } from 'jobwait/cce';
import { target } from './target.mjs';

const { url, ids, close } = await target('JOBWAIT_CCE_ENDPOINT', (sim) => sim.cce.addJob());
const env = process.env;
const cce = createCceClient({
  endpoint: url,
  projectId: env.HUAWEICLOUD_SDK_PROJECT_ID ?? '063a3158b1a34710b36ad208b9497d00',
  auth: { token: env.JOBWAIT_HUAWEI_TOKEN ?? 'example-token' },
});
try {
  const jobId = ids[0] ?? '';
  const started = await cce.waitForJob(jobId, { minDelayMs: 10, until: (job) => job.state === 'running' });
  console.log(`${started.type} ${started.description ?? ''} is running: ${started.tasks.length} sub-jobs`);
  const done = await cce.waitForJob(jobId, { minDelayMs: 10, timeoutMs: 60 * 60_000 });
  console.log(`${done.type} ${done.state} at ${done.endedAt?.toISOString() ?? 'an unknown time'}`);
} finally {
  await cce.close();
  await close();
}
