/**
 * Options of `MessagesClient` and of each call, with their defaults declared once and validated with
 * messages that name the option.
 * @module
 */

import type { Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { ConfigurationError } from '../errors/errors.js';
import { DEFAULT_BASE_URL } from '../protocol/defaults.js';
import type { MessageCreateParams, ServerThreadHint } from '../protocol/types.js';
import type { TracingOptions } from '../tracing/chat-tracer.js';

/** Options of `new MessagesClient(options)`. */
export interface ClientOptions {
  /** The API key (`sk-…`). @default process.env.LOOPGUARD_API_KEY */
  apiKey?: string;
  /** The base URL, ending in `/v1`. @default process.env.LOOPGUARD_BASE_URL ?? 'https://api.aivideoapi.ai/v1' */
  baseURL?: string;
  /** How the key is sent: `Authorization: Bearer` (the gateway) or `x-api-key` (Anthropic's API). @default 'bearer' */
  authHeader?: 'bearer' | 'x-api-key';
  /** Retries after the first attempt for retryable failures. @default 2 */
  maxRetries?: number;
  /** Time limit of one whole attempt (headers and body), in ms; retried when it passes. @default 600_000 (10 minutes) */
  timeoutMs?: number;
  /**
   * Time-to-headers limit of one attempt, in ms: how long the server may work before its response headers
   * arrive (the official SDK's `timeout`); retried when it passes (`TimeoutError`, code `headers_timeout`).
   * A non-streaming answer sends its headers only once the whole message is made, so keep it long.
   * @default 600_000 (10 minutes)
   */
  headersTimeoutMs?: number;
  /**
   * Longest silence of a stream once its response has begun (from the headers on, between two chunks — of its
   * events, or of an error or JSON body that came instead), in ms; retried when it passes (`TimeoutError`, code
   * `idle_timeout`). It never runs before the headers. It is checked every eighth of itself, rounded up to whole
   * ms (no clock read per chunk): it passes no later than that after one limit from the last chunk, and never
   * before.
   * @default 60_000
   */
  idleTimeoutMs?: number;
  /** First backoff delay between retries, in ms; doubled each retry, with jitter, up to 8 s. @default 500 */
  retryBaseDelayMs?: number;
  /** Largest response body accepted, in bytes; past it the call fails with `InvalidResponseError`. @default 268_435_456 (256 MiB; a streamed 4 MiB tool input in 8-byte deltas is ~70 MiB of SSE) */
  maxResponseBytes?: number;
  /** A pino logger; one line per request attempt. @default a silent logger */
  logger?: Logger;
  /** Log request and response content (never headers). @default false */
  logContent?: boolean;
  /** The fetch implementation. @default `httpFetch`: `node:http` / `node:https` behind a `fetch` shape (http-fetch.ts), lighter per request than the global `fetch` */
  fetch?: typeof globalThis.fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * OpenTelemetry: a `chat {model}` span per request (GenAI semantic conventions), through
   * `@opentelemetry/api` — recorded when the application installs an OpenTelemetry SDK, a no-op otherwise.
   * `false` turns it off. @default {} (the global tracer provider, no message content)
   */
  tracing?: TracingOptions | false;
}

/** Options of one call (`create`, `stream`, `getCredits`). */
export interface RequestOptions {
  /** Aborts the call, its retries and its stream at once. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Overrides the client's `headersTimeoutMs` for this call. */
  headersTimeoutMs?: number;
  /** Overrides the client's `idleTimeoutMs` for this call. */
  idleTimeoutMs?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
  /** The agent run this request belongs to; middleware (the budget guard's per-run limit) reads it. */
  runId?: string;
  /**
   * For a `thread: continue` request, which carries only the new turn: the whole prompt the gateway will
   * read (every message so far, `system`, `tools`). The context-window check and the budget guard
   * estimate from it instead of from `params`, so a thread never makes a request look cheaper than it is.
   */
  threadContext?: Pick<MessageCreateParams, 'messages' | 'system' | 'tools'>;
  /**
   * Sends the request on a server-side thread, shaped on the wire after middleware ran (see
   * `ServerThreadHint`): give the whole params, and middleware, budgets, estimates and traces all see the
   * whole conversation; only the bytes sent are cut. The simpler way to use threads than a hand-made
   * `params.thread` with `threadContext`. @default none (no thread)
   */
  serverThread?: ServerThreadHint;
  /**
   * The OpenTelemetry context the request's `chat` span is a child of (`runAgent` passes its `invoke_agent`
   * span's, so the tree holds without a context manager). @default the active context
   */
  traceContext?: Context;
}

/** Client options with every default applied. */
export interface ResolvedClientOptions {
  apiKey: string;
  baseURL: string;
  authHeader: 'bearer' | 'x-api-key';
  maxRetries: number;
  timeoutMs: number;
  headersTimeoutMs: number;
  idleTimeoutMs: number;
  retryBaseDelayMs: number;
  maxResponseBytes: number;
  logContent: boolean;
  headers: Record<string, string>;
}

function checkCount(name: string, value: number | undefined, fallback: number, minimum: number): number {
  const result = value ?? fallback;
  if (typeof result !== 'number' || !Number.isFinite(result) || result < minimum) {
    throw new ConfigurationError(`\`${name}\` must be a finite number >= ${minimum}; got ${String(value)}.`, {
      code: 'invalid_option',
    });
  }
  return result;
}

/** Checks an API key without ever echoing it. Throws `ConfigurationError` naming `apiKey`. */
export function checkApiKey(apiKey: unknown): string {
  if (typeof apiKey !== 'string' || apiKey.length === 0) {
    throw new ConfigurationError(
      '`apiKey` is missing: pass `new MessagesClient({ apiKey })` or set LOOPGUARD_API_KEY.',
      { code: 'missing_api_key' },
    );
  }
  if (!apiKey.startsWith('sk-') || /\s/.test(apiKey)) {
    throw new ConfigurationError(
      `\`apiKey\` must start with "sk-" and contain no whitespace (the given key has ${apiKey.length} characters; it is not shown).`,
      { code: 'invalid_api_key_format' },
    );
  }
  return apiKey;
}

/** Applies defaults and validates every option; throws `ConfigurationError` naming the option. */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const apiKey = checkApiKey(options.apiKey ?? process.env.LOOPGUARD_API_KEY);
  const baseURL = options.baseURL ?? process.env.LOOPGUARD_BASE_URL ?? DEFAULT_BASE_URL;
  let parsed: URL;
  try {
    parsed = new URL(baseURL);
  } catch {
    throw new ConfigurationError(`\`baseURL\` is not a URL: "${baseURL}". Expected e.g. "${DEFAULT_BASE_URL}".`, {
      code: 'invalid_option',
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigurationError(`\`baseURL\` must be http(s); got "${parsed.protocol}".`, { code: 'invalid_option' });
  }
  const authHeader = options.authHeader ?? 'bearer';
  if (authHeader !== 'bearer' && authHeader !== 'x-api-key') {
    throw new ConfigurationError('`authHeader` must be "bearer" or "x-api-key".', { code: 'invalid_option' });
  }
  return {
    apiKey,
    baseURL: baseURL.replace(/\/+$/, ''),
    authHeader,
    maxRetries: checkCount('maxRetries', options.maxRetries, 2, 0),
    timeoutMs: checkCount('timeoutMs', options.timeoutMs, 600_000, 1),
    headersTimeoutMs: checkCount('headersTimeoutMs', options.headersTimeoutMs, 600_000, 1),
    idleTimeoutMs: checkCount('idleTimeoutMs', options.idleTimeoutMs, 60_000, 1),
    retryBaseDelayMs: checkCount('retryBaseDelayMs', options.retryBaseDelayMs, 500, 0),
    maxResponseBytes: checkCount('maxResponseBytes', options.maxResponseBytes, 256 * 1024 * 1024, 1),
    logContent: options.logContent ?? false,
    headers: { ...(options.headers ?? {}) },
  };
}

/** Validates the numeric fields of per-call options; throws `ConfigurationError` naming the option. */
export function checkRequestOptions(options: RequestOptions): void {
  if (options.timeoutMs !== undefined) checkCount('options.timeoutMs', options.timeoutMs, 0, 1);
  if (options.headersTimeoutMs !== undefined) checkCount('options.headersTimeoutMs', options.headersTimeoutMs, 0, 1);
  if (options.idleTimeoutMs !== undefined) checkCount('options.idleTimeoutMs', options.idleTimeoutMs, 0, 1);
  if (options.maxRetries !== undefined) checkCount('options.maxRetries', options.maxRetries, 0, 0);
  if (options.serverThread !== undefined) checkServerThread(options.serverThread);
  if (options.threadContext !== undefined && !Array.isArray(options.threadContext?.messages)) {
    throw new ConfigurationError('`options.threadContext.messages` must be an array of { role, content }.', {
      code: 'invalid_params',
    });
  }
}

/** Throws `ConfigurationError` naming the field of a malformed `options.serverThread`. */
function checkServerThread(hint: ServerThreadHint): void {
  const fail = (what: string): never => {
    throw new ConfigurationError(`\`options.serverThread\` ${what}.`, { code: 'invalid_option' });
  };
  if (typeof hint !== 'object' || hint === null) fail("must be { type: 'create' } or { type: 'continue', … }");
  if (hint.type === 'create') return;
  if (hint.type !== 'continue') fail(`has an unknown type "${String((hint as { type?: unknown }).type)}"`);
  const { previousMessageId, held } = hint as Extract<ServerThreadHint, { type: 'continue' }>;
  if (typeof previousMessageId !== 'string' || previousMessageId.length === 0)
    fail('.previousMessageId must be the id of the reply the thread continues from');
  if (!Number.isInteger(held) || held < 0) fail(`.held must be a whole number >= 0; got ${String(held)}`);
}
