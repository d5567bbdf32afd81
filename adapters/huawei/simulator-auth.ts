import { randomUUID } from 'node:crypto';
import { HttpResponse } from 'msw';
import { SDK_SIGNING_ALGORITHM, signRequest } from './signer.js';

/** What a simulated Huawei gateway accepts: a token, or requests signed with this key pair. */
export type HuaweiGatewayAuth =
  | {
      /** The IAM token the gateway accepts as `X-Auth-Token`. */
      token: string;
    }
  | {
      /** The access key id (AK) signed requests must use. */
      accessKey: string;
      /** The secret access key (SK) the gateway checks signatures with. */
      secretKey: string;
      /** The security token signed requests must carry, for temporary credentials. */
      securityToken?: string;
    };

/** How far `X-Sdk-Date` may be from the gateway's clock, as on Huawei's gateway. */
export const SDK_DATE_TOLERANCE_MS = 15 * 60_000;

/** `YYYYMMDDTHHMMSSZ` and nothing else, as the gateway demands. */
const SDK_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const AUTHORIZATION = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/i;

/** A Huawei error answer, with an `X-Request-Id`. */
export function huaweiError(status: number, code: string, message: string): Response {
  return HttpResponse.json({ error_code: code, error_msg: message }, { status, headers: { 'x-request-id': randomUUID().replace(/-/g, '') } });
}

/**
 * Checks a request as Huawei's API gateway does: the token, or the AK/SK signature recomputed from
 * the request as received (SignedHeaders, path, query, body, X-Sdk-Date within 15 minutes).
 * Returns the 401 to answer, or `undefined` when the request may pass.
 */
export async function checkHuaweiAuth(request: Request, auth: HuaweiGatewayAuth | undefined, now: number = Date.now()): Promise<Response | undefined> {
  if (!auth) return undefined;
  if ('token' in auth) {
    return request.headers.get('x-auth-token') === auth.token ? undefined : huaweiError(401, 'APIGW.0301', 'Incorrect IAM authentication information: token verify failed');
  }
  const match = AUTHORIZATION.exec(request.headers.get('authorization') ?? '');
  if (!match) return huaweiError(401, 'APIGW.0301', `Incorrect IAM authentication information: no ${SDK_SIGNING_ALGORITHM} authorization`);
  const [, accessKey, signedHeaders, signature] = match as unknown as [string, string, string, string];
  if (accessKey !== auth.accessKey) return huaweiError(401, 'APIGW.0301', 'Incorrect IAM authentication information: unknown access key');
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) {
    const value = name === 'host' ? (request.headers.get('host') ?? url.host) : request.headers.get(name);
    if (value === null) return huaweiError(401, 'APIGW.0301', `Incorrect IAM authentication information: signed header ${name} is missing`);
    headers[name] = value;
  }
  const sdkDate = SDK_DATE.exec(headers['x-sdk-date'] ?? '');
  const at = sdkDate ? Date.parse(`${sdkDate[1]}-${sdkDate[2]}-${sdkDate[3]}T${sdkDate[4]}:${sdkDate[5]}:${sdkDate[6]}Z`) : Number.NaN;
  if (Number.isNaN(at) || Math.abs(now - at) > SDK_DATE_TOLERANCE_MS) {
    return huaweiError(401, 'APIGW.0301', 'Incorrect IAM authentication information: X-Sdk-Date is missing or outside 15 minutes');
  }
  if (auth.securityToken !== undefined && request.headers.get('x-security-token') !== auth.securityToken) {
    return huaweiError(401, 'APIGW.0301', 'Incorrect IAM authentication information: security token mismatch');
  }
  const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text();
  const expected = signRequest({ method: request.method, path: url.pathname, query: url.search.slice(1), headers, body }, accessKey, auth.secretKey);
  if (expected.signedHeaders !== signedHeaders.toLowerCase() || expected.signature !== signature.toLowerCase()) {
    return huaweiError(401, 'APIGW.0301', 'Incorrect IAM authentication information: verify aksk signature fail');
  }
  return undefined;
}
