/**
 * NetApp ONTAP cluster jobs: `createOntapClient`, the schemas and raw types.
 *
 * @packageDocumentation
 */
export { createOntapClient, ontapJobIdFrom, OntapClient, ONTAP_MAX_DELAY_MS } from './client.js';
export type { OntapAuth, OntapClientOptions, OntapJobQuery, OntapRequestOptions } from './client.js';
export type { QueryValue } from '../../src/transport/path.js';
export { toOntapJob, type OntapJob } from './map.js';
export { mapOntapState, ONTAP_STATES } from './state.js';
export {
  ontapErrorResponseSchema,
  ontapErrorSchema,
  ontapHrefSchema,
  ontapJobCollectionSchema,
  ontapJobLinkResponseSchema,
  ontapJobSchema,
  ontapJobsLinkResponseSchema,
  type OntapErrorRaw,
  type OntapJobCollectionRaw,
  type OntapJobRaw,
} from './schemas.js';
