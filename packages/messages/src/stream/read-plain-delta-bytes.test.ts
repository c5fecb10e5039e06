import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { emptyPlainDelta, plainDeltaValue, readPlainDelta } from './parse-delta-event.js';
import { createPlainDeltaBytesReader } from './read-plain-delta-bytes.js';

const encoder = new TextEncoder();
const plain = (deltaType: string, field: string, value: string, index = 0) =>
  JSON.stringify({ type: 'content_block_delta', index, delta: { type: deltaType, [field]: value } });
const raw = (deltaType: string, field: string, content: string, index: string | number = 0) =>
  `{"type":"content_block_delta","index":${index},"delta":{"type":"${deltaType}","${field}":"${content}"}}`;

/** Data that `readPlainDelta` takes, and data it leaves to JSON.parse, as text. */
const SAMPLES = [
  plain('text_delta', 'text', 'Hello'),
  plain('text_delta', 'text', ''),
  plain('text_delta', 'text', 'ünïcödé ✓ 🚀 and more', 12),
  plain('thinking_delta', 'thinking', 'weigh it } carefully }}', 3),
  plain('text_delta', 'text', 'x'.repeat(5000), 123_456_789),
  plain('input_json_delta', 'partial_json', '{"city": "Par', 1),
  plain('text_delta', 'text', 'a "quoted" word, a \\ backslash, a\nnew line, \u0007 and \t'),
  plain('thinking_delta', 'thinking', '\ufeffa byte order mark inside'),
  raw('text_delta', 'text', 'lone \\ud800 surrogate', 4),
  raw('text_delta', 'text', 'lone low \\udc00', 4),
  raw('thinking_delta', 'thinking', '\\u00e9\\ud83d\\ude80', 2),
  raw('text_delta', 'text', 'raw \u0007 control, no escape'),
  raw('text_delta', 'text', 'raw \u0007 control and \\n an escape'),
  raw('text_delta', 'text', 'bad \\x escape'),
  raw('text_delta', 'text', 'ab"c'),
  raw('text_delta', 'text', 'ends in a backslash\\'),
  raw('text_delta', 'text', 'abc', '00'),
  raw('text_delta', 'text', 'abc', '0123456789'),
  raw('text_delta', 'text', 'abc', ''),
  raw('text_delta', 'text', 'abc', '-1'),
  raw('text_delta', 'texts', 'abc'),
  raw('texT_delta', 'text', 'abc'),
  raw('input_json_delta', 'partial_json', '', 9),
  '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"abc"} }',
  '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"abc"}}}',
  '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"',
  '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}',
  '{"type":"content_block_delta","index":0,"delta":{"type":"te',
  '{"type":"content_block_delta","index":7',
  '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  '',
];

/** Every sample, then each cut short by one to five characters. */
function* allData(): Generator<string> {
  for (const sample of SAMPLES) {
    yield sample;
    for (let cut = 1; cut <= 5 && cut <= sample.length; cut += 1) yield sample.slice(0, -cut);
  }
}

describe('createPlainDeltaBytesReader', () => {
  it('Should take only data readPlainDelta takes, and read the same index, type and string from it', () => {
    const reader = createPlainDeltaBytesReader();
    let taken = 0;
    for (const data of allData()) {
      // Surrounded by other bytes, as in a chunk: the reader must stay inside the range it is given.
      const bytes = encoder.encode(`xx\\"}}\n${data}\n\\"}}yy`);
      const start = bytes.indexOf(10) + 1;
      const end = bytes.lastIndexOf(10);
      const text = Buffer.from(bytes).toString('latin1');
      const fromBytes = emptyPlainDelta();
      const fromText = emptyPlainDelta();
      const tookBytes = reader.read(bytes, text, start, end, fromBytes);
      const tookText = readPlainDelta(data, fromText);
      // The fast path must apply where it can: valid data with no lone surrogate (the first 8 samples, whole).
      if (SAMPLES.indexOf(data) >= 0 && SAMPLES.indexOf(data) < 8) expect(tookBytes, data).toBe(true);
      if (!tookBytes) continue;
      taken += 1;
      expect(tookText, data).toBe(true);
      expect({ index: fromBytes.index, type: fromBytes.type, value: plainDeltaValue(fromBytes) }, data).toEqual({
        index: fromText.index,
        type: fromText.type,
        value: fromText.value,
      });
    }
    expect(taken).toBeGreaterThan(10);
  });

  it('Should read a delta whose string holds invalid UTF-8 as the stream decoder reads it', () => {
    const reader = createPlainDeltaBytesReader();
    const head = encoder.encode('{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"');
    const bytes = Uint8Array.from([...head, 0xe2, 0x9c, 0x41, 0xff, 0xc3, ...encoder.encode('"}}')]);
    const into = emptyPlainDelta();
    expect(reader.read(bytes, Buffer.from(bytes).toString('latin1'), 0, bytes.length, into)).toBe(true);
    const decoder = new TextDecoder();
    expect(plainDeltaValue(into)).toBe((JSON.parse(decoder.decode(bytes)) as { delta: { text: string } }).delta.text);
    expect(plainDeltaValue(into)).toBe('\ufffdA\ufffd\ufffd');
  });

  it('Should find a backslash after strings without one, once it was looked for in the same text', () => {
    const reader = createPlainDeltaBytesReader();
    const events = [
      plain('text_delta', 'text', 'none'),
      plain('text_delta', 'text', 'one \\ here'),
      plain('text_delta', 'text', 'none again'),
    ];
    const joined = events.join('\n');
    const bytes = encoder.encode(joined);
    const text = Buffer.from(bytes).toString('latin1');
    let start = 0;
    for (const data of events) {
      const into = emptyPlainDelta();
      expect(reader.read(bytes, text, start, start + data.length, into)).toBe(true);
      expect(plainDeltaValue(into)).toBe((JSON.parse(data) as { delta: { text: string } }).delta.text);
      start += data.length + 1;
    }
    // Read again from the start of the same text: the remembered search must not hide the backslash.
    const into = emptyPlainDelta();
    const second = events[1] as string;
    const at = joined.indexOf(second);
    expect(reader.read(bytes, text, at, at + second.length, into)).toBe(true);
    expect(into.escaped).toBe(true);
  });
});
