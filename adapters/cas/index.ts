/**
 * Huawei Cloud ServiceStage application jobs ("CAS"): `createCasClient`, the schemas and raw types.
 *
 * @packageDocumentation
 */
export { createCasClient, type CasClient, type CasClientOptions, type CasGetJobOptions, type CasWaitOptions } from './client.js';
export type { CasJob, CasTaskMessages } from './map.js';
export { casJobResponseSchema, casJobSchema, casTaskSchema, type CasJobRaw, type CasJobRecord, type CasTaskRecord } from './schemas.js';
export type { HuaweiAccessKeyAuth, HuaweiAuth, HuaweiTokenAuth } from '../huawei/auth.js';
export type { HuaweiClientOptions } from '../huawei/client-options.js';
