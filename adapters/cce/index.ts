/**
 * Huawei Cloud CCE jobs: `createCceClient`, the schemas and raw types.
 *
 * @packageDocumentation
 */
export { createCceClient, type CceClient, type CceClientOptions } from './client.js';
export type { CceJob } from './map.js';
export { cceJobSchema, cceJobSpecSchema, cceSubJobSchema, type CceJobRaw, type CceJobSpecRaw, type CceSubJobRaw } from './schemas.js';
export type { HuaweiAccessKeyAuth, HuaweiAuth, HuaweiTokenAuth } from '../huawei/auth.js';
export type { HuaweiClientOptions } from '../huawei/client-options.js';
