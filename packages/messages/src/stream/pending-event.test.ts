import { describe, expect, it } from 'vitest';
import { emptyPlainDelta, plainDeltaValue } from './parse-delta-event.js';
import { PendingEvent } from './pending-event.js';
import { readEventStream } from './read-event-stream.js';
import { createPlainDeltaBytesReader } from './read-plain-delta-bytes.js';
import { createSseByteDecoder } from './sse-byte-decoder.js';

const encoder = new TextEncoder();

function delta(type: string, field: string, value: string, index = 0): string {
  const data = JSON.stringify({ type: 'content_block_delta', index, delta: { type, [field]: value } });
  return `event: content_block_delta\ndata: ${data}\n\n`;
}

/** Plain deltas with escapes, surrogate pairs, multi-byte characters and no event name, between other events. */
const STREAM = encoder.encode(
  `event: ping\ndata: {"type":"ping"}\n\n${delta('text_delta', 'text', 'a "quoted" ünï\\ \n line 😀 日本')}` +
    `data: ${JSON.stringify({ type: 'content_block_delta', index: 1, delta: { type: 'thinking_delta', thinking: 'no name ✓' } })}\n\n` +
    delta('input_json_delta', 'partial_json', '{"k": "v\\u00e9"') +
    delta('text_delta', 'text', '\u2028 tab\t and \u0001'),
);

interface Read {
  /** What each event read to: `delta <index> <type> <string>`, or `event <name> <data>`. */
  events: string[];
  /** How many plain deltas the decoder's `readEvent` read (the rest came to `onEvent`). */
  readWhole: number;
}

/** The events of `chunks` as the client's decoder and plain-delta reader read them. */
function read(chunks: Uint8Array[]): Read {
  const events: string[] = [];
  let readWhole = 0;
  const plain = emptyPlainDelta();
  const reader = createPlainDeltaBytesReader();
  const decoder = createSseByteDecoder({
    onEvent: (name, bytes, start, end) => {
      if (reader.read(bytes, start, end, plain)) {
        events.push(`delta ${plain.index} ${plain.type} ${plainDeltaValue(plain)}`);
      } else events.push(`event ${name} ${new TextDecoder().decode(bytes.subarray(start, end))}`);
    },
    readEvent: (bytes, start, limit) => {
      const end = reader.readEvent(bytes, start, limit, plain);
      if (end >= 0) {
        readWhole += 1;
        events.push(`delta ${plain.index} ${plain.type} ${plainDeltaValue(plain)}`);
      }
      return end;
    },
  });
  for (const chunk of chunks) decoder.feed(chunk);
  expect(decoder.end()).toBe(false);
  return { events, readWhole };
}

describe('PendingEvent', () => {
  it('Should find where an event ends: at its blank line, across chunks, and not past a CR', () => {
    const pending = new PendingEvent();
    expect(pending.endIn(encoder.encode('data: x\n\nmore'), 0)).toBe(9);
    expect(pending.endIn(encoder.encode('\ndata: x'), 0)).toBe(1);
    expect(pending.endIn(encoder.encode('data: x\n'), 0)).toBe(-1);
    expect(pending.endIn(encoder.encode('data: x\r\n\r\n'), 0)).toBe(-2);
    pending.add(encoder.encode('data: x\n'), 0, 8);
    expect(pending.endIn(encoder.encode('\nnext'), 0)).toBe(1);
    expect(Array.from(pending.take())).toEqual(Array.from(encoder.encode('data: x\n')));
    expect(pending.length).toBe(0);
  });

  it('Should read an event cut anywhere in two or three chunks whole, through readEvent, as it reads it uncut', () => {
    const want = read([STREAM]);
    expect(want.readWhole).toBe(4);
    for (let a = 0; a <= STREAM.length; a += 1) {
      expect(read([STREAM.slice(0, a), STREAM.slice(a)]), `cut at ${a}`).toEqual(want);
      for (let b = a; b <= STREAM.length; b += 3) {
        const chunks = [STREAM.slice(0, a), STREAM.slice(a, b), STREAM.slice(b)];
        expect(read(chunks), `cut at ${a} and ${b}`).toEqual(want);
      }
    }
  });

  it('Should read an event longer than it keeps whole, and CR-ended events, line by line as the same events', () => {
    const long = delta('text_delta', 'text', 'x'.repeat(70_000));
    const crlf = delta('text_delta', 'text', 'crlf').replaceAll('\n', '\r\n');
    const bytes = encoder.encode(`${long}${crlf}${delta('text_delta', 'text', 'after')}`);
    const want = read([bytes]);
    expect(want.events.map((event) => event.slice(0, 30))).toEqual([
      `delta 0 text_delta ${'x'.repeat(11)}`,
      'delta 0 text_delta crlf',
      'delta 0 text_delta after',
    ]);
    for (const size of [1, 7, 1024, 16_384]) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.slice(at, at + size));
      expect(read(chunks).events, `size ${size}`).toEqual(want.events);
    }
  });

  it('Should read a body cut in three at every byte to the same events through readEventStream', async () => {
    async function viaStream(chunks: Uint8Array[]): Promise<string[]> {
      const events: string[] = [];
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      });
      await readEventStream({
        body,
        onEvent: (event) => events.push(JSON.stringify(event)),
        onPlainDelta: (plain) => events.push(`${plain.index} ${plain.type} ${plainDeltaValue(plain)}`),
      });
      return events;
    }
    const want = await viaStream([STREAM]);
    for (let a = 0; a <= STREAM.length; a += 5) {
      for (let b = a; b <= STREAM.length; b += 7) {
        const got = await viaStream([STREAM.slice(0, a), STREAM.slice(a, b), STREAM.slice(b)]);
        expect(got, `cut at ${a} and ${b}`).toEqual(want);
      }
    }
  });
});
