/**
 * Stores a finished block's text at one byte per character when every character fits in one.
 *
 * V8 keeps a string at two bytes per character when any piece it was joined from was two-byte, and a
 * piece sliced from decoded stream text is two-byte whenever anything else in its network chunk was (an
 * emoji or a `—` in the next block is enough). A thinking block whose last chunk reached into the text
 * after it was kept at twice its size: in a transcript that is memory held for the whole run, and first
 * touches of fresh memory cost more than decoding the stream.
 * @module
 */
import { Buffer } from 'node:buffer';

/** Any character that needs more than one byte (above U+00FF). */
const BEYOND_LATIN1 = /[\u0100-\uffff]/;
/** Shorter strings are left as they are: the copy would cost more than it saves. */
const MIN_LENGTH = 64;

/**
 * The same text, as a one-byte string when every character is at most U+00FF; otherwise (or when shorter
 * than 64 characters) `text` itself. Equal to `text` either way.
 */
export function compactString(text: string): string {
  if (text.length < MIN_LENGTH || BEYOND_LATIN1.test(text)) return text;
  return Buffer.from(text, 'latin1').toString('latin1');
}
