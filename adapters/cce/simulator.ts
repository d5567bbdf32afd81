import { randomUUID } from 'node:crypto';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { Lifecycle, type StepTiming, type VisibilityScript } from '../../src/simulation/lifecycle.js';
import { checkHuaweiAuth, huaweiError, type HuaweiGatewayAuth } from '../huawei/simulator-auth.js';

/** The example answer of Huawei's "Querying a Job" page, verbatim. */
export const CCE_DOCUMENTED_EXAMPLE = Object.freeze({
  kind: 'Job',
  apiVersion: 'v3',
  metadata: {
    uid: '354331b2c-229a-11e8-9c75-0255ac100ceb',
    creationTimestamp: '2018-08-02 08:12:40.672772389 +0000 UTC',
    updateTimestamp: '2018-08-02 08:21:50.478108569 +0000 UTC',
  },
  spec: {
    type: 'CreateCluster',
    clusterUID: '4d1ecb2c-229a-11e8-9c75-0255ac100ceb',
    resourceID: '6f4dcb2c-229a-11e8-9c75-0255ac100ceb',
    resourceName: 'cluster-name',
    extendParam: { serverID: 'bc467e3a-2338-11e8-825b-0255ac100c13' },
    subJobs: [
      {
        kind: 'Job',
        apiVersion: 'v3',
        metadata: {
          uid: 'fd474fab-9606-11e8-baa9-0255ac10215d',
          creationTimestamp: '2018-08-02 03:52:34.615819618 +0000 UTC',
          updateTimestamp: '2018-08-02 04:05:29.196243031 +0000 UTC',
        },
        spec: {
          type: 'InstallMaster',
          clusterUID: 'fcc72de0-9606-11e8-baa8-0255ac10215d',
          resourceID: 'fd3b4ac0-9606-11e8-baa8-0255ac10215d',
          extendParam: { serverID: 'fd3b4ac0-9606-11e8-baa8-0255ac10215d' },
        },
        status: { phase: 'Success' },
      },
      {
        kind: 'Job',
        apiVersion: 'v3',
        metadata: {
          uid: 'fd474f82-9606-11e8-baa8-0255ac10215d',
          creationTimestamp: '2018-08-02 03:52:33.859150791 +0000 UTC',
          updateTimestamp: '2018-08-02 03:52:34.615655429 +0000 UTC',
        },
        spec: { type: 'CreatePSMCert', clusterUID: 'fcc72de0-9606-11e8-baa8-0255ac10215d' },
        status: { phase: 'Success' },
      },
    ],
  },
  status: { phase: 'Running', reason: '' },
});

/** One scripted state of a CCE job. */
export interface CceStep extends StepTiming {
  /** status.phase: Initializing, Running, Success, Failed (or anything, to test drift). */
  phase: string;
  /** The job's `status.reason` in this step. */
  reason?: string;
  /** The job's `status.message` in this step. */
  message?: string;
  /** The phase of each sub-job (and of its own sub-jobs), in the order of `spec.subJobs`. @default the step's phase */
  subJobPhases?: readonly string[];
  /** The status.reason of each sub-job, in the same order. */
  subJobReasons?: readonly (string | undefined)[];
}

/** A scripted CCE job. */
export interface CceJobScript extends VisibilityScript {
  /** metadata.uid. @default the documented example's the first time, then a random uuid */
  uid?: string;
  /** `spec` (type, clusterUID, resourceName, extendParam, subJobs as Job objects …). @default the documented example's */
  spec?: Record<string, unknown>;
  /** @default Initializing, then the documented example (Running, sub-jobs Success), then Success */
  steps?: readonly CceStep[];
}

/** The default lifecycle: its middle is exactly the documented example. */
export const CCE_DEFAULT_STEPS: readonly CceStep[] = Object.freeze([
  { phase: 'Initializing', subJobPhases: ['Initializing', 'Initializing'] },
  { phase: 'Running', reason: '', subJobPhases: ['Success', 'Success'] },
  { phase: 'Success', subJobPhases: ['Success', 'Success'] },
]);

const TERMINAL = new Set(['success', 'failed']);

