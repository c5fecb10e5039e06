/**
 * The error hierarchy, one class per file: `LoopguardError`, `APIError` for HTTP answers with one class per
 * gateway code, and the transport and local errors; each with an `isX()` guard that works across package
 * copies (a `Symbol.for` marker per class). This file only lists them.
 * @module
 */
export { AbortedError, isAbortedError } from './aborted-error.js';
export { APIError, isAPIError } from './api-error.js';
export { AuthenticationError, isAuthenticationError } from './authentication-error.js';
export { ConfigurationError, isConfigurationError } from './configuration-error.js';
export { ConnectionError, isConnectionError } from './connection-error.js';
export { ContextWindowError, isContextWindowError } from './context-window-error.js';
export type { GatewayErrorCode, LocalErrorCode, LoopguardErrorCode, TransportErrorCode } from './error-codes.js';
export { InsufficientCreditsError, isInsufficientCreditsError } from './insufficient-credits-error.js';
export { InternalServerError, isInternalServerError } from './internal-server-error.js';
export { InvalidRequestError, isInvalidRequestError } from './invalid-request-error.js';
export { InvalidResponseError, isInvalidResponseError } from './invalid-response-error.js';
export { isLoopguardError, LoopguardError, type LoopguardErrorOptions } from './loopguard-error.js';
export { isNotFoundError, NotFoundError } from './not-found-error.js';
export { isPermissionDeniedError, PermissionDeniedError } from './permission-denied-error.js';
export { isRateLimitError, RateLimitError } from './rate-limit-error.js';
export { isRedirectError, RedirectError } from './redirect-error.js';
export { isSpendLimitError, SpendLimitError } from './spend-limit-error.js';
export { isStreamError, StreamError } from './stream-error.js';
export { isTimeoutError, TimeoutError } from './timeout-error.js';
export { isUpstreamError, UpstreamError } from './upstream-error.js';
