/**
 * @loopguard/mock-gateway: a faithful local gateway for tests, demos and examples.
 * @module
 */
export type { GeneratedMessage } from './build-message.js';
export { buildMessage } from './build-message.js';
export { CHARACTERS_PER_TOKEN, countInputTokens, countOutputTokens, MOCK_IMAGE_TOKENS } from './count-tokens.js';
export { createFaultPicker, type Fault, type FaultOptions, type FaultPicker, type FaultRule } from './faults.js';
export { ERROR_TYPES, STATUS_CODES, sendGatewayError } from './gateway-error.js';
export { MockAccount, type MockAccountOptions, type SpendLimits } from './mock-account.js';
export {
  DEFAULT_MOCK_PORT,
  describeMockGateway,
  type MockCliFlags,
  MockCliUsageError,
  mockOptionsFromFlags,
} from './mock-cli-options.js';
export type { ModelReply, ModelRequest, ModelResponder, ReplyBlock } from './model-reply.js';
export { creditsFor, GATEWAY_PRICES, roundCredits } from './pricing.js';
export { DEFAULT_MAX_RECORDED_BYTES, DEFAULT_MAX_RECORDED_REQUESTS } from './request-log.js';
export { MAX_SAMPLE_ITEMS, MAX_SAMPLE_STRING_LENGTH, sampleFromSchema } from './sample-from-schema.js';
export { schemaDrivenModel } from './schema-driven-model.js';
export { type ScriptedModel, type ScriptedReply, scriptedModel } from './scripted-model.js';
export { createSeededRandom } from './seeded-random.js';
export { type GatewayConnection, startGatewayOrMock } from './start-gateway-or-mock.js';
export {
  DEFAULT_MOCK_KEY,
  MAX_BODY_BYTES,
  MOCK_MODEL,
  type MockGateway,
  type MockGatewayOptions,
  type MockRequestRecord,
  startMockGateway,
} from './start-mock-gateway.js';
export { streamEvents } from './stream-events.js';
export { ThreadStore } from './thread-store.js';
export { validateRequest } from './validate-request.js';
