import { describe, expect, it } from 'vitest';
import { createSseByteDecoder } from './sse-byte-decoder.js';
import { createSseDecoder } from './sse-decoder.js';

const encoder = new TextEncoder();

interface Decoded {
  events: Array<{ name: string | undefined; data: string }>;
  truncated: boolean;
}

/** The byte decoder's events, its data decoded. */
function byBytes(chunks: Uint8Array[]): Decoded {
  const events: Decoded['events'] = [];
  const decoder = createSseByteDecoder({
    onEvent: (name, bytes, start, end) => {
      events.push({ name, data: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(start, end)) });
    },
  });
  for (const chunk of chunks) decoder.feed(chunk);
  return { events, truncated: decoder.end() };
}

/**
 * The byte decoder's events with a `readEvent` that reads, itself, each event that is one `data: h…` line and a
 * blank line, LF-ended (as the plain-delta reader reads plain deltas): the events must be the same.
 */
function byBytesAndReader(chunks: Uint8Array[]): Decoded {
  const events: Decoded['events'] = [];
  const prefix = encoder.encode('data: h');
  const decoder = createSseByteDecoder({
    onEvent: (name, bytes, start, end) => {
      events.push({ name, data: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(start, end)) });
    },
    readEvent: (bytes, start, limit) => {
      if (prefix.some((byte, i) => bytes[start + i] !== byte)) return -1;
      let end = start + prefix.length;
      while (end < limit && bytes[end] !== 10 && bytes[end] !== 13) end += 1;
      if (end + 1 >= limit || bytes[end] !== 10 || bytes[end + 1] !== 10) return -1;
      const data = bytes.subarray(start + 6, end);
      events.push({ name: undefined, data: new TextDecoder('utf-8', { ignoreBOM: true }).decode(data) });
      return end + 2;
    },
  });
  for (const chunk of chunks) decoder.feed(chunk);
  return { events, truncated: decoder.end() };
}

/** The string decoder's events for the same chunks: what the byte decoder must match. */
function byText(chunks: Uint8Array[]): Decoded {
  const events: Decoded['events'] = [];
  const decoder = createSseDecoder({ onEvent: ({ event, data }) => events.push({ name: event, data }) });
  for (const chunk of chunks) decoder.feed(chunk);
  return { events, truncated: decoder.end() };
}

/** `bytes` cut into chunks of the sizes given in turn (views: the decoder must not keep them past `feed`). */
function cut(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0, k = 0; at < bytes.length; k += 1) {
    const size = sizes[k % sizes.length] as number;
    chunks.push(bytes.slice(at, at + size));
    at += size;
  }
  return chunks;
}

const MIXED =
  'event: a\r\ndata: first ✓\r\ndata: second\r\n\r\n' +
  ': note\rid: 7\revent: b\rdata: {"x":"ünï"}\r\r' +
  'data: lf only\n\n' +
  'event: c\r\ndata: crlf then lf\n\r\n' +
  'data:no space\rdata:  two spaces\n\n' +
  'data\nevent\ndata:\n\n' +
  'retry: 10\nunknown: x\nevent: ping\n\n' +
  'event: ünïcödé name\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"😀 日本"}}\n\n' +
  'event: content_block_delta\ndata: after a name seen before\n\n' +
  'event: content_block_delta\ndata: ends without a blank line';

/** Streams with every kind of line, and bytes that are not UTF-8 (cut anywhere, they must read the same). */
function streams(): Uint8Array[] {
  const invalid = Uint8Array.from([
    ...encoder.encode('data: bad '),
    0xe2,
    0x9c,
    0x0a,
    ...encoder.encode('data: more '),
    0xff,
    0xc3,
    0x0a,
    0x0a,
  ]);
  return [
    encoder.encode(MIXED),
    Uint8Array.from([0xef, 0xbb, 0xbf, ...encoder.encode('data: after a byte order mark\n\n')]),
    Uint8Array.from([0xef, 0xbb, ...encoder.encode('data: half a mark\n\n')]),
    encoder.encode('\ufeff\ufeffdata: two marks, the second kept\n\n'),
    invalid,
    encoder.encode(`data: ${'long line '.repeat(300)}\n\n`),
    encoder.encode(
      'data: h1\n\n: note\ndata: h2 ✓\n\ndata: h3\ndata: h4\n\nevent: x\ndata: h5\n\nid: 1\ndata: h6\n\n' +
        'data: h7\r\n\r\ndata: h8\n\r\ndata: h9\n\n\ndata: h10\n\ndata: other\n\ndata: h11\n\ndata: h12',
    ),
  ];
}

describe('createSseByteDecoder', () => {
  it('Should read what the text decoder reads, cut in two at every byte', () => {
    for (const bytes of streams()) {
      const want = byText([bytes]);
      expect(byBytes([bytes])).toEqual(want);
      for (let at = 0; at <= bytes.length; at += 1) {
        const chunks = [bytes.slice(0, at), bytes.slice(at)];
        expect(byBytes(chunks), `cut at ${at}`).toEqual(want);
        expect(byBytesAndReader(chunks), `cut at ${at}, with readEvent`).toEqual(want);
      }
    }
  });

  it('Should read what the text decoder reads in chunks of every size, small and large, and mixed', () => {
    for (const bytes of streams()) {
      const want = byText([bytes]);
      for (let size = 1; size <= 80; size += 1) {
        expect(byBytes(cut(bytes, [size])), `size ${size}`).toEqual(want);
        expect(byBytesAndReader(cut(bytes, [size])), `size ${size}, with readEvent`).toEqual(want);
      }
      for (const sizes of [[1, 3, 700, 2, 5, 1500, 7, 300, 65, 64, 4], [0, 63, 0, 1], [2048]]) {
        expect(
          byBytes(
            cut(
              bytes,
              sizes.map((size) => size || 1),
            ),
          ),
          String(sizes),
        ).toEqual(want);
      }
    }
    expect(byText([encoder.encode(MIXED)]).truncated).toBe(true);
  });

  it('Should treat an empty chunk as nothing, between a CR and its LF too', () => {
    const bytes = encoder.encode('event: a\r\ndata: 1\r\n\r\n');
    const want = byText([bytes]);
    const at = bytes.indexOf(13) + 1;
    expect(byBytes([bytes.slice(0, at), new Uint8Array(0), bytes.slice(at)])).toEqual(want);
    expect(byBytes([new Uint8Array(0), bytes, new Uint8Array(0)])).toEqual(want);
  });

  it('Should hand over data from a chunk the caller reuses as it was, the event cut between chunks', () => {
    for (const [head, tail] of [
      ['event: e\ndata: {"cut":', '"here"}\n\n'],
      ['event: e\ndata: {"cut":"here"}\n', '\n'],
      ['event: e\ndata: {"cut":"here"}\ndata: {"and":1}\n', '\n'],
    ] as const) {
      const buffer = new Uint8Array(64);
      const events: string[] = [];
      const decoder = createSseByteDecoder({
        onEvent: (_name, bytes, start, end) => events.push(new TextDecoder().decode(bytes.subarray(start, end))),
      });
      buffer.set(encoder.encode(head));
      decoder.feed(buffer.subarray(0, head.length));
      buffer.fill(0x78); // the caller reads the next chunk into the same memory
      buffer.set(encoder.encode(tail));
      decoder.feed(buffer.subarray(0, tail.length));
      expect(events).toEqual([head.includes('and') ? '{"cut":"here"}\n{"and":1}' : '{"cut":"here"}']);
    }
  });
});