/** Go's `time.Time` string: `2018-08-02 08:12:40.672000000 +0000 UTC`. */
export function formatGoTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}000000 +0000 UTC`;
}

interface SimJob {
  uid: string;
  script: CceJobScript;
  createdAt: number;
  lifecycle: Lifecycle<CceStep>;
  lastIndex: number;
  updatedAt: number;
}

/** The simulated CCE job API: script jobs, then point a CCE client at the simulator. */
export class CceSimulation {
  /** When set, requests must carry this token, or be signed with this key pair, like the gateway demands. */
  auth: HuaweiGatewayAuth | undefined;
  readonly #jobs = new Map<string, SimJob>();

  /** Adds a scripted job and returns its uid. */
  addJob(script: CceJobScript = {}): string {
    const uid = script.uid ?? (this.#jobs.has(CCE_DOCUMENTED_EXAMPLE.metadata.uid) ? randomUUID() : CCE_DOCUMENTED_EXAMPLE.metadata.uid);
    const steps = script.steps && script.steps.length > 0 ? [...script.steps] : [...CCE_DEFAULT_STEPS];
    const now = Date.now();
    this.#jobs.set(uid, { uid, script, createdAt: now, lifecycle: new Lifecycle(steps, script, (step) => TERMINAL.has(step.phase.toLowerCase())), lastIndex: -1, updatedAt: now });
    return uid;
  }

  /** Deletes a job now: it answers 404 from here on. */
  deleteJob(uid: string): void {
    this.#jobs.get(uid)?.lifecycle.delete();
  }

  /** Forgets every job and the auth. */
  reset(): void {
    this.#jobs.clear();
    this.auth = undefined;
  }

  /** msw request handlers for `GET /api/v3/projects/{project_id}/jobs/{job_id}`, on any origin. */
  handlers(): RequestHandler[] {
    return [
      http.get('*/api/v3/projects/:projectId/jobs/:jobId', async ({ request, params }) => {
        const denied = await checkHuaweiAuth(request, this.auth);
        if (denied) return denied;
        const uid = String(params['jobId']);
        const job = this.#jobs.get(uid);
        const view = job?.lifecycle.poll();
        if (!job || view?.kind !== 'visible') return huaweiError(404, 'CCE.01404001', `Job ${uid} not found.`);
        return HttpResponse.json(this.#record(job, view.step, view.index), { headers: { 'x-request-id': randomUUID().replace(/-/g, '') } });
      }),
    ];
  }

  #record(job: SimJob, step: CceStep, index: number): Record<string, unknown> {
    const now = Date.now();
    if (index !== job.lastIndex) {
      job.lastIndex = index;
      job.updatedAt = now;
    }
    const isDefault = job.script.spec === undefined;
    const spec = { ...(job.script.spec ?? CCE_DOCUMENTED_EXAMPLE.spec) } as Record<string, unknown>;
    const subJobs = Array.isArray(spec['subJobs']) ? (spec['subJobs'] as Record<string, unknown>[]) : [];
    spec['subJobs'] = subJobs.map((sub, i) => withPhase(sub, step.subJobPhases?.[i] ?? step.phase, step.subJobReasons?.[i]));
    const status: Record<string, unknown> = { phase: step.phase };
    if (step.reason !== undefined) status['reason'] = step.reason;
    if (step.message !== undefined) status['message'] = step.message;
    // The documented example's own timestamps where it is served as documented.
    const documented = isDefault && job.uid === CCE_DOCUMENTED_EXAMPLE.metadata.uid;
    const metadata = documented
      ? { ...CCE_DOCUMENTED_EXAMPLE.metadata }
      : { uid: job.uid, creationTimestamp: formatGoTime(job.createdAt), updateTimestamp: formatGoTime(job.updatedAt) };
    return { kind: 'Job', apiVersion: 'v3', metadata, spec, status };
  }
}

function withPhase(sub: Record<string, unknown>, phase: string, reason: string | undefined): Record<string, unknown> {
  const spec = typeof sub['spec'] === 'object' && sub['spec'] !== null ? { ...(sub['spec'] as Record<string, unknown>) } : undefined;
  if (spec && Array.isArray(spec['subJobs'])) spec['subJobs'] = (spec['subJobs'] as Record<string, unknown>[]).map((child) => withPhase(child, phase, undefined));
  const status: Record<string, unknown> = { phase };
  if (reason !== undefined) status['reason'] = reason;
  return { ...sub, ...(spec ? { spec } : {}), status };
}
