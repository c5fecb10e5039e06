/**
 * Middleware: hooks around each logical request of a client (`client.use(middleware)`).
 * `beforeRequest` may return changed params or refuse by throwing; `afterResponse` sees the final message;
 * `onError` sees the final error. Every hook gets one frozen context object.
 * @module
 */
import type { Span } from '@opentelemetry/api';
import type { Message, MessageCreateParams } from '../protocol/types.js';
import type { ChatTracer } from '../tracing/chat-tracer.js';
import { GEN_AI } from '../tracing/gen-ai-attributes.js';
import { type AttemptOutcome, isSuccessStatus } from './attempt-outcome.js';
import type { RequestOptions } from './client-options.js';

/** What every hook receives, frozen. `state` is a per-request scratch map shared by the hooks of one request. */
export interface RequestContext {
  /** A local id of this logical request, unique within the process (`call_1`, …). */
  readonly callId: string;
  readonly kind: 'create' | 'stream';
  /** The params as they stand after the previous hooks. */
  readonly params: Readonly<MessageCreateParams>;
  readonly options: Readonly<RequestOptions>;
  readonly state: Map<unknown, unknown>;
  /**
   * The request's OpenTelemetry `chat` span, ended once every hook ran: middleware may add attributes and
   * events to it (the budget guard adds credits reserved and settled). A non-recording span when tracing is
   * off or no OpenTelemetry SDK is installed.
   */
  readonly span: Span;
}

/** The context of `afterResponse`. */
export interface ResponseContext extends RequestContext {
  readonly message: Message;
  readonly durationMs: number;
}

/** The context of `onError`. */
export interface ErrorContext extends RequestContext {
  readonly error: unknown;
  /** True when the last attempt got a 2xx answer before failing (a cut or stalled stream). Same as `attempt?.status` being 2xx. */
  readonly responseStarted: boolean;
  /**
   * What the client knows of the last attempt (sent? which status?); `undefined` when no attempt was made
   * (a `beforeRequest` refused). Decide from it whether the gateway may have billed the request.
   */
  readonly attempt: AttemptOutcome | undefined;
}

/** A failed attempt that is about to be retried. */
export interface AttemptFailure {
  readonly error: unknown;
  /** 1-based number of the attempt that failed. */
  readonly attemptNumber: number;
  /** True when the attempt got a 2xx answer before failing. Same as `attempt.status` being 2xx. */
  readonly responseStarted: boolean;
  /** What the client knows of the failed attempt (sent? which status?). */
  readonly attempt: AttemptOutcome;
}

/** The context of `onRetry`. */
export interface RetryContext extends RequestContext, AttemptFailure {}

/** How the request being sent reports back to the chain. */
export interface SendHooks {
  /** Called before each retry; a hook that throws stops the retries with its error. */
  onRetry(failure: AttemptFailure): Promise<void>;
  /** Called by the sender as each attempt ends, with what it knows of it; the last one goes to `onError`. */
  attemptEnded(outcome: AttemptOutcome): void;
}

/** What a middleware may call on the client it is installed on. */
export interface MiddlewareHost {
  getCredits(options?: RequestOptions): Promise<{ credits: number; raw: unknown }>;
}

/** A request middleware. Every hook is optional. */
export interface Middleware {
  /** A name for logs. */
  readonly name?: string;
  /** Called once by `client.use(middleware)` with the client, e.g. to read `/credits` later. */
  install?(client: MiddlewareHost): void;
  /** Before the request (once, not per retry): return new params to change them, or throw to refuse. */
  beforeRequest?(context: RequestContext): MessageCreateParams | undefined | Promise<MessageCreateParams | undefined>;
  /** After the final message (after retries). */
  afterResponse?(context: ResponseContext): void | Promise<void>;
  /** After a failed attempt, before it is retried. Throw to stop the retries (the call fails with your error). */
  onRetry?(context: RetryContext): void | Promise<void>;
  /** After the final error (after retries), or when a later `beforeRequest` refused. */
  onError?(context: ErrorContext): void | Promise<void>;
}

let callCounter = 0;

/** How the request itself is sent, with hooks when someone listens to its attempts. */
type Send = (
  params: MessageCreateParams,
  hooks: SendHooks | undefined,
) => Promise<{ message: Message; durationMs: number }>;

/** No middleware and a span that records nothing: the request alone, with no context or hooks made for it. */
async function sendBare(span: Span, params: MessageCreateParams, send: Send): Promise<Message> {
  try {
    return (await send(params, undefined)).message;
  } finally {
    span.end();
  }
}

/** Runs the middleware chain around one logical request (none: the request alone, when its span records nothing). */
export async function runWithMiddleware(
  middlewares: readonly Middleware[],
  base: { kind: 'create' | 'stream'; params: MessageCreateParams; options: RequestOptions; tracer: ChatTracer },
  send: Send,
): Promise<Message> {
  callCounter += 1;
  const { tracer } = base;
  const span = tracer.start(base.params, base.options.traceContext, base.options.runId);
  if (middlewares.length === 0 && !span.isRecording()) return sendBare(span, base.params, send);
  const callId = `call_${callCounter}`;
  const state = new Map<unknown, unknown>();
  let params = base.params;
  const context = (): RequestContext =>
    Object.freeze({ callId, kind: base.kind, params, options: base.options, state, span });
  const entered: Middleware[] = [];
  let lastAttempt: AttemptOutcome | undefined;
  let attempts = 0;
  const hooks: SendHooks = {
    attemptEnded(outcome) {
      lastAttempt = outcome;
      attempts += 1;
      tracer.attempt(span, outcome);
    },
    async onRetry(failure) {
      tracer.retry(span, failure.attemptNumber, failure.error);
      const retryContext: RetryContext = Object.freeze({ ...context(), ...failure });
      for (const middleware of entered) await middleware.onRetry?.(retryContext);
    },
  };
  try {
    for (const middleware of middlewares) {
      entered.push(middleware);
      const changed = await middleware.beforeRequest?.(context());
      if (changed !== undefined) params = changed;
    }
    if (params.max_tokens !== undefined) span.setAttribute(GEN_AI.requestMaxTokens, params.max_tokens);
    const { message, durationMs } = await send(params, hooks);
    const responseContext: ResponseContext = Object.freeze({ ...context(), message, durationMs });
    for (const middleware of entered) await middleware.afterResponse?.(responseContext);
    tracer.succeed(span, message, attempts);
    return message;
  } catch (error) {
    const errorContext: ErrorContext = Object.freeze({
      ...context(),
      error,
      responseStarted: isSuccessStatus(lastAttempt?.status),
      attempt: lastAttempt,
    });
    for (const middleware of [...entered].reverse()) {
      try {
        await middleware.onError?.(errorContext);
      } catch {
        // An onError hook must not hide the error that caused it.
      }
    }
    tracer.fail(span, error, attempts);
    throw error;
  }
}
