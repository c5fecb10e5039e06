/**
 * `@loopguard/messages/internal`: the client's own parts that loopguard's packages and tests reach for, and
 * no application needs — response parsing, redaction, retry-after, the SSE reader, the middleware's send
 * hooks. Not covered by semver: names here may change in any release.
 * @module
 */
export { isSuccessStatus, NOT_SENT_CAUSES } from '../client/attempt-outcome.js';
export { checkApiKey } from '../client/client-options.js';
export { readCredits } from '../client/credits.js';
export type { AttemptFailure, SendHooks } from '../client/middleware.js';
export { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../client/retry-after.js';
export { DOCUMENT_PAGE_TOKENS, pdfPageCount } from '../cost/document-tokens.js';
export { errorFromResponse, requestIdOf } from '../errors/error-from-response.js';
export { MAX_CAUSE_DEPTH, redactError } from '../errors/redact-error.js';
export { REDACTED, redactSecret } from '../errors/redact-secret.js';
export type { MessageAccumulatorCallbacks } from '../stream/message-accumulator.js';
export type { MessageStreamSink } from '../stream/message-stream.js';
export { readEventStream } from '../stream/read-event-stream.js';
export { createSeededRandom } from './seeded-random.js';
