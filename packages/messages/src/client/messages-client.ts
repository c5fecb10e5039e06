/**
 * `MessagesClient`: the HTTP client for `POST {baseURL}/messages` and `GET {baseURL}/credits`, with
 * retries (p-retry), timeouts, abort, middleware and logging (pino, key redacted).
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import { type Logger, pino } from 'pino';
import { type AttemptOutcome, isSuccessStatus, NOT_SENT_CAUSES } from './attempt-outcome.js';
import { ChatTracer } from '../tracing/chat-tracer.js';
import {
  type ClientOptions,
  checkRequestOptions,
  type RequestOptions,
  type ResolvedClientOptions,
  resolveClientOptions,
} from './client-options.js';
import { readCredits } from './credits.js';
import { errorFromResponse, requestIdOf } from '../errors/error-from-response.js';
import {
  AbortedError,
  ConfigurationError,
  ConnectionError,
  ContextWindowError,
  InvalidResponseError,
  isLoopguardError,
  type LoopguardError,
  StreamError,
  TimeoutError,
} from '../errors/errors.js';
import { estimateInputTokens, MODEL_CONTEXT_WINDOWS } from '../cost/estimate-input-tokens.js';
import { guardFetch } from './guarded-fetch.js';
import { createMessageAccumulator } from '../stream/message-accumulator.js';
import { MessageStream, type MessageStreamSink } from '../stream/message-stream.js';
import { type Middleware, runWithMiddleware, type SendHooks } from './middleware.js';
import { promptOf } from '../cost/prompt-of.js';
import { readBodyText } from './read-body-text.js';
import { readEventStream } from '../stream/read-event-stream.js';
import { isEventStream, readSseMessage } from '../stream/read-sse-message.js';
import { redactError } from '../errors/redact-error.js';
import { redactSecret } from '../errors/redact-secret.js';
import { DEFAULT_MODEL, type Message, type MessageCreateParams } from '../protocol/types.js';

/** `max_tokens` sent when the params do not set it. */
export const DEFAULT_MAX_TOKENS = 4096;

/** The balance `getCredits()` reads: the number found, and the body as received. */
export interface CreditsBalance {
  credits: number;
  raw: unknown;
}

interface Attempt {
  signal: AbortSignal;
  /** Set when the request is handed to the network; cleared again when the connection surely never opened. */
  requestSent: boolean;
  /** The status of the answer, once its headers arrived. */
  status: number | undefined;
  /** The headers arrived: stops the time-to-headers limit and starts the idle one. */
  headersReceived: () => void;
  /** Resets the idle timer (streams only). */
  touch: () => void;
  done: () => void;
}

/** A client of an Anthropic-Messages-compatible gateway. */
export class MessagesClient {
  readonly #options: ResolvedClientOptions;
  readonly #fetch: typeof globalThis.fetch;
  readonly #logger: Logger;
  readonly #middlewares: Middleware[] = [];
  readonly #tracer: ChatTracer;

  constructor(options: ClientOptions = {}) {
    this.#options = resolveClientOptions(options);
    // Redirects stay on the base URL's origin; response headers never hold the key.
    this.#fetch = guardFetch(options.fetch ?? globalThis.fetch, this.#options);
    this.#logger = options.logger ?? pino({ level: 'silent' });
    this.#tracer = new ChatTracer(options.tracing, this.#options.apiKey, this.#options.baseURL);
  }

  /** The client's tracer of `chat` spans (the agent loop uses it to know whether content may be recorded). */
  get tracer(): ChatTracer {
    return this.#tracer;
  }

  /** The base URL requests go to (no trailing slash). */
  get baseURL(): string {
    return this.#options.baseURL;
  }

  /** The client's logger (silent unless one was given). */
  get logger(): Logger {
    return this.#logger;
  }

  /** Adds a middleware around every request this client makes; returns the client. */
  use(middleware: Middleware): this {
    if (typeof middleware !== 'object' || middleware === null) {
      throw new ConfigurationError(
        '`client.use(middleware)` needs an object with beforeRequest/afterResponse/onError hooks.',
        {
          code: 'invalid_option',
        },
      );
    }
    this.#middlewares.push(middleware);
    middleware.install?.(this);
    return this;
  }

  /** Sends a non-streaming request (`stream: false`) and resolves with the message, `credits_consumed` and request id kept. */
  async create(params: MessageCreateParams, options: RequestOptions = {}): Promise<Message> {
    checkRequestOptions(options);
    return runWithMiddleware(
      this.#middlewares,
      { kind: 'create', params: this.#prepare(params, options), options, tracer: this.#tracer },
      async (finalParams, hooks) => {
        const started = performance.now();
        const message = await this.#withRetries(
          options,
          undefined,
          (attempt) => this.#createAttempt(finalParams, options, attempt),
          hooks,
        );
        return { message, durationMs: performance.now() - started };
      },
    );
  }

