import { ApiError } from '../../src/errors/api-error.js';
import { JobNotFoundError } from '../../src/errors/job-not-found-error.js';
import { resolveClientOptions, type ClientOptions, type TlsOptions } from '../../src/transport/client-options.js';
import { HttpClient } from '../../src/transport/http-client.js';
import { assertPathId, encodePathSegment, parseBaseUrl } from '../../src/transport/path.js';
import { createHuaweiAuthorizer, type HuaweiAuth, type HuaweiAuthorizer } from './auth.js';
import { HUAWEI_AUTH_ERROR_CODES, parseHuaweiError } from './errors.js';

/** Options of the Huawei Cloud clients (`createCasClient`, `createCceClient`). */
export interface HuaweiClientOptions extends ClientOptions {
  /** The regional endpoint, such as `https://cce.cn-north-4.myhuaweicloud.com`. */
  endpoint: string | URL;
  /** The project id the jobs belong to. */
  projectId: string;
  /** `{ token }` (sent as `X-Auth-Token`) or `{ accessKey, secretKey, securityToken? }` (SDK-HMAC-SHA256 signing). */
  auth: HuaweiAuth;
  /** TLS settings of the client's own Agent. Verification is on by default. */
  tls?: TlsOptions;
  /**
   * The clock that dates AK/SK signatures (`X-Sdk-Date`). For tests.
   * @default () => new Date()
   */
  clock?: () => Date;
}

/** Huawei project and job ids: letters, digits, `-`, `_`, `.`, `:`; nothing that can leave a path segment. */
export const HUAWEI_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const HUAWEI_ID_HINT = 'must be letters, digits, ".", "_", ":" or "-" (at most 128)';

/** @internal */
export interface HuaweiTransport {
  http: HttpClient;
  /** The endpoint's origin and base path. */
  endpoint: string;
  basePath: string;
  projectId: string;
  authorizer: HuaweiAuthorizer;
}

/** Validates the options and builds the transport both Huawei clients share. @internal */
export function createHuaweiTransport(options: HuaweiClientOptions, isNotFoundCode: (code: string) => boolean): HuaweiTransport & { notFound: (error: unknown, jobId: string, vendor: string) => unknown } {
  const { origin, basePath, host } = parseBaseUrl(options.endpoint, 'endpoint');
  assertPathId(options.projectId, 'projectId', HUAWEI_ID, HUAWEI_ID_HINT);
  const clock = options.clock ?? (() => new Date());
  const authorizer = createHuaweiAuthorizer(options.auth, options.projectId, clock);
  const http = new HttpClient({
    origin,
    host,
    options: resolveClientOptions(options),
    tls: options.tls,
    authorize: authorizer.authorize,
    secrets: authorizer.secrets,
    parseErrorBody: parseHuaweiError,
    isAuthError: (details) => details.vendorCode !== undefined && HUAWEI_AUTH_ERROR_CODES.has(details.vendorCode),
  });
  return {
    http,
    endpoint: origin + basePath,
    basePath,
    projectId: options.projectId,
    authorizer,
    notFound: (error, jobId, vendor) => {
      if (!(error instanceof ApiError) || error.name === 'AuthenticationError') return error;
      const code = error.vendorCode;
      // A 404 from the gateway itself (APIGW.0101: no such API) means a wrong endpoint, not a missing job.
      const gateway = code?.startsWith('APIGW.') ?? false;
      if ((error.status === 404 && !gateway) || (code !== undefined && isNotFoundCode(code))) {
        return new JobNotFoundError({ vendor, jobId, cause: error });
      }
      return error;
    },
  };
}

/** Checks a job id and encodes it as one path segment. @internal */
export function huaweiJobSegment(jobId: string): string {
  assertPathId(jobId, 'jobId', HUAWEI_ID, HUAWEI_ID_HINT);
  return encodePathSegment(jobId);
}

/** Checks an optional id that goes into a query. @internal */
export function assertHuaweiId(value: unknown, argument: string): asserts value is string {
  assertPathId(value, argument, HUAWEI_ID, HUAWEI_ID_HINT);
}
