/**
 * Wait on a ServiceStage (CAS) deployment with an access key pair, printing each task as it moves.
 * Runs against the simulator: the test suite calls `main()` with a simulator's URL.
 */
import { JobFailedError } from '../src/index.js';
import { createCasClient, type CasJob } from '../adapters/cas/index.js';

export async function main(endpoint: string, jobId: string, log: (line: string) => void = console.log): Promise<CasJob | undefined> {
  await using cas = createCasClient({
    endpoint, // https://servicestage.cn-north-4.myhuaweicloud.com
    projectId: process.env['HUAWEICLOUD_SDK_PROJECT_ID'] ?? '063a3158b1a34710b36ad208b9497d00',
    auth: { accessKey: process.env['HUAWEICLOUD_SDK_AK'] ?? 'example-ak', secretKey: process.env['HUAWEICLOUD_SDK_SK'] ?? 'example-sk' },
  });
  try {
    return await cas.waitForJob(jobId, {
      timeoutMs: 30 * 60_000,
      minDelayMs: 10,
      onProgress: (job) => log(`${job.state} ${job.progress ? `${job.progress.completed}/${job.progress.total}` : ''} ${job.tasks.map((t) => `${t.name}:${t.state}`).join(' ')}`),
    });
  } catch (error) {
    if (!(error instanceof JobFailedError)) throw error;
    const task = error.job.tasks.find((t) => t.state === 'failed');
    log(`failed at ${task?.name}: ${error.job.error?.code} ${error.job.error?.message}`);
    return undefined;
  }
}