  /** Sends a streaming request (`stream: true`) and returns the stream at once. Bad params throw here, before any request. */
  stream(params: MessageCreateParams, options: RequestOptions = {}): MessageStream {
    checkRequestOptions(options);
    const prepared = this.#prepare(params, options);
    return new MessageStream(
      (sink, signal) =>
        runWithMiddleware(
          this.#middlewares,
          { kind: 'stream', params: prepared, options: { ...options, signal }, tracer: this.#tracer },
          async (finalParams, hooks) => {
            const started = performance.now();
            const message = await this.#withRetries(
              { ...options, signal },
              sink,
              (attempt) => this.#streamAttempt(finalParams, options, attempt, sink),
              hooks,
            );
            return { message, durationMs: performance.now() - started };
          },
        ),
      options.signal,
    );
  }

  /** Reads the key's balance from `GET {baseURL}/credits` (a numeric `credits`, `balance` or `data.credits`). */
  async getCredits(options: RequestOptions = {}): Promise<CreditsBalance> {
    checkRequestOptions(options);
    return this.#withRetries(options, undefined, async (attempt) => {
      const response = await this.#send('GET', '/credits', undefined, options, attempt);
      const text = await readBodyText(response, this.#options.maxResponseBytes, {
        requestId: requestIdOf(response.headers),
      });
      return readCredits(text, requestIdOf(response.headers));
    });
  }

  #prepare(params: MessageCreateParams, options: RequestOptions): MessageCreateParams {
    if (typeof params !== 'object' || params === null) {
      throw new ConfigurationError('`params` must be an object with `messages`.', { code: 'invalid_request' });
    }
    // A thread `continue` may carry no new message (the model goes on after `pause_turn`).
    const mayBeEmpty = params.thread?.type === 'continue';
    if (!Array.isArray(params.messages) || (params.messages.length === 0 && !mayBeEmpty)) {
      throw new ConfigurationError('`params.messages` must be a non-empty array of { role, content }.', {
        code: 'invalid_request',
      });
    }
    const prepared: MessageCreateParams = {
      ...params,
      model: params.model ?? DEFAULT_MODEL,
      max_tokens: params.max_tokens ?? DEFAULT_MAX_TOKENS,
    };
    const window = MODEL_CONTEXT_WINDOWS[prepared.model as string];
    if (window !== undefined) {
      const estimate = estimateInputTokens(promptOf(prepared, options), { charsPerToken: 4 });
      if (estimate > window) {
        throw new ContextWindowError(
          `The request's input is estimated at ${estimate} tokens, more than the ${window}-token context window of ${prepared.model}. Shorten \`messages\` or \`system\`.`,
          { code: 'context_window_exceeded' },
        );
      }
    }
    return prepared;
  }

  async #withRetries<T>(
    options: RequestOptions,
    sink: MessageStreamSink | undefined,
    run: (attempt: Attempt & { number: number }) => Promise<T>,
    hooks?: SendHooks,
  ): Promise<T> {
    const maxRetries = options.maxRetries ?? this.#options.maxRetries;
    const signal = options.signal;
    let lastOutcome: AttemptOutcome | undefined;
    const attemptOnce = async (attemptNumber: number): Promise<T> => {
      if (signal?.aborted) throw toAbortError(signal.reason);
      const attempt = Object.assign(this.#startAttempt(options, sink !== undefined), { number: attemptNumber });
      let failure: unknown;
      try {
        return await run(attempt);
      } catch (error) {
        failure = this.#normalise(error, attempt.signal);
        throw failure;
      } finally {
        attempt.done();
        lastOutcome = Object.freeze({
          number: attemptNumber,
          requestSent: attempt.requestSent,
          status: attempt.status,
          errorCode: failure === undefined ? undefined : ((failure as LoopguardError).code ?? 'unknown'),
          completed: failure === undefined,
        });
        hooks?.attemptEnded(lastOutcome);
      }
    };
    try {
      return await pRetry(attemptOnce, {
        retries: maxRetries,
        minTimeout: 0,
        maxTimeout: 0,
        ...(signal ? { signal } : {}),
        shouldRetry: ({ error }) => isRetryable(error, sink),
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft === 0 || !isRetryable(error, sink)) return;
          if (hooks && lastOutcome) {
            const attempt = lastOutcome;
            await hooks.onRetry({ error, attemptNumber, responseStarted: isSuccessStatus(attempt.status), attempt });
          }
          const delay = retryDelay(error, attemptNumber, this.#options.retryBaseDelayMs);
          this.#logger.warn(
            { attempt: attemptNumber, code: (error as LoopguardError).code, delayMs: Math.round(delay) },
            'retrying request',
          );
          await sleep(delay, undefined, signal ? { signal } : {}).catch(() => {
            throw toAbortError(signal?.reason);
          });
        },
      });
    } catch (error) {
      if (signal?.aborted && !(error instanceof AbortedError)) throw toAbortError(signal.reason);
      throw error;
    }
  }

  #startAttempt(options: RequestOptions, streaming: boolean): Attempt {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(toAbortError(options.signal?.reason));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs;
    const total = setTimeout(
      () =>
        controller.abort(
          new TimeoutError(`The request timed out after ${timeoutMs} ms.`, { code: 'timeout', retryable: true }),
        ),
      timeoutMs,
    );
    const headersTimeoutMs = options.headersTimeoutMs ?? this.#options.headersTimeoutMs;
    const headers = setTimeout(
      () =>
        controller.abort(
          new TimeoutError(`No response headers came within ${headersTimeoutMs} ms.`, {
            code: 'headers_timeout',
            retryable: true,
          }),
        ),
      headersTimeoutMs,
    );
    const idleTimeoutMs = options.idleTimeoutMs ?? this.#options.idleTimeoutMs;
    // A chunk only records when it came; the timer, when it fires, re-arms for what is left of the idle
    // window. Re-arming a timer per chunk would cost more than decoding a small chunk.
    let idle: NodeJS.Timeout | undefined;
    let lastActivity = 0;
    const checkIdle = (): void => {
      const idleFor = Date.now() - lastActivity;
      if (idleFor < idleTimeoutMs) {
        idle = setTimeout(checkIdle, idleTimeoutMs - idleFor);
        return;
      }
      controller.abort(
        new TimeoutError(`The stream was idle for ${idleTimeoutMs} ms.`, { code: 'idle_timeout', retryable: true }),
      );
    };
    // The idle limit starts with the response: a server still working before its headers is the
    // time-to-headers limit's business, not the idle one's.
    let started = false;
    const touch = (): void => {
      if (!streaming || !started) return;
      lastActivity = Date.now();
      idle ??= setTimeout(checkIdle, idleTimeoutMs);
    };
    return {
      signal: controller.signal,
      requestSent: false,
      status: undefined,
      headersReceived: () => {
        clearTimeout(headers);
        started = true;
        touch();
      },
      touch,
      done: () => {
        clearTimeout(total);
        clearTimeout(headers);
        clearTimeout(idle);
        options.signal?.removeEventListener('abort', onAbort);
      },
    };
  }

  /** Every failure of an attempt passes here: the key is scrubbed from it and its `cause` chain. */
  #normalise(error: unknown, signal: AbortSignal): unknown {
    const apiKey = this.#options.apiKey;
    if (signal.aborted && isLoopguardError(signal.reason)) return redactError(signal.reason, apiKey);
    if (isLoopguardError(error)) return redactError(error, apiKey);
    const message = redactSecret(error instanceof Error ? describeCause(error) : String(error), apiKey);
    return redactError(
      new ConnectionError(`Connection failed: ${message}`, { code: 'connection_error', retryable: true, cause: error }),
      apiKey,
    );
  }

  async #send(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    options: RequestOptions,
    attempt: Attempt & { number: number },
    accept = 'application/json',
  ): Promise<Response> {
    const url = `${this.#options.baseURL}${path}`;
    const headers: Record<string, string> = {
      accept,
      'anthropic-version': '2023-06-01',
      ...this.#options.headers,
      ...(options.headers ?? {}),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#options.authHeader === 'bearer') headers.authorization = `Bearer ${this.#options.apiKey}`;
    else headers['x-api-key'] = this.#options.apiKey;
    const started = performance.now();
    let response: Response;
    try {
      if (attempt.signal.aborted) throw attempt.signal.reason;
      attempt.requestSent = true;
      response = await this.#fetch(url, { method, headers, body: body ?? null, signal: attempt.signal });
    } catch (error) {
      if (neverConnected(error)) attempt.requestSent = false;
      const normalised = this.#normalise(error, attempt.signal);
      this.#logger.info(
        { method, url, attempt: attempt.number, durationMs: elapsed(started), error: (normalised as Error).message },
        'request failed',
      );
      throw normalised;
    }
    attempt.status = response.status;
    attempt.headersReceived();
    const requestId = requestIdOf(response.headers);
    this.#logger.info(
      { method, url, status: response.status, attempt: attempt.number, durationMs: elapsed(started), requestId },
      'request',
    );
    if (!response.ok) {
      const text = await readBodyText(response, 1024 * 1024, { truncate: true });
      throw errorFromResponse({
        status: response.status,
        headers: response.headers,
        body: text,
        apiKey: this.#options.apiKey,
        baseURL: this.#options.baseURL,
      });
    }
    return response;
  }

  async #createAttempt(
    params: MessageCreateParams,
    options: RequestOptions,
    attempt: Attempt & { number: number },
  ): Promise<Message> {
    const body = JSON.stringify({ ...params, stream: false });
    if (this.#options.logContent) this.#logger.debug({ params }, 'request content');
    const response = await this.#send('POST', '/messages', body, options, attempt);
    const requestId = requestIdOf(response.headers);
    // The gateway streams by default: a server that streams anyway is read whole.
    if (isEventStream(response))
      return readSseMessage(response, { requestId, maxResponseBytes: this.#options.maxResponseBytes });
    const text = await readBodyText(response, this.#options.maxResponseBytes, { requestId });
    return parseMessage(text, requestId);
  }

  async #streamAttempt(
    params: MessageCreateParams,
    options: RequestOptions,
    attempt: Attempt & { number: number },
    sink: MessageStreamSink,
  ): Promise<Message> {
    const body = JSON.stringify({ ...params, stream: true });
    const response = await this.#send('POST', '/messages', body, options, attempt, 'text/event-stream');
    const requestId = requestIdOf(response.headers);
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.includes('text/event-stream')) {
      // Some servers ignore `stream: true`; a whole message is still a message.
      return parseMessage(await readBodyText(response, this.#options.maxResponseBytes, { requestId }), requestId);
    }
    if (!response.body)
      throw new StreamError('The stream response has no body.', { code: 'empty_stream', retryable: true, requestId });
    const accumulator = createMessageAccumulator({
      onText: (delta, blockText) => sink.text(delta, blockText),
      onThinking: (delta) => sink.thinking(delta),
      onToolUse: (block) => sink.toolUse(block),
    });
    let received = 0;
    const whole = await readEventStream({
      body: response.body,
      requestId,
      onChunk: (size) => {
        attempt.touch();
        received += size;
        if (received > this.#options.maxResponseBytes) {
          throw new InvalidResponseError(
            `The stream is larger than maxResponseBytes (${this.#options.maxResponseBytes} bytes).`,
            {
              code: 'response_too_large',
              requestId,
            },
          );
        }
      },
      onEvent: (event) => {
        accumulator.apply(event);
        if (event.type === 'content_block_start') sink.blockStart();
        sink.event(event);
      },
    });
    if (!accumulator.stopped || !whole) {
      throw new StreamError('The stream ended before `message_stop`: the message is incomplete.', {
        code: 'stream_truncated',
        retryable: true,
        requestId,
      });
    }
    const message = accumulator.finish();
    if (requestId !== undefined) message.request_id = requestId;
    if (this.#options.logContent) this.#logger.debug({ message }, 'response content');
    return message;
  }
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

function toAbortError(reason: unknown): LoopguardError {
  if (isLoopguardError(reason)) return reason;
  return new AbortedError('The request was aborted.', { code: 'aborted', cause: reason });
}

function isRetryable(error: unknown, sink: MessageStreamSink | undefined): boolean {
  if (!isLoopguardError(error) || !error.retryable) return false;
  // Once the caller saw part of a stream, a retry would show it twice.
  return sink === undefined || !sink.handedOn;
}

function retryDelay(error: unknown, attemptNumber: number, baseDelayMs: number): number {
  const asked = isLoopguardError(error) ? error.retryAfterMs : undefined;
  if (asked !== undefined) return asked;
  const exponential = Math.min(8_000, baseDelayMs * 2 ** (attemptNumber - 1));
  return exponential * (0.75 + Math.random() * 0.5);
}

function parseMessage(text: string, requestId: string | undefined): Message {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidResponseError('The response is not JSON, so it is not a message.', {
      code: 'invalid_response',
      requestId,
    });
  }
  const candidate = json as Partial<Message> | null;
  if (typeof candidate !== 'object' || candidate === null || !Array.isArray(candidate.content)) {
    throw new InvalidResponseError('The response is JSON but not a message: it has no `content` array.', {
      code: 'invalid_response',
      requestId,
    });
  }
  const message = { ...candidate, usage: { input_tokens: 0, output_tokens: 0, ...(candidate.usage ?? {}) } } as Message;
  if (requestId !== undefined) message.request_id = requestId;
  return message;
}
