/**
 * Removes a secret from text before it can reach an error message, a log line or an event.
 * @module
 */

/** The text a secret is replaced with. */
export const REDACTED = '[redacted]';

/** `text` with every occurrence of `secret` (and of any `sk-…` key) replaced by `[redacted]`. */
export function redactSecret(text: string, secret: string | undefined): string {
  let result = text;
  if (secret !== undefined && secret.length > 0) result = result.split(secret).join(REDACTED);
  return result.replace(/\bsk-[A-Za-z0-9_-]{4,}/g, REDACTED);
}
