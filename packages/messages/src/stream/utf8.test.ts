import { describe, expect, it } from 'vitest';
import { decodeUtf8, unfinishedTail } from './utf8.js';

/** The stream's own decoding of `bytes` between two ASCII quotes: what the slow path reads for a delta's string. */
function decodedInStream(bytes: number[]): string {
  const decoder = new TextDecoder('utf-8');
  const text = decoder.decode(Uint8Array.from([0x22, ...bytes, 0x22]), { stream: true }) + decoder.decode();
  return text.slice(1, -1);
}

/** Bytes around every boundary of UTF-8's byte classes: ASCII, continuation ranges, every kind of lead. */
const BYTES = [
  0x41, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf4, 0xf5,
];

/** Every sequence of one to three of `BYTES`. */
function* sequences(): Generator<number[]> {
  for (const a of BYTES) {
    yield [a];
    for (const b of BYTES) {
      yield [a, b];
      for (const c of BYTES) yield [a, b, c];
    }
  }
}

describe('decodeUtf8', () => {
  it('Should read a range as the stream decoder reads it between ASCII bytes, invalid bytes and a leading U+FEFF included', () => {
    for (const bytes of sequences()) {
      const padded = Uint8Array.from([0x7b, ...bytes, 0x7d]);
      expect(decodeUtf8(padded, 1, padded.length - 1), bytes.join(' ')).toBe(decodedInStream(bytes));
    }
    const bom = Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]);
    expect(decodeUtf8(bom, 0, 4)).toBe('\ufeffa');
  });
});

describe('unfinishedTail', () => {
  it('Should count exactly the bytes that decode to one U+FFFD alone and could still become a character', () => {
    for (const a of sequences()) {
      for (const b of [[0x80], [0xbf, 0x80], [0x41], [0xa0, 0x80, 0x80], [0x90, 0x80]]) {
        const tail = unfinishedTail(Uint8Array.from(a), 0, a.length);
        // Cut where `tail` says, the ends decode alone to what they decode to in the stream: U+FFFD for the tail.
        const kept = a.slice(0, a.length - tail);
        const fixed = [...kept, ...(tail > 0 ? [0xef, 0xbf, 0xbd] : []), ...b];
        expect(decodeUtf8(Uint8Array.from(fixed), 0, fixed.length), `${a} | ${b}`).toBe(
          decodedInStream(a) + decodedInStream(b),
        );
        expect(tail === 0 || decodedInStream(a).endsWith('\ufffd')).toBe(true);
      }
    }
  });

  it('Should look only inside the range it is given', () => {
    const bytes = Uint8Array.from([0xe2, 0x9c, 0x93, 0x41]);
    expect(unfinishedTail(bytes, 0, 2)).toBe(2);
    expect(unfinishedTail(bytes, 1, 3)).toBe(0);
    expect(unfinishedTail(bytes, 0, 3)).toBe(0);
    expect(unfinishedTail(bytes, 3, 3)).toBe(0);
  });
});
