/**
 * @loopguard/messages: the client of an Anthropic-Messages-compatible gateway — `MessagesClient` and its
 * options, the stream, the protocol's types and defaults, the typed errors with their guards, middleware,
 * prices, and the OpenTelemetry names its spans use. What only loopguard's own packages use is at
 * `@loopguard/messages/internal`.
 * @module
 */
export type { AttemptOutcome } from './client/attempt-outcome.js';
export type { ClientOptions, RequestOptions } from './client/client-options.js';
export type { DeltaHandlers } from './client/delta-sink.js';
export { type CreditsBalance, MessagesClient } from './client/messages-client.js';
export type {
  ErrorContext,
  Middleware,
  MiddlewareHost,
  RequestContext,
  ResponseContext,
  RetryContext,
} from './client/middleware.js';
export { THREADS_BETA } from './client/shape-for-thread.js';
export { streamFalseFetch } from './client/stream-false-fetch.js';
export { estimateInputTokens, IMAGE_TOKENS, MODEL_CONTEXT_WINDOWS } from './cost/estimate-input-tokens.js';
export {
  creditsForUsage,
  creditsOfMessage,
  DEFAULT_PRICES,
  type ModelPrice,
  type PriceTable,
  priceOf,
  USD_PER_CREDIT,
} from './cost/pricing.js';
export { type Prompt, promptOf } from './cost/prompt-of.js';
export * from './errors/errors.js';
export { DEFAULT_BASE_URL, DEFAULT_MAX_TOKENS, DEFAULT_MODEL } from './protocol/defaults.js';
export type {
  ContentBlock,
  ContentBlockParam,
  ContentDelta,
  ImageBlock,
  KnownMessageStreamEvent,
  Message,
  MessageCreateParams,
  MessageParam,
  MessageStreamEvent,
  MessageThread,
  RedactedThinkingBlock,
  ServerThreadHint,
  StopReason,
  TextBlock,
  ThinkingBlock,
  ToolChoice,
  ToolDefinition,
  ToolResultBlock,
  ToolUseBlock,
  UnknownBlock,
  UnknownStreamEvent,
  Usage,
} from './protocol/types.js';
export { createMessageAccumulator, type MessageAccumulator } from './stream/message-accumulator.js';
export { MessageStream, type MessageStreamEvents } from './stream/message-stream.js';
export { parseStreamEvent } from './stream/read-event-stream.js';
export { createSseDecoder, type SseDecoder, type SseDecoderOptions, type SseEvent } from './stream/sse-decoder.js';
export { ChatTracer, type TracingOptions } from './tracing/chat-tracer.js';
export { GEN_AI, GEN_AI_PROVIDER, LOOPGUARD_ATTRIBUTES, TRACER_NAME } from './tracing/gen-ai-attributes.js';
