/**
 * `MessagesClient`: the HTTP client for `POST {baseURL}/messages` and `GET {baseURL}/credits`, with
 * retries, timeouts, abort, middleware and logging (pino, key redacted). The class is a shell: the params
 * are prepared (prepare-params.ts), the attempts run in a retry loop (with-retries.ts), each one on the wire
 * (send-request.ts) and read as a message (create-attempt.ts, stream-attempt.ts).
 * @module
 */
import { type Logger, pino } from 'pino';
import { requestIdOf } from '../errors/error-from-response.js';
import { ConfigurationError } from '../errors/errors.js';
import type { Message, MessageCreateParams } from '../protocol/types.js';
import { MessageStream, type MessageStreamSink } from '../stream/message-stream.js';
import { ChatTracer } from '../tracing/chat-tracer.js';
import type { Attempt } from './attempt.js';
import {
  type ClientOptions,
  checkRequestOptions,
  type RequestOptions,
  resolveClientOptions,
} from './client-options.js';
import { createAttempt } from './create-attempt.js';
import { readCredits } from './credits.js';
import { type DeltaHandlers, DeltaSink } from './delta-sink.js';
import { guardFetch } from './guarded-fetch.js';
import { httpFetch } from './http-fetch.js';
import { type Middleware, runWithMiddleware, type SendHooks } from './middleware.js';
import { prepareParams } from './prepare-params.js';
import { readBodyText } from './read-body-text.js';
import { normaliseFailure, sendRequest, type Transport } from './send-request.js';
import { shapeForThread } from './shape-for-thread.js';
import { streamAttempt } from './stream-attempt.js';
import { withRetries } from './with-retries.js';

export { DEFAULT_MAX_TOKENS } from '../protocol/defaults.js';

/** The balance `getCredits()` reads: the number found, and the body as received. */
export interface CreditsBalance {
  credits: number;
  raw: unknown;
}

/** A client of an Anthropic-Messages-compatible gateway. */
export class MessagesClient {
  readonly #transport: Transport;
  readonly #middlewares: Middleware[] = [];
  readonly #tracer: ChatTracer;

  constructor(options: ClientOptions = {}) {
    const resolved = resolveClientOptions(options);
    this.#transport = {
      resolved,
      // Redirects stay on the base URL's origin; response headers never hold the key.
      fetch: guardFetch(options.fetch ?? httpFetch, resolved),
      logger: options.logger ?? pino({ level: 'silent' }),
    };
    this.#tracer = new ChatTracer(options.tracing, resolved.apiKey, resolved.baseURL);
  }

  /** The client's tracer of `chat` spans (the agent loop uses it to know whether content may be recorded). */
  get tracer(): ChatTracer {
    return this.#tracer;
  }

  /** The base URL requests go to (no trailing slash). */
  get baseURL(): string {
    return this.#transport.resolved.baseURL;
  }

  /** The client's logger (silent unless one was given). */
  get logger(): Logger {
    return this.#transport.logger;
  }

  /** Adds a middleware around every request this client makes; returns the client. */
  use(middleware: Middleware): this {
    if (typeof middleware !== 'object' || middleware === null) {
      throw new ConfigurationError(
        '`client.use(middleware)` needs an object with beforeRequest/afterResponse/onError hooks.',
        { code: 'invalid_option' },
      );
    }
    this.#middlewares.push(middleware);
    middleware.install?.(this);
    return this;
  }

  /** Sends a non-streaming request (`stream: false`) and resolves with the message, `credits_consumed` and request id kept. */
  async create(params: MessageCreateParams, options: RequestOptions = {}): Promise<Message> {
    checkRequestOptions(options);
    const context = { kind: 'create', params: prepareParams(params, options), options, tracer: this.#tracer } as const;
    return runWithMiddleware(this.#middlewares, context, async (finalParams, hooks) => {
      const started = performance.now();
      const wire = shapeForThread(finalParams, options);
      const message = await withRetries(this.#plan(options, hooks), (attempt) =>
        createAttempt(this.#transport, wire.params, wire.options, attempt),
      );
      return { message, durationMs: performance.now() - started };
    });
  }

  /** Sends a streaming request (`stream: true`) and returns the stream at once. Bad params throw here, before any request. */
  stream(params: MessageCreateParams, options: RequestOptions = {}): MessageStream {
    checkRequestOptions(options);
    const prepared = prepareParams(params, options);
    const run = (sink: MessageStreamSink, signal: AbortSignal): Promise<Message> =>
      this.#streamTo(prepared, { ...options, signal }, sink);
    return new MessageStream(run, options.signal);
  }

  /**
   * Sends a streaming request (`stream: true`), hands its text and thinking deltas to `handlers` as they
   * come, and resolves with the complete message — `stream()` for a caller that wants neither stream events
   * nor an event emitter (`runAgent`): no `MessageStream` is made. As with a stream's listeners, an attempt
   * is not retried once a delta was handed on; middleware sees a `stream` request.
   */
  async streamDeltas(
    params: MessageCreateParams,
    handlers: DeltaHandlers,
    options: RequestOptions = {},
  ): Promise<Message> {
    checkRequestOptions(options);
    return this.#streamTo(prepareParams(params, options), options, new DeltaSink(handlers));
  }

  /** Runs a streaming request through the middleware and its attempts, handing what it reads to `sink`. */
  #streamTo(prepared: MessageCreateParams, options: RequestOptions, sink: MessageStreamSink): Promise<Message> {
    const context = { kind: 'stream', params: prepared, options, tracer: this.#tracer } as const;
    return runWithMiddleware(this.#middlewares, context, async (finalParams, hooks) => {
      const started = performance.now();
      const plan = { ...this.#plan(options, hooks), handedOn: () => sink.handedOn };
      const wire = shapeForThread(finalParams, options);
      const message = await withRetries(plan, (attempt) =>
        streamAttempt(this.#transport, wire.params, wire.options, attempt, sink),
      );
      return { message, durationMs: performance.now() - started };
    });
  }

  /** Reads the key's balance from `GET {baseURL}/credits` (a numeric `credits`, `balance` or `data.credits`). */
  async getCredits(options: RequestOptions = {}): Promise<CreditsBalance> {
    checkRequestOptions(options);
    const { maxResponseBytes } = this.#transport.resolved;
    return withRetries(this.#plan(options, undefined), async (attempt) => {
      const response = await sendRequest(this.#transport, { method: 'GET', path: '/credits' }, options, attempt);
      const requestId = requestIdOf(response.headers);
      return readCredits(await readBodyText(response, maxResponseBytes, { requestId }), requestId);
    });
  }

  /** Any failure of an attempt as its typed, key-scrubbed error (made once per client). */
  readonly #normalise = (error: unknown, attempt: Attempt): unknown =>
    normaliseFailure(error, attempt.signal, this.#transport.resolved.apiKey);

  #plan(options: RequestOptions, hooks: SendHooks | undefined) {
    const { resolved, logger } = this.#transport;
    return { options, resolved, logger, normalise: this.#normalise, hooks };
  }
}
