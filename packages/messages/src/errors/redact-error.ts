/**
 * `redactError(error, secret)`: scrubs a secret from every string of an error a server could have put there
 * — `message`, `code`, `type`, `requestId`, `stack`, and any other string field of its own (an HTTP
 * parser's error quotes the bytes it refused in `data`) — and from each error of its `cause` chain, in place.
 * The client runs every failure through it, so a server that echoes the key in `error.code`, a header or an
 * SSE `error` event cannot get it into an error, a log line or a middleware context.
 * @module
 */
import { redactSecret } from './redact-secret.js';

/** Fields of an error that may carry text a server wrote, own or inherited; every own string field is read too. */
const TEXT_FIELDS = ['message', 'code', 'type', 'requestId', 'stack'] as const;

/** The names of the fields to scrub: the known ones and every own data field but `cause` (followed apart). */
function fieldsOf(record: object): Set<string> {
  const own = Object.getOwnPropertyNames(record).filter(
    (name) => name !== 'cause' && 'value' in (Object.getOwnPropertyDescriptor(record, name) ?? {}),
  );
  return new Set<string>([...TEXT_FIELDS, ...own]);
}

/** Errors followed down a `cause` chain at most; a deeper chain is cut (its tail is dropped). @default 16 */
export const MAX_CAUSE_DEPTH = 16;

/** True when `text` still holds the secret or anything shaped like an `sk-` key. */
function holdsSecret(text: string, secret: string | undefined): boolean {
  return (secret !== undefined && secret.length > 0 && text.includes(secret)) || /\bsk-[A-Za-z0-9_-]{4,}/.test(text);
}

/** Replaces an own field even when it is read-only (error fields are declared `readonly`). */
function overwrite(target: object, field: string, value: unknown): void {
  Object.defineProperty(target, field, { value, writable: true, configurable: true, enumerable: true });
}

/**
 * Returns `error` with `secret` (and any `sk-…` key) replaced by `[redacted]` in its text fields and in
 * the text fields of each error of its `cause` chain (up to {@link MAX_CAUSE_DEPTH}). A cause that is a
 * string is redacted too. Changes the errors in place; a value that is not an object is returned as is.
 */
export function redactError<T>(error: T, secret: string | undefined): T {
  const seen = new Set<object>();
  let current: unknown = error;
  for (let depth = 0; typeof current === 'object' && current !== null && !seen.has(current); depth += 1) {
    seen.add(current);
    const record = current as Record<string, unknown>;
    for (const field of fieldsOf(record)) {
      const value = record[field];
      if (typeof value === 'string' && holdsSecret(value, secret)) {
        // `stack` is an accessor on some errors: an own data field replaces it.
        overwrite(record, field, redactSecret(value, secret));
      }
    }
    const cause = record.cause;
    if (depth + 1 >= MAX_CAUSE_DEPTH) {
      if (cause !== undefined) overwrite(record, 'cause', undefined);
      break;
    }
    if (typeof cause === 'string' && holdsSecret(cause, secret))
      overwrite(record, 'cause', redactSecret(cause, secret));
    current = cause;
  }
  return error;
}
