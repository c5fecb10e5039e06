/**
 * `RedirectError`: the server answered with a redirect the client will not follow — to another origin
 * (credentials would go with it), or of a kind that would change the request (301/302/303 turn a POST
 * into a GET). Not retried.
 * @module
 */
import { LoopguardError } from './loopguard-error.js';

const marker = Symbol.for('loopguard.error.RedirectError');

/** A redirect the client refused; `status` is the 3xx, `code` is `redirect_refused`. Never retried. */
export class RedirectError extends LoopguardError {
  override name = 'RedirectError';
  readonly [marker] = true;
}

/** True when `value` is a `RedirectError`, even one from another copy of the package. */
export function isRedirectError(value: unknown): value is RedirectError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
