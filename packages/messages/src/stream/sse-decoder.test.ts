import { describe, expect, it } from 'vitest';
import { createSseDecoder, type SseEvent } from './sse-decoder.js';

function decodeChunks(chunks: Array<Uint8Array | string>): {
  events: SseEvent[];
  comments: string[];
  truncated: boolean;
} {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const decoder = createSseDecoder({ onEvent: (event) => events.push(event), onComment: (c) => comments.push(c) });
  for (const chunk of chunks) decoder.feed(chunk);
  const truncated = decoder.end();
  return { events, comments, truncated };
}

function bytesOneByOne(text: string): Uint8Array[] {
  return [...new TextEncoder().encode(text)].map((byte) => Uint8Array.of(byte));
}

describe('createSseDecoder', () => {
  const stream = 'event: message_start\ndata: {"a":1}\n\n: keep-alive\nevent: ping\ndata: {}\n\n';

  it('Should decode the same events whatever the chunking, down to one byte at a time', () => {
    const whole = decodeChunks([stream]);
    const bytewise = decodeChunks(bytesOneByOne(stream));
    expect(whole.events).toEqual([
      { event: 'message_start', data: '{"a":1}', id: undefined },
      { event: 'ping', data: '{}', id: undefined },
    ]);
    expect(bytewise.events).toEqual(whole.events);
    expect(whole.comments).toEqual(['keep-alive']);
  });

  it('Should keep a multi-byte UTF-8 character split across chunks whole', () => {
    const text = 'data: {"text":"naïve 😀 日本"}\n\n';
    const bytes = new TextEncoder().encode(text);
    const emojiStart = bytes.indexOf(0xf0);
    const { events } = decodeChunks([bytes.slice(0, emojiStart + 2), bytes.slice(emojiStart + 2)]);
    expect(JSON.parse(events[0]?.data ?? '')).toEqual({ text: 'naïve 😀 日本' });
    expect(decodeChunks(bytesOneByOne(text)).events).toEqual(events);
  });

  it('Should accept CRLF, CR and LF line ends, including a CRLF split between chunks', () => {
    const crlf = decodeChunks(['event: a\r', '\ndata: 1\r\n\r', '\n']);
    const cr = decodeChunks(['event: a\rdata: 1\r\r']);
    const lf = decodeChunks(['event: a\ndata: 1\n\n']);
    expect(crlf.events).toEqual([{ event: 'a', data: '1', id: undefined }]);
    expect(cr.events).toEqual(crlf.events);
    expect(lf.events).toEqual(crlf.events);
  });

  it('Should decode mixed line ends the same at every split point and every chunk size', () => {
    const mixed =
      'event: a\r\ndata: first ✓\r\ndata: second\r\n\r\n' +
      ': note\rid: 7\revent: b\rdata: {"x":"ünï"}\r\r' +
      'data: lf only\n\n' +
      'event: c\r\ndata: crlf then lf\n\r\n' +
      'data:no space\rdata:  two spaces\n\n';
    const whole = decodeChunks([mixed]);
    expect(whole.events.map((event) => event.data)).toEqual([
      'first ✓\nsecond',
      '{"x":"ünï"}',
      'lf only',
      'crlf then lf',
      'no space\n two spaces',
    ]);
    expect(whole.events.map((event) => event.event)).toEqual(['a', 'b', undefined, 'c', undefined]);
    expect(whole.events[1]?.id).toBe('7');
    for (let at = 1; at < mixed.length; at += 1) {
      expect(decodeChunks([mixed.slice(0, at), mixed.slice(at)]).events, `split at ${at}`).toEqual(whole.events);
    }
    for (let size = 1; size <= 40; size += 1) {
      const chunks: string[] = [];
      for (let i = 0; i < mixed.length; i += size) chunks.push(mixed.slice(i, i + size));
      const decoded = decodeChunks(chunks);
      expect(decoded.events, `chunks of ${size}`).toEqual(whole.events);
      expect(decoded.comments).toEqual(['note']);
    }
  });

  it('Should decode bytes in tiny and large chunks alike, a character split anywhere between them', () => {
    const lines = Array.from(
      { length: 200 },
      (_, i) => `event: e${i}\ndata: {"n":${i},"t":"naïve 😀 日本 ${'z'.repeat(i)}"}\n\n`,
    );
    const bytes = new TextEncoder().encode(lines.join(''));
    const whole = decodeChunks([bytes]);
    expect(whole.events).toHaveLength(200);
    const sizes = [1, 3, 700, 2, 5, 1500, 7, 300, 257, 256, 4];
    const chunks: Uint8Array[] = [];
    for (let i = 0, k = 0; i < bytes.length; k += 1) {
      const size = sizes[k % sizes.length] as number;
      chunks.push(bytes.subarray(i, i + size));
      i += size;
    }
    expect(decodeChunks(chunks).events).toEqual(whole.events);
    expect(JSON.parse(whole.events[199]?.data ?? '')).toEqual({ n: 199, t: `naïve 😀 日本 ${'z'.repeat(199)}` });
  });

  it('Should join multi-line data with newlines and strip exactly one leading space', () => {
    const { events } = decodeChunks(['data: line one\ndata:line two\ndata:  indented\n\n']);
    expect(events[0]?.data).toBe('line one\nline two\n indented');
  });

  it('Should report a stream that ends in the middle of an event as truncated', () => {
    expect(decodeChunks(['event: message_stop\ndata: {"type":"message_stop"}']).truncated).toBe(true);
    expect(decodeChunks(['data: {}\n\n']).truncated).toBe(false);
  });

  it('Should not dispatch an event without data', () => {
    expect(decodeChunks(['event: lonely\n\n']).events).toEqual([]);
  });

  it('Should suggest the fix when called without onEvent', () => {
    expect(() => createSseDecoder({} as never)).toThrow(/createSseDecoder\(\{ onEvent: fn \}\)/);
  });
});
