/**
 * `LoopguardError`, the base of every error loopguard throws, and `isLoopguardError`. Every error has
 * `status`, `code`, `type`, `requestId` and `retryable`, and never the API key.
 * @module
 */
import type { LoopguardErrorCode } from './error-codes.js';

const marker = Symbol.for('loopguard.error');

/** Context every loopguard error carries. */
export interface LoopguardErrorOptions {
  /** HTTP status, when the error is an HTTP answer. */
  status?: number | undefined;
  /** A stable machine-readable code, e.g. `rate_limit_exceeded` (see `LoopguardErrorCode`). */
  code?: LoopguardErrorCode | undefined;
  /** The error type as the server names it, e.g. `billing_error`. */
  type?: string | undefined;
  /** The request id from the response headers, when any. */
  requestId?: string | undefined;
  /** Whether retrying the same request may succeed. */
  retryable?: boolean | undefined;
  /** Milliseconds the server asked us to wait before retrying (`retry-after-ms` / `retry-after`). */
  retryAfterMs?: number | undefined;
  /**
   * @deprecated An agent run decides its stop from the error's `code` (`stopReasonOfError` in @loopguard/tools);
   * kept so errors made for earlier versions still end runs as they did.
   */
  stopReason?: string | undefined;
  cause?: unknown;
}

/** Base class of every error loopguard throws. Use `isLoopguardError()` to test across package copies. */
export class LoopguardError extends Error {
  override name = 'LoopguardError';
  readonly status: number | undefined;
  readonly code: LoopguardErrorCode;
  readonly type: string | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** @deprecated See `LoopguardErrorOptions.stopReason`. */
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
