import { describe, expect, it } from 'vitest';
import { escapeLength, unescapeInto } from './json-string-bytes.js';

const encoder = new TextEncoder();

/** `JSON.parse` of the string literal whose content is `content`, or `undefined` when it throws. */
function parsed(content: string): string | undefined {
  try {
    return JSON.parse(`"${content}"`) as string;
  } catch {
    return undefined;
  }
}

/** The content read by `escapeLength` and `unescapeInto`: its string, or `undefined` when an escape is refused. */
function unescaped(content: string): string | undefined {
  const bytes = encoder.encode(content);
  for (let i = 0; i < bytes.length; i += 1) {
    if (bytes[i] !== 92) continue;
    const length = escapeLength(bytes, i, bytes.length);
    if (length === 0) return undefined;
    i += length - 1;
  }
  const into = new Uint8Array(bytes.length);
  return new TextDecoder().decode(into.subarray(0, unescapeInto(bytes, 0, bytes.length, into, 0)));
}

describe('escapeLength and unescapeInto', () => {
  it('Should read every escape JSON.parse reads, to the same string', () => {
    const contents = [
      'a \\"quoted\\" word',
      '\\\\ \\/ \\b \\f \\n \\r \\t',
      '\\u0041\\u00e9\\u00E9\\u2713\\uffff\\u0000\\u001f',
      'pair \\ud83d\\ude80 and \\uD83D\\uDE00 then ü ✓ 😀',
      '{\\"key\\": [1, 2], \\"note\\": \\"x\\\\y\\"}',
      '\\u0080\\u07ff\\u0800',
    ];
    for (const content of contents) {
      expect(parsed(content), content).toBeDefined();
      expect(unescaped(content), content).toBe(parsed(content));
    }
  });

  it('Should refuse what JSON.parse refuses, and a lone surrogate (valid JSON no UTF-8 can carry)', () => {
    for (const content of ['\\x41', '\\u12', '\\u12g4', '\\', 'ab\\', '\\U0041', '\\u']) {
      expect(parsed(content), content).toBeUndefined();
      expect(unescaped(content), content).toBeUndefined();
    }
    for (const content of ['\\ud800', '\\ud800x', '\\udc00', '\\ud83d\\u0041', '\\ude80\\ud83d', 'a\\ud83d\\n']) {
      expect(parsed(content), content).toBeDefined();
      expect(unescaped(content), content).toBeUndefined();
    }
  });

  it('Should not read an escape past the end it is given', () => {
    const bytes = encoder.encode('\\u0041\\n');
    expect(escapeLength(bytes, 0, 5)).toBe(0);
    expect(escapeLength(bytes, 0, 6)).toBe(6);
    expect(escapeLength(bytes, 6, 7)).toBe(0);
    expect(escapeLength(bytes, 6, 8)).toBe(2);
    const pair = encoder.encode('\\ud83d\\ude80');
    expect(escapeLength(pair, 0, 11)).toBe(0);
    expect(escapeLength(pair, 0, 12)).toBe(12);
  });
});
