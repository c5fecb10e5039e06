/**
 * `sendRequest`: one HTTP exchange on the wire — the gateway's headers (version, auth), the fetch on the
 * attempt's signal, a log line, and an error answer turned into its typed error. `normaliseFailure` is where
 * every failure of an attempt passes: the key is scrubbed from it and its `cause` chain.
 * @module
 */
import type { Logger } from 'pino';
import { errorFromResponse, requestIdOf } from '../errors/error-from-response.js';
import { ConnectionError, isLoopguardError } from '../errors/errors.js';
import { redactError } from '../errors/redact-error.js';
import { redactSecret } from '../errors/redact-secret.js';
import type { Attempt } from './attempt.js';
import { NOT_SENT_CAUSES } from './attempt-outcome.js';
import type { RequestOptions, ResolvedClientOptions } from './client-options.js';
import { readBodyText } from './read-body-text.js';

/** The Anthropic API version the client speaks. */
const ANTHROPIC_VERSION = '2023-06-01';

/** @internal What a client sends with: its resolved options, its (guarded) fetch and its logger. */
export interface Transport {
  resolved: ResolvedClientOptions;
  fetch: typeof globalThis.fetch;
  logger: Logger;
}

/** @internal One request on the wire. */
export interface WireRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string | undefined;
  accept?: string;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** True when the error proves no connection was made (refused, host not found), so the request was not sent. */
function neverConnected(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' && NOT_SENT_CAUSES.has(code);
}

function describeCause(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${error.message} (${cause.code})` : error.message;
}

/** @internal The typed, key-scrubbed error of a failed attempt (a time limit's or abort's reason wins). */
export function normaliseFailure(error: unknown, signal: AbortSignal, apiKey: string): unknown {
  if (signal.aborted && isLoopguardError(signal.reason)) return redactError(signal.reason, apiKey);
  if (isLoopguardError(error)) return redactError(error, apiKey);
  const message = redactSecret(error instanceof Error ? describeCause(error) : String(error), apiKey);
  const connection = new ConnectionError(`Connection failed: ${message}`, {
    code: 'connection_error',
    retryable: true,
    cause: error,
  });
  return redactError(connection, apiKey);
}

/** The headers of a request: the gateway's version and auth, the client's and the call's own. */
function wireHeaders(
  resolved: ResolvedClientOptions,
  options: RequestOptions,
  request: WireRequest,
): Record<string, string> {
  const headers: Record<string, string> = {
    accept: request.accept ?? 'application/json',
    'anthropic-version': ANTHROPIC_VERSION,
    ...resolved.headers,
    ...(options.headers ?? {}),
  };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (resolved.authHeader === 'bearer') headers.authorization = `Bearer ${resolved.apiKey}`;
  else headers['x-api-key'] = resolved.apiKey;
  return headers;
}

/** @internal Sends the request on the attempt; resolves with a 2xx response, throws the typed error otherwise. */
export async function sendRequest(
  transport: Transport,
  request: WireRequest,
  options: RequestOptions,
  attempt: Attempt,
): Promise<Response> {
  const { resolved, logger } = transport;
  const url = `${resolved.baseURL}${request.path}`;
  const method = request.method;
  const started = performance.now();
  let response: Response;
  try {
    if (attempt.signal.aborted) throw attempt.signal.reason;
    attempt.requestSent = true;
    const headers = wireHeaders(resolved, options, request);
    response = await transport.fetch(url, { method, headers, body: request.body ?? null, signal: attempt.signal });
  } catch (error) {
    if (neverConnected(error)) attempt.requestSent = false;
    const normalised = normaliseFailure(error, attempt.signal, resolved.apiKey);
    const message = (normalised as Error).message;
    logger.info(
      { method, url, attempt: attempt.number, durationMs: elapsed(started), error: message },
      'request failed',
    );
    throw normalised;
  }
  attempt.status = response.status;
  attempt.headersReceived();
  const requestId = requestIdOf(response.headers);
  const status = response.status;
  logger.info({ method, url, status, attempt: attempt.number, durationMs: elapsed(started), requestId }, 'request');
  if (response.ok) return response;
  // A stream's idle limit runs from the headers on: an error body still coming is not idle.
  const text = await readBodyText(response, 1024 * 1024, { truncate: true, onChunk: attempt.touch });
  throw errorFromResponse({
    status,
    headers: response.headers,
    body: text,
    apiKey: resolved.apiKey,
    baseURL: resolved.baseURL,
  });
}
