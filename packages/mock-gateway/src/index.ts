/**
 * @loopguard/mock-gateway: a faithful local gateway for tests, demos and examples.
 *
 * Only what users import is exported here: the server and its options, the stand-in models, fault rules,
 * the account types, the token and price rules a test checks bills against, and what the `loopguard mock`
 * CLI shares. Everything else is internal to the package (`http/`, `messages/`, `faults/`, `account/`).
 * @module
 */
export type { MockAccount, MockAccountOptions, SpendLimits } from './account/mock-account.js';
export { creditsFor } from './account/pricing.js';
export type { Fault, FaultOptions, FaultRule } from './faults/fault.js';
export type { MockRequestRecord } from './http/request-record.js';
export { countInputTokens } from './messages/count-tokens.js';
export { describeMockGateway, type MockCliFlags, MockCliUsageError, mockOptionsFromFlags } from './mock-cli-options.js';
export type { ModelReply, ModelRequest, ModelResponder, ReplyBlock } from './models/model-reply.js';
export { sampleFromSchema } from './models/sample-from-schema.js';
export { schemaDrivenModel } from './models/schema-driven-model.js';
export { type ScriptedModel, type ScriptedReply, scriptedModel } from './models/scripted-model.js';
export { type GatewayConnection, startGatewayOrMock } from './start-gateway-or-mock.js';
export { type MockGateway, type MockGatewayOptions, startMockGateway } from './start-mock-gateway.js';
