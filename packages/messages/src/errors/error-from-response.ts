/**
 * Turns an HTTP error answer into the right error class: the gateway's `{error:{code,message,type}}`,
 * Anthropic's `{type:"error",error:{type,message}}`, and bodies that are not JSON at all.
 * @module
 */

import { parseRetryAfter } from '../client/retry-after.js';
import {
  APIError,
  AuthenticationError,
  InsufficientCreditsError,
  InternalServerError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SpendLimitError,
  UpstreamError,
} from './errors.js';
import { redactSecret } from './redact-secret.js';

/** The parts of a failed response an error is built from. */
export interface ErrorResponse {
  status: number;
  headers: Headers;
  body: string;
  /** The key to scrub from anything the server echoed. */
  apiKey?: string | undefined;
  /** The base URL the request went to: a 404 from one without `/v1` says how to fix it. */
  baseURL?: string | undefined;
}

interface ParsedBody {
  code?: string | undefined;
  type?: string | undefined;
  message?: string | undefined;
}

const defaultCodes: Record<number, { code: string; type: string }> = {
  400: { code: 'invalid_request', type: 'invalid_request_error' },
  401: { code: 'invalid_api_key', type: 'authentication_error' },
  402: { code: 'insufficient_credits', type: 'billing_error' },
  403: { code: 'ip_not_allowed', type: 'permission_error' },
  404: { code: 'not_found', type: 'invalid_request_error' },
  429: { code: 'rate_limit_exceeded', type: 'rate_limit_error' },
  500: { code: 'internal_error', type: 'api_error' },
  503: { code: 'upstream_error', type: 'upstream_error' },
};

function parseBody(body: string): ParsedBody {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json !== 'object' || json === null) return {};
    const error = (json as { error?: unknown }).error;
    if (typeof error === 'object' && error !== null) {
      const { code, type, message } = error as Record<string, unknown>;
      return {
        code: typeof code === 'string' ? code : undefined,
        type: typeof type === 'string' ? type : undefined,
        message: typeof message === 'string' ? message : undefined,
      };
    }
    if (typeof error === 'string') return { message: error };
    const message = (json as { message?: unknown }).message;
    return { message: typeof message === 'string' ? message : undefined };
  } catch {
    return {};
  }
}

function readableText(body: string): string {
  const text = body
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Anthropic names errors by type only; map its types to the gateway's codes. */
const codeForType: Record<string, string> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'invalid_api_key',
  permission_error: 'ip_not_allowed',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limit_exceeded',
  api_error: 'internal_error',
  overloaded_error: 'overloaded',
  billing_error: 'insufficient_credits',
};

/** The fix to suggest for a 404 from a base URL whose path does not end in `/v1`; '' otherwise. */
function missingVersionHint(baseURL: string | undefined): string {
  if (baseURL === undefined) return '';
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return '';
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/v1')) return '';
  return ` (the base URL "${baseURL}" does not end in /v1, so the request went to ${path}/messages; the gateway serves {baseURL}/messages with a baseURL ending in /v1: set \`baseURL: "${url.origin}${path}/v1"\`)`;
}

/** The requestId of a response: `request-id` (Anthropic) or `x-request-id`. */
export function requestIdOf(headers: Headers): string | undefined {
  return headers.get('request-id') ?? headers.get('x-request-id') ?? undefined;
}

/** Builds the typed error for a non-2xx response. Never includes the API key in the message. */
export function errorFromResponse(response: ErrorResponse): APIError {
  const { status, headers } = response;
  const parsed = parseBody(response.body);
  const fallback = defaultCodes[status];
  const code =
    parsed.code ?? (parsed.type ? codeForType[parsed.type] : undefined) ?? fallback?.code ?? `http_${status}`;
  const type = parsed.type ?? fallback?.type ?? 'api_error';
  const detail = parsed.message ?? (readableText(response.body) || 'no response body');
  const hint = status === 404 ? missingVersionHint(response.baseURL) : '';
  const message = redactSecret(`${status} ${code}: ${detail}${hint}`, response.apiKey);
  const requestId = requestIdOf(headers);
  // Every string here came from the server: none may carry the key it echoed.
  const options = {
    status,
    code: redactSecret(code, response.apiKey),
    type: redactSecret(type, response.apiKey),
    requestId: requestId === undefined ? undefined : redactSecret(requestId, response.apiKey),
    retryAfterMs: parseRetryAfter(headers),
  };
  switch (status) {
    case 400:
      return new InvalidRequestError(message, options);
    case 401:
      return new AuthenticationError(message, options);
    case 402:
      return new InsufficientCreditsError(message, { ...options, stopReason: 'budget_exceeded' });
    case 403:
      return new PermissionDeniedError(message, options);
    case 404:
      return new NotFoundError(message, options);
    case 429:
      return code === 'spend_limit_exceeded'
        ? new SpendLimitError(message, { ...options, stopReason: 'budget_exceeded' })
        : new RateLimitError(message, { ...options, retryable: true });
    case 500:
      return new InternalServerError(message, { ...options, retryable: true });
    case 503:
      return new UpstreamError(message, { ...options, retryable: true });
    default:
      return status >= 500 || status === 408 || status === 409
        ? new InternalServerError(message, { ...options, retryable: true })
        : new APIError(message, options);
  }
}
