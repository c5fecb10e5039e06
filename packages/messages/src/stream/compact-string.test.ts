import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { compactString } from './compact-string.js';

/** True when V8 stores `text` one byte per character (its serializer tags such strings `"`). */
function isOneByte(text: string): boolean {
  return serialize(text)[2] === 0x22;
}

describe('compactString', () => {
  it('Should store Latin-1 text cut from two-byte text one byte per character, unchanged', () => {
    const latin1 = `plain ascii, then ünïcödé, ÿ, \u0080 and \u00ff: ${'x'.repeat(80)}`;
    const twoByte = `${latin1}✓`.slice(0, latin1.length);
    expect(isOneByte(twoByte)).toBe(false);
    const compact = compactString(twoByte);
    expect(compact).toBe(latin1);
    expect(isOneByte(compact)).toBe(true);
  });

  it('Should return text with a character above U+00FF, or shorter than 64 characters, as it is', () => {
    const wide = `${'a'.repeat(100)} — ✓ 😀`;
    expect(compactString(wide)).toBe(wide);
    const short = 'short ✓'.slice(0, 5);
    expect(compactString(short)).toBe(short);
    expect(isOneByte(compactString(short))).toBe(false);
  });
});
