import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../internal/seeded-random.js';
import { KeptText } from './kept-text.js';

const encoder = new TextEncoder();

/** The seeded generator: the same sequence on every run. */
const random = createSeededRandom;

/** What the stream's decoder reads for `bytes` between two quotes. */
function decodedInStream(bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8');
  return (decoder.decode(Uint8Array.from([0x22, ...bytes, 0x22]), { stream: true }) + decoder.decode()).slice(1, -1);
}

const WORDS = ['plain ', 'ünï ', '— ✓ ', '😀', '\ud83d', '\ude80', 'x', '"q"', '\\', '\n', '\u0000'];
/** Bytes no valid text has, and the parts of characters a chunk boundary can leave. */
const RAW = [[0xe2, 0x9c], [0x9c, 0x93], [0xf0, 0x9f], [0x98, 0x80], [0xc3], [0xa9], [0xff], [0xed, 0xa0, 0x80]];

describe('KeptText', () => {
  it('Should give back what was added, strings, raw bytes and escaped JSON in any mix, as one flat string', () => {
    const next = random(19);
    for (let round = 0; round < 300; round += 1) {
      const kept = new KeptText();
      let want = '';
      for (let step = Math.floor(next() * 12); step > 0; step -= 1) {
        const text = Array.from(
          { length: Math.floor(next() * 4) },
          () => WORDS[Math.floor(next() * WORDS.length)],
        ).join('');
        const kind = Math.floor(next() * 3);
        if (kind === 0) {
          kept.push(text);
          want += text;
        } else if (kind === 1) {
          // Raw bytes, with a piece of a character or an invalid byte at either end or both.
          const raw = RAW[Math.floor(next() * RAW.length)] as number[];
          const bytes = Uint8Array.from(
            next() < 0.5
              ? [...raw, ...encoder.encode(text.replace(/[\ud800-\udfff]/g, ''))]
              : [...encoder.encode(text.replace(/[\ud800-\udfff]/g, '')), ...raw],
          );
          const padded = Uint8Array.from([0x7b, ...bytes, 0x7d]);
          kept.pushUtf8(padded, 1, padded.length - 1, next() < 0.5 ? new DataView(padded.buffer) : undefined);
          want += decodedInStream(bytes);
        } else {
          const literal = JSON.stringify(text.replace(/[\ud800-\udfff]/g, '?'));
          const bytes = encoder.encode(literal);
          kept.pushJsonContent(bytes, 1, bytes.length - 1);
          want += JSON.parse(literal) as string;
        }
      }
      expect(kept.join(), `round ${round}`).toBe(want);
    }
  });

  it('Should keep a lone surrogate added as a string, with the text before and after it', () => {
    const kept = new KeptText();
    kept.push('before ');
    kept.pushUtf8(encoder.encode('bytes ✓ '), 0, 10);
    kept.push('lone \ud800 ');
    kept.push('after');
    kept.push('\udc00');
    kept.pushUtf8(encoder.encode(' end'), 0, 4);
    expect(kept.join()).toBe('before bytes ✓ lone \ud800 after\udc00 end');
  });

  it('Should store text one byte per character when every character fits in one', () => {
    const kept = new KeptText();
    for (let i = 0; i < 100; i += 1) kept.pushUtf8(encoder.encode('ünïcödé, plain '), 0, 19);
    kept.push('ÿ');
    const text = kept.join();
    expect(text).toBe(`${'ünïcödé, plain '.repeat(100)}ÿ`);
    expect(serialize(text)[2]).toBe(0x22); // V8's tag for a one-byte string
  });

  it('Should hand over its buffer on release and start empty, a new KeptText filling that buffer afresh', () => {
    const first = new KeptText();
    first.pushUtf8(new TextEncoder().encode('x'.repeat(1000)), 0, 1000);
    const buffer = first.release();
    expect(buffer.length).toBeGreaterThanOrEqual(1000);
    expect(first.join()).toBe('');
    const second = new KeptText(buffer);
    second.push('fresh');
    expect(second.join()).toBe('fresh');
  });
});
