/**
 * `ChatTracer`: one OpenTelemetry `chat {model}` span per logical request (retries included), following the
 * GenAI semantic conventions. Through `@opentelemetry/api` only: without an installed SDK every span is a
 * no-op. Message content is recorded only with `captureContent`, and the API key is scrubbed from every
 * string that goes on a span.
 * @module
 */
import {
  type Attributes,
  type Context,
  INVALID_SPAN_CONTEXT,
  context as otelContext,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import type { AttemptOutcome } from '../client/attempt-outcome.js';
import { redactSecret } from '../errors/redact-secret.js';
import type { Message, MessageCreateParams } from '../protocol/types.js';
import { GEN_AI, GEN_AI_PROVIDER, LOOPGUARD_ATTRIBUTES, TRACER_NAME } from './gen-ai-attributes.js';

/** Tracing options of a client (`new MessagesClient({ tracing })`). */
export interface TracingOptions {
  /** Where spans go. @default the global provider (`trace.getTracerProvider()`): a no-op until an SDK registers one */
  tracerProvider?: TracerProvider;
  /** Record prompts and replies on spans (`gen_ai.input.messages`, `gen_ai.output.messages`, tool arguments and results). @default false */
  captureContent?: boolean;
}

const NO_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Starts and ends the `chat` spans of one client. */
export class ChatTracer {
  readonly #tracer: Tracer | undefined;
  readonly #captureContent: boolean;
  readonly #secret: string;
  readonly #server: Attributes;

  /** `options: false` turns tracing off (every span a non-recording one). */
  constructor(options: TracingOptions | false | undefined, secret: string, baseURL: string) {
    this.#tracer =
      options === false ? undefined : (options?.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
    this.#captureContent = options !== false && options?.captureContent === true;
    this.#secret = secret;
    const url = new URL(baseURL);
    this.#server = {
      [GEN_AI.serverAddress]: url.hostname,
      [GEN_AI.serverPort]: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    };
  }

  /** Whether content may be recorded on spans. */
  get captureContent(): boolean {
    return this.#captureContent;
  }

  /** Starts the `chat {model}` span of a request, a child of `parent` (else of the active context). */
  start(params: MessageCreateParams, parent: Context | undefined, conversationId: string | undefined): Span {
    if (!this.#tracer) return NO_SPAN;
    const model = params.model ?? 'unknown';
    const attributes: Attributes = {
      [GEN_AI.operationName]: 'chat',
      [GEN_AI.providerName]: GEN_AI_PROVIDER,
      [GEN_AI.requestModel]: model,
      ...this.#server,
    };
    if (params.max_tokens !== undefined) attributes[GEN_AI.requestMaxTokens] = params.max_tokens;
    if (params.temperature !== undefined) attributes[GEN_AI.requestTemperature] = params.temperature;
    if (params.top_p !== undefined) attributes[GEN_AI.requestTopP] = params.top_p;
    if (params.top_k !== undefined) attributes[GEN_AI.requestTopK] = params.top_k;
    if (params.stop_sequences !== undefined) attributes[GEN_AI.requestStopSequences] = params.stop_sequences;
    if (conversationId !== undefined) attributes[GEN_AI.conversationId] = conversationId;
    if (this.#captureContent) {
      attributes[GEN_AI.inputMessages] = this.scrub(JSON.stringify(params.messages));
      if (params.system !== undefined)
        attributes[GEN_AI.systemInstructions] = this.scrub(JSON.stringify(params.system));
    }
    return this.#tracer.startSpan(
      `chat ${model}`,
      { kind: SpanKind.CLIENT, attributes },
      parent ?? otelContext.active(),
    );
  }

  /**
   * Starts any other span with this client's tracer (the agent loop's `invoke_agent` and `execute_tool`), a
   * child of `parent` (else of the active context); a non-recording span when tracing is off.
   */
  startSpan(name: string, attributes: Attributes, parent?: Context, kind: SpanKind = SpanKind.INTERNAL): Span {
    if (!this.#tracer) return NO_SPAN;
    return this.#tracer.startSpan(name, { kind, attributes }, parent ?? otelContext.active());
  }

  /** Records the end of an attempt as a span event (`loopguard.attempt`). */
  attempt(span: Span, outcome: AttemptOutcome): void {
    if (!span.isRecording()) return;
    const attributes: Attributes = { request_sent: outcome.requestSent, completed: outcome.completed };
    if (outcome.status !== undefined) attributes['http.response.status_code'] = outcome.status;
    if (outcome.errorCode !== undefined) attributes[GEN_AI.errorType] = this.scrub(outcome.errorCode);
    span.addEvent('loopguard.attempt', attributes);
  }

  /** Records a retry as a span event (`loopguard.retry`), with the failed attempt's number and error. */
  retry(span: Span, attemptNumber: number, error: unknown): void {
    if (!span.isRecording()) return;
    span.addEvent('loopguard.retry', { attempt: attemptNumber, [GEN_AI.errorType]: this.errorType(error) });
  }

  /** Ends the span of a request that returned `message`. */
  succeed(span: Span, message: Message, attempts: number): void {
    if (span.isRecording()) {
      const attributes: Attributes = {
        [GEN_AI.responseId]: this.scrub(message.id),
        [GEN_AI.responseModel]: this.scrub(message.model),
        [GEN_AI.usageInputTokens]: message.usage?.input_tokens ?? 0,
        [GEN_AI.usageOutputTokens]: message.usage?.output_tokens ?? 0,
        [LOOPGUARD_ATTRIBUTES.attempts]: attempts,
      };
      if (message.stop_reason) attributes[GEN_AI.responseFinishReasons] = [this.scrub(message.stop_reason)];
      if (typeof message.credits_consumed === 'number')
        attributes[LOOPGUARD_ATTRIBUTES.creditsConsumed] = message.credits_consumed;
      if (this.#captureContent) attributes[GEN_AI.outputMessages] = this.scrub(JSON.stringify(message.content));
      span.setAttributes(attributes);
    }
    span.end();
  }

  /** Ends the span of a request that failed with `error` (status ERROR, `error.type`, an exception event). */
  fail(span: Span, error: unknown, attempts: number): void {
    if (span.isRecording()) {
      const type = this.errorType(error);
      const message = this.scrub(error instanceof Error ? error.message : String(error));
      span.setAttributes({ [GEN_AI.errorType]: type, [LOOPGUARD_ATTRIBUTES.attempts]: attempts });
      span.addEvent('exception', { 'exception.type': type, 'exception.message': message });
      span.setStatus({ code: SpanStatusCode.ERROR, message });
    }
    span.end();
  }

  /** `error.type`: the error's code, else its class name (scrubbed). */
  errorType(error: unknown): string {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.length > 0) return this.scrub(code);
    return error instanceof Error ? this.scrub(error.name) : 'Error';
  }

  /** `text` without the API key. */
  scrub(text: string): string {
    return redactSecret(text, this.#secret);
  }
}
