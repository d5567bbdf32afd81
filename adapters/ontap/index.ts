/**
 * NetApp ONTAP cluster jobs: `createOntapClient`, the schemas and raw types.
 *
 * @packageDocumentation
 */
export { createOntapClient, type OntapClient } from './client.js';
export type { OntapAuth, OntapClientOptions, OntapJobQuery, OntapRequestOptions } from './client.js';
export type { QueryValue } from '../../src/transport/path.js';
export type { OntapJob } from './map.js';
export {
  ontapErrorResponseSchema,
  ontapJobCollectionSchema,
  ontapJobLinkResponseSchema,
  ontapJobSchema,
  ontapJobsLinkResponseSchema,
  type OntapJobCollectionRaw,
  type OntapJobRaw,
} from './schemas.js';
