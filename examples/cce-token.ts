/**
 * Wait until a CCE cluster creation job is running, then until it ends, with an IAM token.
 * Runs against the simulator: the test suite calls `main()` with a simulator's URL.
 */
import { createCceClient, type CceJob } from '../adapters/cce/index.js';

export async function main(endpoint: string, jobId: string, log: (line: string) => void = console.log): Promise<CceJob> {
  await using cce = createCceClient({
    endpoint, // https://cce.cn-north-4.myhuaweicloud.com
    projectId: process.env['HUAWEICLOUD_SDK_PROJECT_ID'] ?? '063a3158b1a34710b36ad208b9497d00',
    auth: { token: process.env['JOBWAIT_HUAWEI_TOKEN'] ?? 'example-token' },
  });
  const started = await cce.waitForJob(jobId, { minDelayMs: 10, until: (job) => job.state === 'running' });
  log(`${started.type} ${started.description ?? ''} is running: ${started.tasks.length} sub-jobs`);
  const done = await cce.waitForJob(jobId, { minDelayMs: 10, timeoutMs: 60 * 60_000 });
  log(`${done.type} ${done.state} at ${done.endedAt?.toISOString() ?? 'an unknown time'}`);
  return done;
}
