import { z } from 'zod';

/**
 * zod schemas of CCE's `GET /api/v3/projects/{project_id}/jobs/{job_id}`. What the adapter relies
 * on (`metadata.uid`, `status.phase` of the job) is checked; sub-jobs are read leniently, and a
 * field only passed along that has an unexpected type is dropped instead of failing the poll.
 */

const optionalString = z.string().optional().catch(undefined);

/** A job's `spec`: its type, target and sub-jobs (which nest). */
export interface CceJobSpecRaw {
  type?: string | undefined;
  clusterUID?: string | undefined;
  resourceID?: string | undefined;
  resourceName?: string | undefined;
  extendParam?: Record<string, unknown> | undefined;
  ownerJob?: string | undefined;
  subJobs?: CceSubJobRaw[] | undefined;
  [field: string]: unknown;
}

/** A sub-job: a Job whose fields may all be missing. */
export interface CceSubJobRaw {
  kind?: string | undefined;
  apiVersion?: string | undefined;
  metadata?: { uid?: string | undefined; creationTimestamp?: string | undefined; updateTimestamp?: string | undefined; [field: string]: unknown } | undefined;
  spec?: CceJobSpecRaw | undefined;
  status?: { phase?: string | undefined; reason?: string | undefined; message?: string | undefined; [field: string]: unknown } | undefined;
  [field: string]: unknown;
}

/** `spec`. Recursive through `subJobs`, hence the declared type. */
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

/** A sub-job. */
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

/** The job answered by `GET …/jobs/{job_id}`. */
export const cceJobSchema = z.looseObject({
  kind: optionalString,
  apiVersion: optionalString,
  metadata: z.looseObject({ uid: z.string().min(1), creationTimestamp: optionalString, updateTimestamp: optionalString }),
  spec: cceJobSpecSchema.optional().catch(undefined),
  status: z.looseObject({ phase: z.string(), reason: optionalString, message: optionalString }),
});

/** A validated CCE job: `job.raw` of a CCE job. */
export type CceJobRaw = z.infer<typeof cceJobSchema>;
