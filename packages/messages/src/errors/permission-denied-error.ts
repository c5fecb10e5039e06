/**
 * `PermissionDeniedError` and `isPermissionDeniedError`.
 * @module
 */
import { APIError } from './api-error.js';

const marker = Symbol.for('loopguard.error.PermissionDeniedError');

/** 403 `ip_not_allowed`: the caller's IP is not in the key's allowlist; not retried. */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
  readonly [marker] = true;
}

/** True when `value` is a `PermissionDeniedError` (or a subclass), even one from another copy of the package. */
export function isPermissionDeniedError(value: unknown): value is PermissionDeniedError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
