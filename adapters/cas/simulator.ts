import { randomUUID } from 'node:crypto';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { Lifecycle, type LifecycleView, type StepTiming, type VisibilityScript } from '../../src/simulation/lifecycle.js';
import { checkHuaweiAuth, huaweiError, type HuaweiGatewayAuth } from '../huawei/simulator-auth.js';

/** The example answer of Huawei's "Obtaining Job Details" page, verbatim. */
export const CAS_DOCUMENTED_EXAMPLE = Object.freeze({
  job: {
    JOB_ID: 'JOB474362ef-091d-429f-9b3e-c9246b37dee6',
    JOB_NAME: 'provision/provMain',
    JOB_TYPE: 'PROVISION',
    SERVICE_INSTANCE_ID: '429a35a0-dee8-4648-86f6-d1f8bc74ba52',
    PROJECT_ID: '063a3158b1a34710b36ad208b9497d00',
    ORDER_ID: '',
    JOB_DESC: 'provision/provMain',
    EXECUTION_STATUS: 'FAILED',
    CREATED_BY: '585cc5c16cda4954b28d4eb460f06261',
  },
  tasks: [
    { MESSAGES: '{}', TASK_ID: 'Task-bc64b46c-1688-4787-b7ff-87cb53b346ea', TASK_TYPE: 'echo', TASK_INDEX: 1, TASK_NAME: 'SEPARATOR_PREPARE_RESOURCES', TASK_STATUS: 'SUCCEEDED', LAST_HEALTH_CHECK: '2020-02-04T04:01:03.344Z', CREATED_AT: '2020-02-04T04:01:03.344Z', OWNER_ID: 'cas-mgr-69bb87d7c-wpqwb:30114' },
    { MESSAGES: '{}', TASK_ID: 'Task-15ec252f-bca0-401e-ae5b-798a639df92e', TASK_TYPE: 'echo', TASK_INDEX: 4, TASK_NAME: 'SEPARATOR_BUILDING', TASK_STATUS: 'SUCCEEDED', LAST_HEALTH_CHECK: '2020-02-04T04:01:03.346Z', CREATED_AT: '2020-02-04T04:01:03.345Z', OWNER_ID: 'cas-mgr-69bb87d7c-wpqwb:30114' },
    { MESSAGES: '{}', TASK_ID: 'Task-52a5d1ae-2c54-46ec-8134-53e7b6a45fb7', TASK_TYPE: 'restful', TASK_INDEX: 6, TASK_NAME: 'TN00091', TASK_STATUS: 'SUCCEEDED', LAST_HEALTH_CHECK: '2020-02-04T04:01:08.924Z', CREATED_AT: '2020-02-04T04:01:03.346Z', OWNER_ID: 'cas-mgr-69bb87d7c-wpqwb:30114' },
    { MESSAGES: '{}', TASK_ID: 'Task-a149b585-d31b-4c72-a665-d820efcb0bf9', TASK_TYPE: 'restful', TASK_INDEX: 7, TASK_NAME: 'TN00094', TASK_STATUS: 'SUCCEEDED', LAST_HEALTH_CHECK: '2020-02-04T04:01:08.961Z', CREATED_AT: '2020-02-04T04:01:08.925Z', OWNER_ID: 'cas-mgr-69bb87d7c-wpqwb:30114' },
    { MESSAGES: '{ "Message" : "ECC00011", "Detail" : "Building failed." }', TASK_ID: 'Task-a72fe8d8-8cc1-42b5-a097-0cf9e29692a7', TASK_TYPE: 'restful', TASK_INDEX: 9, TASK_NAME: 'TN00097', TASK_STATUS: 'FAILED', LAST_HEALTH_CHECK: '2020-02-04T04:01:38.975Z', CREATED_AT: '2020-02-04T04:01:08.962Z', OWNER_ID: 'cas-mgr-69bb87d7c-wpqwb:30114' },
  ],
  task_count: 5,
});

/** One task of a scripted job: its record fields (UPPER_CASE), without the status. */
export interface CasTaskScript {
  /** @default `Task-<random uuid>` */
  TASK_ID?: string;
  /** The task's `TASK_NAME`. */
  TASK_NAME: string;
  /** The task's `TASK_TYPE` (`echo`, `restful`, ...). */
  TASK_TYPE?: string;
  /** @default its position, from 1 */
  TASK_INDEX?: number;
  /** More fields, as they are (CREATED_AT, OWNER_ID …). */
  [field: string]: unknown;
}

/** One scripted state of a CAS job. */
export interface CasStep extends StepTiming {
  /** EXECUTION_STATUS: SUBMITTED, SCHEDULED, RUNNING, SUCCEEDED, FAILED, CANCELLED, PARTIALLY_FAILED, ROLLBACKING, ROLLBACKED, UNKNOWN (or anything, to test drift). */
  status: string;
  /** TASK_STATUS of each task, in the order of the script's `tasks`. @default the step's status for every task */
  taskStatuses?: readonly string[];
  /** MESSAGES of each task (a JSON string, or anything), in the same order. @default "{}" */
  taskMessages?: readonly (string | undefined)[];
}

/** A scripted ServiceStage job. */
export interface CasJobScript extends VisibilityScript {
  /** @default the documented example's id the first time, then `JOB<random uuid>` */
  jobId?: string;
  /** Fields of the `job` object besides JOB_ID and EXECUTION_STATUS. @default the documented example's */
  job?: Record<string, unknown>;
  /** @default the documented example's five tasks */
  tasks?: readonly CasTaskScript[];
  /** @default SUBMITTED, RUNNING, then the documented example (FAILED at task TN00097, ECC00011) */
  steps?: readonly CasStep[];
  /** Serve the job's and tasks' keys in lower_case, as some Huawei tools do. */
  lowerCaseKeys?: boolean;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'PARTIALLY_FAILED', 'ROLLBACKED']);
