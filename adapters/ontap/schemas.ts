import { z } from 'zod';

/**
 * zod schemas of the ONTAP cluster jobs API. Unknown fields pass; what the adapter relies on
 * (`uuid`, `state`) is checked; a field it only passes along that has an unexpected type is
 * dropped instead of failing the poll.
 */

const optionalString = z.string().optional().catch(undefined);
const optionalCode = z
  .union([z.string(), z.number()])
  .transform((value) => String(value))
  .optional()
  .catch(undefined);

/** `{ href }` of ONTAP's `_links`. */
export const ontapHrefSchema = z.looseObject({ href: z.string() });

/** An ONTAP error object: in a failed job's `error` and in every error answer. */
export const ontapErrorSchema = z.looseObject({
  code: optionalCode,
  message: optionalString,
  target: optionalString,
  arguments: z
    .union([z.array(z.looseObject({ code: optionalCode, message: optionalString })), z.looseObject({ code: optionalCode, message: optionalString })])
    .optional()
    .catch(undefined),
});

/** One job record: `GET /api/cluster/jobs/{uuid}` and each of the collection's `records`. */
export const ontapJobSchema = z.looseObject({
  uuid: z.string().min(1),
  state: z.string(),
  description: optionalString,
  message: optionalString,
  code: z.number().optional().catch(undefined),
  start_time: optionalString,
  end_time: optionalString,
  error: ontapErrorSchema.optional().catch(undefined),
  node: z.looseObject({ name: optionalString, uuid: optionalString }).optional().catch(undefined),
  svm: z.looseObject({ name: optionalString, uuid: optionalString }).optional().catch(undefined),
  _links: z.looseObject({ self: ontapHrefSchema.optional().catch(undefined) }).optional().catch(undefined),
});

/** `GET /api/cluster/jobs`: one page. */
export const ontapJobCollectionSchema = z.looseObject({
  records: z.array(ontapJobSchema).default([]),
  num_records: z.number().optional().catch(undefined),
  _links: z
    .looseObject({ next: ontapHrefSchema.optional().catch(undefined), self: ontapHrefSchema.optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

/** The body of a 202 answer of an asynchronous ONTAP operation. */
export const ontapJobLinkResponseSchema = z.looseObject({
  job: z.looseObject({ uuid: z.string().min(1), _links: z.looseObject({ self: ontapHrefSchema.optional() }).optional() }),
});

/** The body of a query-based PATCH/DELETE answer: `{ jobs: [...], num_records }`. */
export const ontapJobsLinkResponseSchema = z.looseObject({
  jobs: z.array(z.looseObject({ uuid: z.string().min(1) })),
});

/** An ONTAP error answer. */
export const ontapErrorResponseSchema = z.looseObject({ error: ontapErrorSchema });

/** A validated ONTAP job record: `job.raw` of an ONTAP job. */
export type OntapJobRaw = z.infer<typeof ontapJobSchema>;
/** A validated page of `GET /api/cluster/jobs`. */
export type OntapJobCollectionRaw = z.infer<typeof ontapJobCollectionSchema>;
/** A validated ONTAP error object. */
export type OntapErrorRaw = z.infer<typeof ontapErrorSchema>;
