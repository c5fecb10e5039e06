/**
 * The gateway's error answers: `{"error":{"code","message","type"}}` with the status of its error table.
 * @module
 */
import type { ServerResponse } from 'node:http';

/** The type of each code, as the gateway's error reference lists it. */
export const ERROR_TYPES: Readonly<Record<string, string>> = Object.freeze({
  invalid_request: 'invalid_request_error',
  invalid_api_key: 'authentication_error',
  insufficient_credits: 'billing_error',
  ip_not_allowed: 'permission_error',
  model_not_found: 'invalid_request_error',
  task_not_found: 'invalid_request_error',
  not_found: 'invalid_request_error',
  rate_limit_exceeded: 'rate_limit_error',
  spend_limit_exceeded: 'billing_error',
  internal_error: 'api_error',
  upstream_error: 'upstream_error',
  request_too_large: 'invalid_request_error',
  thread_not_found: 'invalid_request_error',
  thread_unsupported_request: 'invalid_request_error',
});

/** The default code of each status. */
export const STATUS_CODES: Readonly<Record<number, string>> = Object.freeze({
  400: 'invalid_request',
  401: 'invalid_api_key',
  402: 'insufficient_credits',
  403: 'ip_not_allowed',
  404: 'not_found',
  413: 'request_too_large',
  429: 'rate_limit_exceeded',
  500: 'internal_error',
  503: 'upstream_error',
});

/** Writes an error answer. */
export function sendGatewayError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) {
    response.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message, type: ERROR_TYPES[code] ?? 'api_error' } });
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}
