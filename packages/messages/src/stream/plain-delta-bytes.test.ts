import { describe, expect, it } from 'vitest';
import type { MessageStreamEvent } from '../protocol/types.js';
import { createMessageAccumulator } from './message-accumulator.js';
import { parseStreamEvent } from './read-event-stream.js';
import { readSseMessage } from './read-sse-message.js';
import { createSseDecoder } from './sse-decoder.js';

const encoder = new TextEncoder();
const bytesOf = (text: string) => [...encoder.encode(text)];

/** One SSE event whose data is `head`, then `content` as raw bytes, then `tail`. */
const event = (head: string, content: number[] = [], tail = '') => [
  ...bytesOf(`event: e\ndata: ${head}`),
  ...content,
  ...bytesOf(`${tail}\n\n`),
];
const delta = (index: number, type: string, field: string, content: number[]) =>
  event(`{"type":"content_block_delta","index":${index},"delta":{"type":"${type}","${field}":"`, content, '"}}');
const json = (payload: unknown) => event(JSON.stringify(payload));

/**
 * Deltas as a server may send them: escapes, a lone surrogate escape, a byte order mark and a raw control
 * character inside, bytes that are not UTF-8, and a character cut between two deltas (each half is one U+FFFD).
 */
function body(): Uint8Array {
  const blockKinds: Array<[string, string, string]> = [
    ['thinking', 'thinking_delta', 'thinking'],
    ['text', 'text_delta', 'text'],
  ];
  const parts: number[] = json({
    type: 'message_start',
    message: { id: 'msg_b', type: 'message', role: 'assistant', model: 'm', content: [], usage: { input_tokens: 1 } },
  });
  blockKinds.forEach(([blockType, deltaType, field], index) => {
    const start = { type: blockType, [field]: '', ...(blockType === 'thinking' ? { signature: '' } : {}) };
    parts.push(...json({ type: 'content_block_start', index, content_block: start }));
    const contents = [
      bytesOf('plain ascii, '),
      bytesOf('ünïcödé — ✓ 🚀, '),
      bytesOf('\\"q\\" \\\\ \\n \\u00e9 \\ud83d\\ude80, '),
      bytesOf('lone \\ud800 surrogate, '),
      [...bytesOf('\ufeff mark, \u0007 bell, half a check: '), 0xe2, 0x9c],
      [0x93, ...bytesOf(' (its last byte alone), '), 0xff, 0xc3, ...bytesOf(' end')],
    ];
    for (const content of contents) parts.push(...delta(index, deltaType, field, content));
    parts.push(...json({ type: 'content_block_stop', index }));
  });
  parts.push(
    ...json({
      type: 'content_block_start',
      index: 2,
      content_block: { type: 'tool_use', id: 't', name: 'n', input: {} },
    }),
  );
  for (const fragment of ['{\\"a\\": \\"', 'é ✓ \\\\\\"', '\\u00e9\\"', ', \\"b\\": [1', ', 2]}']) {
    parts.push(...delta(2, 'input_json_delta', 'partial_json', bytesOf(fragment)));
  }
  parts.push(...json({ type: 'content_block_stop', index: 2 }));
  parts.push(...json({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } }));
  parts.push(...json({ type: 'message_stop' }));
  return Uint8Array.from(parts);
}

/** The slow path: the text decoder, every event parsed, each applied; what the callbacks hear. */
function reference(bytes: Uint8Array) {
  const events: MessageStreamEvent[] = [];
  createSseDecoder({ onEvent: ({ event: name, data }) => events.push(parseStreamEvent(name, data)) }).feed(bytes);
  const heard: string[] = [];
  const accumulator = createMessageAccumulator({
    onText: (value, blockText) => heard.push(`text ${value} | ${blockText()}`),
    onThinking: (value) => heard.push(`thinking ${value}`),
  });
  for (const item of events) accumulator.apply(item);
  return { message: accumulator.finish(), heard };
}

function response(chunks: Uint8Array[]): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
}

describe('readSseMessage: deltas kept as bytes', () => {
  it('Should read the slow path message from a body cut at every byte, its text listened to always, never or by turns', async () => {
    const bytes = body();
    const want = reference(bytes);
    expect(JSON.stringify(want.message)).toContain('\\ud800');
    expect(JSON.stringify(want.message)).toContain('\ufffd (its last byte alone)');
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      for (const listening of ['always', 'never', 'by turns'] as const) {
        let asked = 0;
        const wanted = () => (listening === 'by turns' ? asked++ % 2 === 0 : listening === 'always');
        const heard: string[] = [];
        const message = await readSseMessage(response([bytes.slice(0, cut), bytes.slice(cut)]), {
          requestId: undefined,
          maxResponseBytes: 1 << 20,
          callbacks: {
            onText: (value, blockText) => heard.push(`text ${value} | ${blockText()}`),
            onThinking: (value) => heard.push(`thinking ${value}`),
          },
          wants: { text: wanted, thinking: wanted },
        });
        expect(message, `cut at ${cut}, ${listening}`).toEqual(want.message);
        if (listening === 'always') expect(heard).toEqual(want.heard);
        // Whatever was heard was heard in order, each text with its block's text so far.
        let from = 0;
        for (const line of heard) {
          from = want.heard.indexOf(line, from) + 1;
          expect(from, `${line}, cut at ${cut}, ${listening}`).toBeGreaterThan(0);
        }
        if (listening === 'never') expect(heard.every((line) => line.includes('\ud800'))).toBe(true);
      }
    }
  });
});
