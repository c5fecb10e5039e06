/**
 * UTF-8 for text kept as bytes: decoding a range exactly as the stream's own decoder would have decoded it,
 * writing a code point, and telling whether bytes end in the middle of a character.
 * @module
 */

import { Buffer } from 'node:buffer';

/**
 * Node's own UTF-8 decoding of a buffer's range: no view to make for it (cheaper than a `TextDecoder` for the
 * short strings of deltas), no state between calls, a leading U+FEFF kept (inside a stream it is a character
 * like any other), and invalid bytes replaced as the WHATWG decoder replaces them.
 */
const utf8Slice = Buffer.prototype.utf8Slice as (this: Uint8Array, start: number, end: number) => string;

/**
 * The text of `bytes[start, end)`. Invalid bytes become U+FFFD as the WHATWG decoder makes them, so a range
 * that starts and ends next to ASCII bytes reads as it does inside the stream decoded whole.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  return utf8Slice.call(bytes, start, end);
}

/**
 * How many bytes at the end of `bytes[start, end)` begin a character that is not finished there (0 to 3): a
 * valid first part of a multi-byte sequence. Decoded alone they are one U+FFFD; followed by more bytes they
 * might become a character, so such a range must not be joined to the next as it is.
 */
export function unfinishedTail(bytes: Uint8Array, start: number, end: number): number {
  let lead = end - 1;
  while (lead >= start && end - lead <= 3 && ((bytes[lead] as number) & 0xc0) === 0x80) lead -= 1;
  if (lead < start) return 0;
  const first = bytes[lead] as number;
  const needs =
    first >= 0xf0 && first <= 0xf4 ? 3 : first >= 0xe0 && first <= 0xef ? 2 : first >= 0xc2 && first <= 0xdf ? 1 : 0;
  const continuations = end - lead - 1;
  if (needs === 0 || continuations >= needs) return 0;
  if (continuations > 0) {
    // The second byte of these leads has a narrower range (no overlong forms, surrogates or code points
    // past U+10FFFF); outside it the decoder has already replaced them, and nothing after can change that.
    const second = bytes[lead + 1] as number;
    if (first === 0xe0 && second < 0xa0) return 0;
    if (first === 0xed && second > 0x9f) return 0;
    if (first === 0xf0 && second < 0x90) return 0;
    if (first === 0xf4 && second > 0x8f) return 0;
  }
  return continuations + 1;
}

/** Writes one code point (not a surrogate) as UTF-8 at `at`; returns where it ended. */
export function writeCodePoint(point: number, into: Uint8Array, at: number): number {
  let out = at;
  if (point < 0x80) {
    into[out++] = point;
  } else if (point < 0x800) {
    into[out++] = 0xc0 | (point >> 6);
    into[out++] = 0x80 | (point & 0x3f);
  } else if (point < 0x10000) {
    into[out++] = 0xe0 | (point >> 12);
    into[out++] = 0x80 | ((point >> 6) & 0x3f);
    into[out++] = 0x80 | (point & 0x3f);
  } else {
    into[out++] = 0xf0 | (point >> 18);
    into[out++] = 0x80 | ((point >> 12) & 0x3f);
    into[out++] = 0x80 | ((point >> 6) & 0x3f);
    into[out++] = 0x80 | (point & 0x3f);
  }
  return out;
}
