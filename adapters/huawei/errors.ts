import type { IncomingHttpHeaders } from 'node:http';
import type { VendorErrorDetails } from '../../src/errors/api-error.js';

const CODE_KEYS = ['error_code', 'errorCode', 'code'] as const;
const MESSAGE_KEYS = ['error_msg', 'errorMessage', 'error_message', 'message', 'msg'] as const;

/**
 * Reads a Huawei error body in any of its forms: `{ error_code, error_msg }`, `{ code, message }`,
 * `{ errorCode, errorMessage }`, and the same nested under `error`; `request_id` in the body or the
 * `X-Request-Id` header.
 */
export function parseHuaweiError(body: unknown, headers: IncomingHttpHeaders): VendorErrorDetails {
  const details: VendorErrorDetails = {};
  const requestHeader = headers['x-request-id'];
  const fromHeader = Array.isArray(requestHeader) ? requestHeader[0] : requestHeader;
  for (const layer of layers(body)) {
    details.vendorCode ??= pick(layer, CODE_KEYS);
    details.vendorMessage ??= pick(layer, MESSAGE_KEYS);
    details.requestId ??= pick(layer, ['request_id', 'requestId'] as const);
  }
  details.requestId ??= fromHeader;
  return details;
}

function layers(body: unknown): Record<string, unknown>[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const top = body as Record<string, unknown>;
  const nested = top['error'];
  return typeof nested === 'object' && nested !== null && !Array.isArray(nested) ? [nested as Record<string, unknown>, top] : [top];
}

function pick(layer: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = layer[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

/** Gateway codes of refused credentials, whatever status they come with. */
export const HUAWEI_AUTH_ERROR_CODES: ReadonlySet<string> = new Set([
  'APIGW.0301', // incorrect IAM authentication information
  'APIGW.0302', // the IAM user is not authorized to access the API
  'APIGW.0303', // incorrect app authentication information
  'APIGW.0304', // the app is not authorized to access the API
  'APIGW.0305', // incorrect authentication information
  'APIGW.0307', // the token must be updated
]);
