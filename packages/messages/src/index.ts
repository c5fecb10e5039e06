/**
 * @loopguard/messages: the client of an Anthropic-Messages-compatible gateway.
 * @module
 */
export { type AttemptOutcome, isSuccessStatus, NOT_SENT_CAUSES } from './client/attempt-outcome.js';
export { ChatTracer, type TracingOptions } from './tracing/chat-tracer.js';
export { type ClientOptions, checkApiKey, DEFAULT_BASE_URL, type RequestOptions } from './client/client-options.js';
export { readCredits } from './client/credits.js';
export { DOCUMENT_PAGE_TOKENS, pdfPageCount } from './cost/document-tokens.js';
export { errorFromResponse, requestIdOf } from './errors/error-from-response.js';
export {
  AbortedError,
  APIError,
  AuthenticationError,
  ConfigurationError,
  ConnectionError,
  ContextWindowError,
  InsufficientCreditsError,
  InternalServerError,
  InvalidRequestError,
  InvalidResponseError,
  isLoopguardError,
  LoopguardError,
  type LoopguardErrorOptions,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SpendLimitError,
  StreamError,
  TimeoutError,
  UpstreamError,
} from './errors/errors.js';
export { estimateInputTokens, IMAGE_TOKENS, MODEL_CONTEXT_WINDOWS } from './cost/estimate-input-tokens.js';
export { GEN_AI, GEN_AI_PROVIDER, LOOPGUARD_ATTRIBUTES, TRACER_NAME } from './tracing/gen-ai-attributes.js';
export {
  createMessageAccumulator,
  type MessageAccumulator,
  type MessageAccumulatorCallbacks,
} from './stream/message-accumulator.js';
export { MessageStream, type MessageStreamEvents, type MessageStreamSink } from './stream/message-stream.js';
export { type CreditsBalance, DEFAULT_MAX_TOKENS, MessagesClient } from './client/messages-client.js';
export type {
  AttemptFailure,
  ErrorContext,
  Middleware,
  MiddlewareHost,
  RequestContext,
  ResponseContext,
  RetryContext,
  SendHooks,
} from './client/middleware.js';
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
export { parseStreamEvent, readEventStream } from './stream/read-event-stream.js';
export { MAX_CAUSE_DEPTH, redactError } from './errors/redact-error.js';
export { REDACTED, redactSecret } from './errors/redact-secret.js';
export { RedirectError } from './errors/redirect-error.js';
export { MAX_RETRY_AFTER_MS, parseRetryAfter } from './client/retry-after.js';
export { createSseDecoder, type SseDecoder, type SseDecoderOptions, type SseEvent } from './stream/sse-decoder.js';
export { streamFalseFetch } from './client/stream-false-fetch.js';
export {
  type ContentBlock,
  type ContentBlockParam,
  type ContentDelta,
  DEFAULT_MODEL,
  type ImageBlock,
  type KnownMessageStreamEvent,
  type Message,
  type MessageCreateParams,
  type MessageParam,
  type MessageStreamEvent,
  type MessageThread,
  type RedactedThinkingBlock,
  type StopReason,
  type TextBlock,
  type ThinkingBlock,
  type ToolChoice,
  type ToolDefinition,
  type ToolResultBlock,
  type ToolUseBlock,
  type UnknownBlock,
  type UnknownStreamEvent,
  type Usage,
} from './protocol/types.js';
