/**
 * The error hierarchy: one base `LoopguardError`, `APIError` for HTTP answers, one class per gateway code,
 * and the transport errors. Every error has `status`, `code`, `type`, `requestId` and `retryable`, and never the API key.
 * @module
 */

const marker = Symbol.for('loopguard.error');

/** Context every loopguard error carries. */
export interface LoopguardErrorOptions {
  /** HTTP status, when the error is an HTTP answer. */
  status?: number | undefined;
  /** A stable machine-readable code, e.g. `rate_limit_exceeded`. */
  code?: string | undefined;
  /** The error type as the server names it, e.g. `billing_error`. */
  type?: string | undefined;
  /** The request id from the response headers, when any. */
  requestId?: string | undefined;
  /** Whether retrying the same request may succeed. */
  retryable?: boolean | undefined;
  /** Milliseconds the server asked us to wait before retrying (`retry-after-ms` / `retry-after`). */
  retryAfterMs?: number | undefined;
  /** A stop reason this error should end an agent run with, instead of failing it (e.g. `budget_exceeded`). */
  stopReason?: string | undefined;
  cause?: unknown;
}

/** Base class of every error loopguard throws. Use `isLoopguardError()` to test across package copies. */
export class LoopguardError extends Error {
  override name = 'LoopguardError';
  readonly status: number | undefined;
  readonly code: string;
  readonly type: string | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** When set, an agent run ends with this stop reason instead of rejecting. */
  readonly stopReason: string | undefined;
  readonly [marker] = true;

  constructor(message: string, options: LoopguardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.code = options.code ?? 'loopguard_error';
    this.type = options.type;
    this.requestId = options.requestId;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.stopReason = options.stopReason;
  }
}

/** True when `value` is a loopguard error, even one from another copy of the package. */
export function isLoopguardError(value: unknown): value is LoopguardError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}

/** An HTTP error answer from the gateway. Subclasses name each code of the error table. */
export class APIError extends LoopguardError {
  override name = 'APIError';
  declare readonly status: number;
}

/** 400 `invalid_request`: the request is wrong; not retried. */
export class InvalidRequestError extends APIError {
  override name = 'InvalidRequestError';
}

/** 401 `invalid_api_key`: the key is invalid, disabled or deleted; not retried. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}

/** 402 `insufficient_credits`: the balance is too low. Ends an agent run with `budget_exceeded`; not retried. */
export class InsufficientCreditsError extends APIError {
  override name = 'InsufficientCreditsError';
}

/** 403 `ip_not_allowed`: the caller's IP is not in the key's allowlist; not retried. */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}

/** 404 `model_not_found` / `task_not_found` (or an unknown route); not retried. */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}

/** 429 `rate_limit_exceeded`: retried honouring `retry-after`; thrown once retries run out. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
}

/** 429 `spend_limit_exceeded`: the key's hourly/daily/total limit is reached. Ends a run with `budget_exceeded`; never retried. */
export class SpendLimitError extends APIError {
  override name = 'SpendLimitError';
}

/** 500 `internal_error` (and other 5xx without a closer class); retried. */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

/** 503 `upstream_error`: the upstream provider failed (credits are refunded); retried. */
export class UpstreamError extends APIError {
  override name = 'UpstreamError';
}

/** The connection failed or was reset before a response was complete; retried. */
export class ConnectionError extends LoopguardError {
  override name = 'ConnectionError';
}

/**
 * A time limit passed; retried. `code`: `headers_timeout` (no headers within `headersTimeoutMs`),
 * `idle_timeout` (a begun stream silent for `idleTimeoutMs`), `timeout` (the attempt past `timeoutMs`).
 */
export class TimeoutError extends LoopguardError {
  override name = 'TimeoutError';
}

/** A stream was truncated, malformed, or carried an `error` event; retried when nothing was handed on yet. */
export class StreamError extends LoopguardError {
  override name = 'StreamError';
}

/** A 2xx response whose body is not a message (not JSON, or the wrong shape); not retried. */
export class InvalidResponseError extends LoopguardError {
  override name = 'InvalidResponseError';
}

/** The caller aborted the request through its `AbortSignal` or `abort()`; never retried. */
export class AbortedError extends LoopguardError {
  override name = 'AbortedError';
}

/** Bad configuration or arguments, caught before any request. The message names the field. */
export class ConfigurationError extends LoopguardError {
  override name = 'ConfigurationError';
}

/** The request's estimated input is larger than the model's context window; refused locally. */
export class ContextWindowError extends LoopguardError {
  override name = 'ContextWindowError';
}
