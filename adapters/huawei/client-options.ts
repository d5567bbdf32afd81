import { resolveClientOptions, type ClientOptions, type TlsOptions } from '../../src/transport/client-options.js';
import { HttpClient } from '../../src/transport/http-client.js';
import { assertPathId, encodePathSegment, parseBaseUrl, pathSegment } from '../../src/transport/path.js';
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
/** What {@link HUAWEI_ID} takes, for messages. @internal */
export const HUAWEI_ID_HINT = 'must be letters, digits, ".", "_", ":" or "-" (at most 128)';

/**
 * What both Huawei clients share: the transport (signing, Huawei error bodies, gateway auth codes,
 * and what a missing job is, so a request that names its `jobId` rejects with `JobNotFoundError`),
 * the project, and who is calling.
 * @internal
 */
export interface HuaweiTransport {
  http: HttpClient;
  /** The endpoint's origin and base path. */
  endpoint: string;
  basePath: string;
  projectId: string;
  /** The project id as a path segment. */
  projectSegment: string;
  authorizer: HuaweiAuthorizer;
}

/**
 * Validates the options and builds the transport both Huawei clients share. Besides a 404 (not
 * the gateway's own), an answer with one of `notFoundCodes` says the job does not exist.
 * @internal
 */
export function createHuaweiTransport(options: HuaweiClientOptions, vendor: string, notFoundCodes: ReadonlySet<string>): HuaweiTransport {
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
    vendor,
    isNotFound: ({ vendorCode: code }, status) => {
      // A 404 from the gateway itself (APIGW.0101: no such API) means a wrong endpoint, not a missing job.
      const gateway = code?.startsWith('APIGW.') ?? false;
      return (status === 404 && !gateway) || (code !== undefined && notFoundCodes.has(code));
    },
  });
  return {
    http,
    endpoint: origin + basePath,
    basePath,
    projectId: options.projectId,
    projectSegment: encodePathSegment(options.projectId),
    authorizer,
  };
}

/** Checks a job id and encodes it as one path segment. @internal */
export function huaweiJobSegment(jobId: string): string {
  return pathSegment(jobId, 'jobId', HUAWEI_ID, HUAWEI_ID_HINT);
}

/** Checks an optional id that goes into a query. @internal */
export function assertHuaweiId(value: unknown, argument: string): asserts value is string {
  assertPathId(value, argument, HUAWEI_ID, HUAWEI_ID_HINT);
}
