/**
 * Reads how long a server asked us to wait: `retry-after-ms`, then `retry-after` in seconds or as an HTTP date.
 * @module
 */

/** The longest wait a server may ask for, in ms; longer requests are capped. @default 60_000 */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Milliseconds to wait before retrying, from the response headers; `undefined` when the server did not say. */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null) {
    const value = Number.parseFloat(milliseconds);
    if (Number.isFinite(value) && value >= 0) return Math.min(value, MAX_RETRY_AFTER_MS);
  }
  const retryAfter = headers.get('retry-after');
  if (retryAfter === null) return undefined;
  const seconds = Number(retryAfter.trim());
  if (retryAfter.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) {
    return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  }
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}
