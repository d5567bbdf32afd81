import { z } from 'zod';
import { MAX_TASK_DEPTH } from '../../src/model/job.js';
import { nestsDeeperThan } from '../../src/model/nesting.js';

/**
 * zod schemas of CCE's `GET /api/v3/projects/{project_id}/jobs/{job_id}`. What the adapter relies
 * on (`metadata.uid`, `status.phase` of the job) is checked; sub-jobs are read leniently, and a
 * field only passed along that has an unexpected type is dropped instead of failing the poll.
 * Sub-jobs nested deeper than `MAX_TASK_DEPTH` (32) levels fail `cceJobSchema` before its recursive
 * schemas run, so no answer can drive a parse, a mapping or a comparison into a stack overflow.
 */

const optionalString = z.string().optional().catch(undefined);

/** A job's `spec`: its type, target and sub-jobs (which nest). */
export interface CceJobSpecRaw {
  /** The job type (`CreateCluster`, `CreateNodePool`, ...). */
  type?: string | undefined;
  /** The UID of the cluster the job works on. */
  clusterUID?: string | undefined;
  /** The ID of the resource the job works on. */
  resourceID?: string | undefined;
  /** The name of the resource the job works on. */
  resourceName?: string | undefined;
  /** Extra vendor parameters of the job, passed along untouched. */
  extendParam?: Record<string, unknown> | undefined;
  /** The ID of the parent job, for a sub-job. */
  ownerJob?: string | undefined;
  /** The job's sub-jobs, which may nest. */
  subJobs?: CceSubJobRaw[] | undefined;
  [field: string]: unknown;
}

/** A sub-job: a Job whose fields may all be missing. */
export interface CceSubJobRaw {
  /** The resource kind (`Job`). */
  kind?: string | undefined;
  /** The API version of the resource (`v3`). */
  apiVersion?: string | undefined;
  /** The sub-job's identity and timestamps. */
  metadata?: {
    /** The sub-job's id. */
    uid?: string | undefined;
    /** When the sub-job was created, as the vendor's timestamp string. */
    creationTimestamp?: string | undefined;
    /** When the sub-job last changed, as the vendor's timestamp string. */
    updateTimestamp?: string | undefined;
    [field: string]: unknown;
  } | undefined;
  /** The sub-job's type, target and own sub-jobs. */
  spec?: CceJobSpecRaw | undefined;
  /** The sub-job's state. */
  status?: {
    /** The vendor's phase (`Initializing`, `Running`, `Success`, `Failed`, ...). */
    phase?: string | undefined;
    /** Why the sub-job is in this phase, where the vendor says. */
    reason?: string | undefined;
    /** The vendor's status message, if any. */
    message?: string | undefined;
    [field: string]: unknown;
  } | undefined;
  [field: string]: unknown;
}

/** `spec`. Recursive through `subJobs`, hence the declared type; `cceJobSchema` bounds its depth first. */
export const cceJobSpecSchema: z.ZodType<CceJobSpecRaw> = z.looseObject({
  type: optionalString,
  clusterUID: optionalString,
  resourceID: optionalString,
  resourceName: optionalString,
  extendParam: z.record(z.string(), z.unknown()).optional().catch(undefined),
  ownerJob: optionalString,
  // Each sub-job on its own: one that is not even an object is dropped, its siblings are kept.
  subJobs: z
    .lazy(() => z.array(z.unknown()).transform((items) => items.flatMap((item) => subJob(item))))
    .optional()
    .catch(undefined),
});

/** A sub-job. Recursive through `spec.subJobs`; `cceJobSchema` bounds its depth first. */
export const cceSubJobSchema: z.ZodType<CceSubJobRaw> = z.looseObject({
  kind: optionalString,
  apiVersion: optionalString,
  metadata: z
    .looseObject({ uid: optionalString, creationTimestamp: optionalString, updateTimestamp: optionalString })
    .optional()
    .catch(undefined),
  spec: z
    .lazy(() => cceJobSpecSchema)
    .optional()
    .catch(undefined),
  status: z.looseObject({ phase: optionalString, reason: optionalString, message: optionalString }).optional().catch(undefined),
});

function subJob(item: unknown): CceSubJobRaw[] {
  const parsed = cceSubJobSchema.safeParse(item);
  return parsed.success ? [parsed.data] : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A raw job's or sub-job's `spec.subJobs`: what the schemas recurse into. */
function subJobsOf(node: unknown): unknown {
  return isRecord(node) && isRecord(node['spec']) ? node['spec']['subJobs'] : undefined;
}

/** The job answered by `GET …/jobs/{job_id}`. Sub-jobs nested deeper than `MAX_TASK_DEPTH` levels fail it. */
export const cceJobSchema = z.preprocess(
  (value, ctx) => {
    if (nestsDeeperThan(value, subJobsOf, MAX_TASK_DEPTH)) ctx.addIssue({ code: 'custom', path: ['spec', 'subJobs'], message: `sub-jobs nest more than ${MAX_TASK_DEPTH} levels deep` });
    return value;
  },
  z.looseObject({
    kind: optionalString,
    apiVersion: optionalString,
    metadata: z.looseObject({ uid: z.string().min(1), creationTimestamp: optionalString, updateTimestamp: optionalString }),
    spec: cceJobSpecSchema.optional().catch(undefined),
    status: z.looseObject({ phase: z.string(), reason: optionalString, message: optionalString }),
  }),
);

/** A validated CCE job: `job.raw` of a CCE job. */
export type CceJobRaw = z.infer<typeof cceJobSchema>;
