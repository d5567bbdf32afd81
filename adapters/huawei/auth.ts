import { InvalidArgumentError } from '../../src/errors/invalid-argument-error.js';
import type { RequestToSign } from '../../src/transport/http-client.js';
import { formatSdkDate, signRequest } from './signer.js';

/** An IAM token, sent as `X-Auth-Token`. */
export interface HuaweiTokenAuth {
  /** The IAM token; never logged or shown. */
  token: string;
}

/** An access key pair; requests are signed with SDK-HMAC-SHA256. `securityToken` for temporary credentials. */
export interface HuaweiAccessKeyAuth {
  /** The access key id (AK). */
  accessKey: string;
  /** The secret access key (SK); never logged or shown. */
  secretKey: string;
  /** The security token of temporary credentials, sent as `X-Security-Token`. */
  securityToken?: string;
}

/** Huawei Cloud credentials: a token, or an access key pair. */
export type HuaweiAuth = HuaweiTokenAuth | HuaweiAccessKeyAuth;

/** @internal */
export interface HuaweiAuthorizer {
  authorize(request: RequestToSign): Record<string, string>;
  /** Values to cut out of any error text. */
  secrets: string[];
  /** Who is calling, without a secret: for `util.inspect`. */
  describe: { auth: 'token' } | { auth: 'aksk'; accessKey: string };
}

const HEADER_SAFE = /^[\x21-\x7e]+$/;

/**
 * Validates the credentials and returns the function that adds them to each request. AK/SK
 * requests are signed per attempt with the clock's date, so a retried request is signed again.
 * @internal
 */
export function createHuaweiAuthorizer(auth: unknown, projectId: string, clock: () => Date): HuaweiAuthorizer {
  if (typeof auth !== 'object' || auth === null) throw new InvalidArgumentError('auth', 'must be { token } or { accessKey, secretKey }');
  const { token, accessKey, secretKey, securityToken } = auth as Partial<HuaweiTokenAuth & HuaweiAccessKeyAuth>;
  if (token !== undefined) {
    if (accessKey !== undefined || secretKey !== undefined) throw new InvalidArgumentError('auth', 'takes a token or an access key pair, not both');
    if (typeof token !== 'string' || !HEADER_SAFE.test(token)) throw new InvalidArgumentError('auth.token', 'must be a non-empty string of visible ASCII');
    return { authorize: () => ({ 'x-auth-token': token }), secrets: [token], describe: { auth: 'token' } };
  }
  if (typeof accessKey !== 'string' || !HEADER_SAFE.test(accessKey)) throw new InvalidArgumentError('auth.accessKey', 'must be a non-empty string of visible ASCII');
  if (typeof secretKey !== 'string' || secretKey.length === 0) throw new InvalidArgumentError('auth.secretKey', 'must be a non-empty string');
  if (securityToken !== undefined && (typeof securityToken !== 'string' || !HEADER_SAFE.test(securityToken))) {
    throw new InvalidArgumentError('auth.securityToken', 'must be a non-empty string of visible ASCII');
  }
  return {
    authorize: (request) => {
      const query = request.path.indexOf('?');
      const added: Record<string, string> = {
        host: request.host,
        'x-sdk-date': formatSdkDate(clock()),
        'x-project-id': projectId,
      };
      if (securityToken !== undefined) added['x-security-token'] = securityToken;
      const signed = signRequest(
        {
          method: request.method,
          path: query === -1 ? request.path : request.path.slice(0, query),
          query: query === -1 ? '' : request.path.slice(query + 1),
          headers: { ...request.headers, ...added },
          body: request.body,
        },
        accessKey,
        secretKey,
      );
      return { ...added, authorization: signed.authorization };
    },
    secrets: securityToken === undefined ? [secretKey] : [secretKey, securityToken],
    describe: { auth: 'aksk', accessKey },
  };
}
