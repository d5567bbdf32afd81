import { z } from 'zod';

/**
 * zod schemas of ServiceStage's `GET /v2/{project_id}/cas/jobs/{job_id}`. Huawei writes the job's
 * and tasks' keys in UPPER_CASE (v2 docs, Go SDK) or lower_case (other tools): both parse, and the
 * validated payload always has the documented UPPER_CASE keys (the envelope: `job`, `tasks`,
 * `task_count`). What the adapter relies on is checked; a field it only passes along that has an
 * unexpected type is dropped instead of failing the poll.
 */

const optionalString = z.string().optional().catch(undefined);
/** A whole number, also written as a string of digits; anything else (null, "", "abc") is absent. */
const optionalCount = z
  .preprocess((value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value), z.number().int().nonnegative().optional())
  .catch(undefined);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withKeys(transform: (key: string) => string): (value: unknown) => unknown {
  return (value) => (isRecord(value) ? Object.fromEntries(Object.entries(value).map(([key, v]) => [transform(key), v])) : value);
}

const upperKeys = withKeys((key) => key.toUpperCase());
const lowerKeys = withKeys((key) => key.toLowerCase());

/** The `job` object. */
export const casJobSchema = z.preprocess(
  upperKeys,
  z.looseObject({
    JOB_ID: z.string().min(1),
    EXECUTION_STATUS: z.string(),
    JOB_NAME: optionalString,
    JOB_TYPE: optionalString,
    JOB_DESC: optionalString,
    SERVICE_INSTANCE_ID: optionalString,
    PROJECT_ID: optionalString,
    ORDER_ID: optionalString,
    CREATED_BY: optionalString,
  }),
);

/** One of the `tasks`. */
export const casTaskSchema = z.preprocess(
  upperKeys,
  z.looseObject({
    TASK_ID: z.string().min(1),
    TASK_STATUS: z.string(),
    TASK_INDEX: optionalCount,
    TASK_NAME: optionalString,
    TASK_TYPE: optionalString,
    /** A JSON string such as `{ "Message" : "ECC00011", "Detail" : "Building failed." }`. */
    MESSAGES: optionalString,
    CREATED_AT: optionalString,
    LAST_HEALTH_CHECK: optionalString,
    OWNER_ID: optionalString,
  }),
);

/** One page of the answer. */
export const casJobResponseSchema = z.preprocess(
  lowerKeys,
  z.looseObject({
    task_count: optionalCount,
    job: casJobSchema,
    tasks: z.preprocess((value) => value ?? [], z.array(casTaskSchema)),
  }),
);

/** A validated page, and `job.raw` of a CAS job (there with every page's tasks). */
export type CasJobRaw = z.infer<typeof casJobResponseSchema>;
/** A validated `job` object. */
export type CasJobRecord = z.infer<typeof casJobSchema>;
/** A validated task. */
export type CasTaskRecord = z.infer<typeof casTaskSchema>;
