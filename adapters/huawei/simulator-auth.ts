import { randomUUID, timingSafeEqual } from 'node:crypto';
import { HttpResponse } from 'msw';
import { receivedBody } from '../../src/simulation/received-body.js';
import { SDK_SIGNING_ALGORITHM, signRequestOver } from './signer.js';

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
 * Checks a request as Huawei's API gateway does: the token, or the AK/SK signature recomputed over
 * the request as received: the headers its `SignedHeaders` lists (which must include `x-sdk-date`),
 * with the values received; path, query and the body received (a GET's too); `X-Sdk-Date` within
 * 15 minutes. Returns the 401 to answer, or `undefined` when the request may pass.
 */
export async function checkHuaweiAuth(request: Request, auth: HuaweiGatewayAuth | undefined, now: number = Date.now()): Promise<Response | undefined> {
  if (!auth) return undefined;
  if ('token' in auth) {
    return request.headers.get('x-auth-token') === auth.token ? undefined : refuse('token verify failed');
  }
  const match = AUTHORIZATION.exec(request.headers.get('authorization') ?? '');
  if (!match) return refuse(`no ${SDK_SIGNING_ALGORITHM} authorization`);
  const [, accessKey, signedHeaders, signature] = match as unknown as [string, string, string, string];
  if (accessKey !== auth.accessKey) return refuse('unknown access key');
  const names = signedHeaders.toLowerCase().split(';');
  if (!names.includes('x-sdk-date')) return refuse('x-sdk-date is not among the signed headers');
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  for (const name of names) {
    // A Request built by msw in a setup of your own has no Host: the URL's host is what was sent.
    const value = request.headers.get(name) ?? (name === 'host' ? url.host : null);
    if (value === null) return refuse(`signed header ${name} is missing`);
    headers[name] = value;
  }
  const sdkDate = SDK_DATE.exec(headers['x-sdk-date'] ?? '');
  const at = sdkDate ? Date.parse(`${sdkDate[1]}-${sdkDate[2]}-${sdkDate[3]}T${sdkDate[4]}:${sdkDate[5]}:${sdkDate[6]}Z`) : Number.NaN;
  if (Number.isNaN(at) || Math.abs(now - at) > SDK_DATE_TOLERANCE_MS) return refuse('X-Sdk-Date is missing or outside 15 minutes');
  if (auth.securityToken !== undefined && request.headers.get('x-security-token') !== auth.securityToken) return refuse('security token mismatch');
  const body = await receivedBody(request);
  const expected = signRequestOver({ method: request.method, path: url.pathname, query: url.search.slice(1), headers, body }, names, accessKey, auth.secretKey);
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  const wanted = Buffer.from(expected.signature, 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return refuse('verify aksk signature fail');
  return undefined;
}

function refuse(reason: string): Response {
  return huaweiError(401, 'APIGW.0301', `Incorrect IAM authentication information: ${reason}`);
}
