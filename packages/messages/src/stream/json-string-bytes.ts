/**
 * The escapes of a JSON string read from its UTF-8 bytes: checking one, and writing a string's content with
 * its escapes undone, as UTF-8.
 * @module
 */
import { writeCodePoint } from './utf8.js';

const BACKSLASH = 92;
const U = 117;

/** The value of a hex digit's byte, or -1. */
function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  const lower = byte | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** The code unit of the `\uXXXX` whose backslash is at `bytes[at]`; -1 when its four hex digits are not all there before `end`. */
function unicodeEscape(bytes: Uint8Array, at: number, end: number): number {
  if (at + 6 > end || bytes[at + 1] !== U) return -1;
  let unit = 0;
  for (let i = at + 2; i < at + 6; i += 1) {
    const digit = hexValue(bytes[i] as number);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

/**
 * The length in bytes of the escape whose backslash is at `bytes[at]`, in a string whose content ends at
 * `end`: 2, 6, or 12 for a surrogate pair. 0 when it is not a valid JSON escape, or is a lone surrogate
 * (valid JSON, but no UTF-8 can carry it).
 */
export function escapeLength(bytes: Uint8Array, at: number, end: number): number {
  if (at + 1 >= end) return 0;
  switch (bytes[at + 1]) {
    case 34: // "
    case 92: // \
    case 47: // /
    case 98: // b
    case 102: // f
    case 110: // n
    case 114: // r
    case 116: // t
      return 2;
    case U:
      break;
    default:
      return 0;
  }
  const unit = unicodeEscape(bytes, at, end);
  if (unit < 0 || (unit >= 0xdc00 && unit <= 0xdfff)) return 0;
  if (unit < 0xd800 || unit > 0xdfff) return 6;
  if (bytes[at + 6] !== BACKSLASH) return 0;
  const low = unicodeEscape(bytes, at + 6, end);
  return low >= 0xdc00 && low <= 0xdfff ? 12 : 0;
}

/** The byte an escape letter stands for (`n` is a line feed); `"`, `\` and `/` stand for themselves. */
function escapedByte(letter: number): number {
  switch (letter) {
    case 98:
      return 8;
    case 102:
      return 12;
    case 110:
      return 10;
    case 114:
      return 13;
    case 116:
      return 9;
    default:
      return letter;
  }
}

/**
 * Writes the content `bytes[start, end)` of a JSON string with its escapes undone, as UTF-8, into `into` from
 * `at`, and returns where it ended. Room for `end - start` bytes is enough (no escape grows when undone); every
 * escape must be valid by `escapeLength`.
 */
export function unescapeInto(bytes: Uint8Array, start: number, end: number, into: Uint8Array, at: number): number {
  let out = at;
  let i = start;
  while (i < end) {
    const byte = bytes[i] as number;
    if (byte !== BACKSLASH) {
      into[out++] = byte;
      i += 1;
    } else if (bytes[i + 1] !== U) {
      into[out++] = escapedByte(bytes[i + 1] as number);
      i += 2;
    } else {
      const unit = unicodeEscape(bytes, i, end);
      if (unit >= 0xd800 && unit <= 0xdbff) {
        const low = unicodeEscape(bytes, i + 6, end);
        out = writeCodePoint(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00), into, out);
        i += 12;
      } else {
        out = writeCodePoint(unit, into, out);
        i += 6;
      }
    }
  }
  return out;
}
