/**
 * Span names and attribute keys: the OpenTelemetry GenAI semantic conventions (`gen_ai.*`), and loopguard's
 * own for money (`loopguard.*`), which the conventions do not cover.
 * @module
 */

/** Attribute keys of the OpenTelemetry GenAI semantic conventions that loopguard sets. */
export const GEN_AI = Object.freeze({
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestTopK: 'gen_ai.request.top_k',
  requestStopSequences: 'gen_ai.request.stop_sequences',
  responseId: 'gen_ai.response.id',
  responseModel: 'gen_ai.response.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  conversationId: 'gen_ai.conversation.id',
  agentName: 'gen_ai.agent.name',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  errorType: 'error.type',
  serverAddress: 'server.address',
  serverPort: 'server.port',
});

/** loopguard's own attribute keys: credits (1 credit = $0.005) and the agent's stop reason. */
export const LOOPGUARD_ATTRIBUTES = Object.freeze({
  /** Credits the gateway reported for the call (`credits_consumed`). */
  creditsConsumed: 'loopguard.credits.consumed',
  /** Credits a budget reserved before sending (the last reservation, after retries). */
  creditsReserved: 'loopguard.credits.reserved',
  /** Credits a budget settled for the call (spent). */
  creditsSettled: 'loopguard.credits.settled',
  /** Credits settled as only possibly billed (an attempt cut after sending). */
  creditsPossiblyBilled: 'loopguard.credits.possibly_billed',
  /** Credits of a whole agent run. */
  creditsTotal: 'loopguard.credits.total',
  /** Attempts the request took (1 when no retry). */
  attempts: 'loopguard.attempts',
  /** Why an agent run stopped (`end_turn`, `budget_exceeded`, …). */
  stopReason: 'loopguard.agent.stop_reason',
  /** Turns (requests) of an agent run. */
  turns: 'loopguard.agent.turns',
});

/** The provider name loopguard reports (`gen_ai.provider.name`): the gateway speaks Anthropic's protocol. */
export const GEN_AI_PROVIDER = 'anthropic';

/** The instrumentation scope name of loopguard's tracers. */
export const TRACER_NAME = 'loopguard';