const DOC_TASKS: CasTaskScript[] = CAS_DOCUMENTED_EXAMPLE.tasks.map(({ TASK_STATUS: _status, MESSAGES: _messages, ...task }) => ({ ...task }));
const { JOB_ID: DOC_JOB_ID, EXECUTION_STATUS: _docStatus, ...DOC_JOB_FIELDS } = CAS_DOCUMENTED_EXAMPLE.job;

/** The default lifecycle: it ends exactly as the documented example. */
export const CAS_DEFAULT_STEPS: readonly CasStep[] = Object.freeze([
  { status: 'SUBMITTED', taskStatuses: ['SUBMITTED', 'SUBMITTED', 'SUBMITTED', 'SUBMITTED', 'SUBMITTED'] },
  { status: 'RUNNING', taskStatuses: ['SUCCEEDED', 'SUCCEEDED', 'RUNNING', 'SUBMITTED', 'SUBMITTED'] },
  {
    status: 'FAILED',
    taskStatuses: CAS_DOCUMENTED_EXAMPLE.tasks.map((task) => task.TASK_STATUS),
    taskMessages: CAS_DOCUMENTED_EXAMPLE.tasks.map((task) => task.MESSAGES),
  },
]);

interface SimJob {
  jobId: string;
  script: CasJobScript;
  tasks: CasTaskScript[];
  lifecycle: Lifecycle<CasStep>;
  /** What the last first page showed: the later pages of that poll show the same. */
  lastView?: LifecycleView<CasStep>;
}

/** The simulated ServiceStage job API: script jobs, then point a CAS client at the simulator. */
export class CasSimulation {
  /** When set, requests must carry this token, or be signed with this key pair, like the gateway demands. */
  auth: HuaweiGatewayAuth | undefined;
  readonly #jobs = new Map<string, SimJob>();

  /** Adds a scripted job and returns its id. */
  addJob(script: CasJobScript = {}): string {
    const jobId = script.jobId ?? (this.#jobs.has(DOC_JOB_ID) ? `JOB${randomUUID()}` : DOC_JOB_ID);
    const tasks = (script.tasks ?? DOC_TASKS).map((task, i) => ({ ...task, TASK_ID: task.TASK_ID ?? `Task-${randomUUID()}`, TASK_INDEX: task.TASK_INDEX ?? i + 1 }));
    const steps = script.steps && script.steps.length > 0 ? [...script.steps] : [...CAS_DEFAULT_STEPS];
    this.#jobs.set(jobId, { jobId, script, tasks, lifecycle: new Lifecycle(steps, script, (step) => TERMINAL.has(step.status.toUpperCase())) });
    return jobId;
  }

  /** Deletes a job now: it answers SVCSTG.00100429 from here on. */
  deleteJob(jobId: string): void {
    this.#jobs.get(jobId)?.lifecycle.delete();
  }

  /** Forgets every job and the auth. */
  reset(): void {
    this.#jobs.clear();
    this.auth = undefined;
  }

  /** msw request handlers for `GET /v2/{project_id}/cas/jobs/{job_id}`, on any origin. */
  handlers(): RequestHandler[] {
    return [
      http.get('*/v2/:projectId/cas/jobs/:jobId', async ({ request, params }) => {
        const denied = await checkHuaweiAuth(request, this.auth);
        if (denied) return denied;
        const url = new URL(request.url);
        const limit = url.searchParams.has('limit') ? Number(url.searchParams.get('limit')) : 20;
        const offset = url.searchParams.has('offset') ? Number(url.searchParams.get('offset')) : 0;
        if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(offset) || offset < 0) {
          return huaweiError(400, 'SVCSTG.00100400', 'Invalid limit or offset.');
        }
        const jobId = String(params['jobId']);
        if (jobId === '') return huaweiError(400, 'SVCSTG.00100414', 'The job id is empty.');
        const job = this.#jobs.get(jobId);
        // A poll is its first page: it moves the job along, and the later pages show what it showed.
        let view: LifecycleView<CasStep> | undefined;
        if (job && offset === 0) view = job.lastView = job.lifecycle.poll();
        else view = job?.lastView ?? job?.lifecycle.peek();
        if (!job || view?.kind !== 'visible') return huaweiError(404, 'SVCSTG.00100429', `Job ${jobId} not found.`);
        return HttpResponse.json(this.#page(job, view.step, limit, offset), { headers: { 'x-request-id': randomUUID().replace(/-/g, '') } });
      }),
    ];
  }

  #page(job: SimJob, step: CasStep, limit: number, offset: number): Record<string, unknown> {
    const records = job.tasks.map((task, i) => ({
      ...task,
      TASK_STATUS: step.taskStatuses?.[i] ?? step.status,
      MESSAGES: step.taskMessages?.[i] ?? '{}',
    }));
    records.sort((a, b) => (a.TASK_INDEX as number) - (b.TASK_INDEX as number));
    const jobRecord = { JOB_ID: job.jobId, ...(job.script.job ?? DOC_JOB_FIELDS), EXECUTION_STATUS: step.status };
    const lower = job.script.lowerCaseKeys === true;
    const keys = (record: Record<string, unknown>): Record<string, unknown> => (lower ? Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v])) : record);
    return { job: keys(jobRecord), tasks: records.slice(offset, offset + limit).map(keys), task_count: records.length };
  }
}
