/**
 * Growing and copying the byte buffers the SSE byte path reuses (a pending event, a carried line, an event's
 * data, kept text): `withRoom` doubles a buffer that is too small, `copyBytes` copies a range into one.
 * @module
 */

/** The smallest buffer `withRoom` makes. */
const MIN_CAPACITY = 256;
/** Ranges up to this long are copied by a loop: cheaper than the view a `set` of a subarray needs. */
const SHORT_COPY = 64;

/** `buffer` with room for `needed` bytes, its first `used` kept: itself, or a copy twice as large. */
export function withRoom(buffer: Uint8Array, used: number, needed: number): Uint8Array {
  if (needed <= buffer.length) return buffer;
  const grown = new Uint8Array(Math.max(MIN_CAPACITY, needed * 2));
  grown.set(buffer.subarray(0, used));
  return grown;
}

/** Copies `from[start, end)` into `into` at `at` (which has room). */
export function copyBytes(from: Uint8Array, start: number, end: number, into: Uint8Array, at: number): void {
  if (end - start > SHORT_COPY) {
    into.set(from.subarray(start, end), at);
    return;
  }
  for (let i = start, j = at; i < end; i += 1, j += 1) into[j] = from[i] as number;
}
