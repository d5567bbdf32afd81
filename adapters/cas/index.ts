/**
 * Huawei Cloud ServiceStage application jobs ("CAS"): `createCasClient`, the schemas and raw types.
 *
 * @packageDocumentation
 */
export { CasClient, createCasClient, type CasClientOptions, type CasGetJobOptions, type CasWaitOptions } from './client.js';
export { parseCasMessages, toCasJob, type CasJob, type CasTaskMessages } from './map.js';
export { CAS_EXECUTION_STATES, CAS_TASK_STATES, mapCasJobState, mapCasTaskState } from './state.js';
export { casJobResponseSchema, casJobSchema, casTaskSchema, type CasJobRaw, type CasJobRecord, type CasTaskRecord } from './schemas.js';
export type { HuaweiAccessKeyAuth, HuaweiAuth, HuaweiTokenAuth } from '../huawei/auth.js';
export type { HuaweiClientOptions } from '../huawei/client-options.js';
export { signRequest, formatSdkDate, canonicalQuery, canonicalUri, type SignableRequest, type SigningResult } from '../huawei/signer.js';
