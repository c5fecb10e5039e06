/**
 * `AuthenticationError` and `isAuthenticationError`.
 * @module
 */
import { APIError } from './api-error.js';

const marker = Symbol.for('loopguard.error.AuthenticationError');

/** 401 `invalid_api_key`: the key is invalid, disabled or deleted; not retried. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
  readonly [marker] = true;
}

/** True when `value` is an `AuthenticationError` (or a subclass), even one from another copy of the package. */
export function isAuthenticationError(value: unknown): value is AuthenticationError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
