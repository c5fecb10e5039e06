/**
 * `UpstreamError` and `isUpstreamError`.
 * @module
 */
import { APIError } from './api-error.js';

const marker = Symbol.for('loopguard.error.UpstreamError');

/** 503 `upstream_error`: the upstream provider failed (credits are refunded); retried. */
export class UpstreamError extends APIError {
  override name = 'UpstreamError';
  readonly [marker] = true;
}

/** True when `value` is an `UpstreamError` (or a subclass), even one from another copy of the package. */
export function isUpstreamError(value: unknown): value is UpstreamError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
