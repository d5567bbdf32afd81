// Type-checks the published declarations (dist/*.d.ts) as an ES module consumer sees them.
import { JobNotFoundError, JobwaitError, waitForJob, type Job, type JobSource } from 'jobwait';
import { createOntapClient, type OntapJob, type OntapJobRaw } from 'jobwait/ontap';
import { startSimulator, type Simulator } from 'jobwait/testing';

const ontap = createOntapClient({ baseUrl: 'https://cluster1.example.com', auth: { username: 'admin', password: 'x' } });
const job: OntapJob = await ontap.waitForJob('00000000-0000-4000-8000-000000000000', { timeoutMs: 600_000, onProgress: (j) => j.state });
const uuid: string = job.raw.uuid;
const state: OntapJobRaw['state'] = job.raw.state;
// @ts-expect-error the raw payload is typed from its schema: an unknown field is `unknown`
job.raw.not_a_field.length;
const custom: JobSource<{ n: number }> = { vendor: 'custom', getJob: async (id) => ({ vendor: 'custom', id, state: 'succeeded', vendorState: 'done', tasks: [], raw: { n: 1 } }) };
const done: Job<{ n: number }> = await waitForJob(custom, 'x');
const n: number = done.raw.n;
const error: unknown = new Error();
if (error instanceof JobNotFoundError) {
  const code: 'JOB_NOT_FOUND' = error.code;
  const last: Job | undefined = error.lastJob;
  void code, last;
}
const base: JobwaitError | undefined = undefined;
const sim: Simulator = await startSimulator();
await sim.close();
void uuid, state, n, base;

// The Huawei entries: raw payloads typed from their schemas.
import { createCasClient, type CasJob } from 'jobwait/cas';
import { createCceClient, type CceJob } from 'jobwait/cce';

const cas = createCasClient({ endpoint: 'https://servicestage.example.com', projectId: 'p1', auth: { accessKey: 'ak', secretKey: 'sk' } });
const casJob: CasJob = await cas.waitForJob('JOB1', { instanceId: 'i-1' });
const executionStatus: string = casJob.raw.job.EXECUTION_STATUS;
const taskIndex: number | undefined = casJob.raw.tasks[0]?.TASK_INDEX;
const cce = createCceClient({ endpoint: 'https://cce.example.com', projectId: 'p1', auth: { token: 't' } });
const cceJob: CceJob = await cce.getJob('uid-1');
const phase: string = cceJob.raw.status.phase;
const subPhase: string | undefined = cceJob.raw.spec?.subJobs?.[0]?.status?.phase;
// @ts-expect-error auth takes a token or an access key pair
createCceClient({ endpoint: 'https://cce.example.com', projectId: 'p1', auth: { password: 'x' } });
void executionStatus, taskIndex, phase, subPhase;

// The transport for adapter authors: the answer is typed from the request's schema.
import { createHttpTransport, JobClientBase, pathSegment } from 'jobwait/adapter';
import { z } from 'zod';

const http = createHttpTransport({ vendor: 'acme', baseUrl: 'https://acme.example.com', secrets: ['t'], isNotFound: (details, status) => status === 404 || details.vendorCode === 'GONE' });
const answer = await http.request({ method: 'GET', path: `${http.basePath}/tasks/${pathSegment('a')}`, schema: z.object({ status: z.string() }), jobId: 'a' });
const taskStatus: string = answer.data.status;
// @ts-expect-error the answer is typed from the schema: it has no such field
answer.data.other;
const attached: JobSource<{ n: number }> = http.attach(custom);
void taskStatus, attached, JobClientBase;
