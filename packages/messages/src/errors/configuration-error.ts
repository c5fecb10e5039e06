/**
 * `ConfigurationError` and `isConfigurationError`.
 * @module
 */
import { LoopguardError } from './loopguard-error.js';

const marker = Symbol.for('loopguard.error.ConfigurationError');

/** Bad configuration or arguments, caught before any request. The message names the field. */
export class ConfigurationError extends LoopguardError {
  override name = 'ConfigurationError';
  readonly [marker] = true;
}

/** True when `value` is a `ConfigurationError` (or a subclass), even one from another copy of the package. */
export function isConfigurationError(value: unknown): value is ConfigurationError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
