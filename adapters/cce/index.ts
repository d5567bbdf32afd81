/**
 * Huawei Cloud CCE jobs: `createCceClient`, the schemas and raw types.
 *
 * @packageDocumentation
 */
export { CceClient, createCceClient, type CceClientOptions } from './client.js';
export { toCceJob, type CceJob } from './map.js';
export { CCE_PHASES, mapCcePhase } from './state.js';
export { cceJobSchema, cceJobSpecSchema, cceSubJobSchema, type CceJobRaw, type CceJobSpecRaw, type CceSubJobRaw } from './schemas.js';
export { parseHuaweiTime } from '../huawei/time.js';
export type { HuaweiAccessKeyAuth, HuaweiAuth, HuaweiTokenAuth } from '../huawei/auth.js';
export type { HuaweiClientOptions } from '../huawei/client-options.js';
export { signRequest, formatSdkDate, canonicalQuery, canonicalUri, type SignableRequest, type SigningResult } from '../huawei/signer.js';
