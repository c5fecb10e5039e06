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
      const fromBytes = emptyPlainDelta();
      const fromText = emptyPlainDelta();
      const tookBytes = reader.read(bytes, start, end, fromBytes);
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
    expect(reader.read(bytes, 0, bytes.length, into)).toBe(true);
    const decoder = new TextDecoder();
    expect(plainDeltaValue(into)).toBe((JSON.parse(decoder.decode(bytes)) as { delta: { text: string } }).delta.text);
    expect(plainDeltaValue(into)).toBe('\ufffdA\ufffd\ufffd');
  });

  it('Should read a whole event only in the forms servers send, and then as read would read its data', () => {
    const reader = createPlainDeltaBytesReader();
    const forms: Array<[(data: string) => string, boolean]> = [
      [(data) => `event: content_block_delta\ndata: ${data}\n\n`, true],
      [(data) => `event:any name ✓\ndata:${data}\n\n`, true],
      [(data) => `data: ${data}\n\n`, true],
      [(data) => `event: e\r\ndata: ${data}\n\n`, false],
      [(data) => `event: e\ndata: ${data}\r\n\r\n`, false],
      [(data) => `event: e\ndata: ${data}\n\r`, false],
      [(data) => `event: e\ndata: ${data}\nid: 1\n\n`, false],
      [(data) => `event: e\ndata: ${data}\ndata: more\n\n`, false],
      [(data) => `: comment\ndata: ${data}\n\n`, false],
      [(data) => `data:  ${data}\n\n`, false],
      [(data) => `event: e\ndata: ${data}\n`, false],
      [(data) => `event: e\ndata: ${data}`, false],
      [(data) => `id: 1\ndata: ${data}\n\n`, false],
    ];
    let taken = 0;
    for (const data of allData()) {
      const read = emptyPlainDelta();
      const dataBytes = encoder.encode(data);
      const readable = reader.read(dataBytes, 0, dataBytes.length, read);
      const readValue = readable ? plainDeltaValue(read) : undefined;
      for (const [form, whole] of forms) {
        const event = encoder.encode(form(data));
        // In a chunk with bytes before and after: the reader must start and stop where it is told.
        const bytes = Uint8Array.from([0x7b, ...event, 0x22, 0x0a]);
        const into = emptyPlainDelta();
        const end = reader.readEvent(bytes, 1, 1 + event.length, into);
        if (!whole || !readable) {
          expect(end, `${form('D')} ${data}`).toBe(-1);
          continue;
        }
        taken += 1;
        expect(end, data).toBe(1 + event.length);
        expect({ index: into.index, type: into.type, value: plainDeltaValue(into) }).toEqual({
          index: read.index,
          type: read.type,
          value: readValue,
        });
      }
    }
    expect(taken).toBeGreaterThan(20);
  });
});
