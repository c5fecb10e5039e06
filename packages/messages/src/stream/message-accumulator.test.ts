import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { StreamError } from '../errors/errors.js';
import type { MessageStreamEvent, ToolUseBlock } from '../protocol/types.js';
import { fullStreamEvents, shortStreamEvents } from '../test-support/http-test-server.js';
import { createMessageAccumulator } from './message-accumulator.js';
import { parseStreamEvent } from './read-event-stream.js';
import { createSseDecoder } from './sse-decoder.js';

function accumulate(events: MessageStreamEvent[]) {
  const tools: ToolUseBlock[] = [];
  const text: string[] = [];
  const accumulator = createMessageAccumulator({ onToolUse: (b) => tools.push(b), onText: (t) => text.push(t) });
  for (const event of events) accumulator.apply(event);
  return { accumulator, tools, text };
}

describe('createMessageAccumulator', () => {
  it('Should open a text block for deltas of the short form that had no content_block_start', () => {
    const { accumulator, text } = accumulate(shortStreamEvents());
    const message = accumulator.finish();
    expect(message.content).toEqual([{ type: 'text', text: 'Quantum computing' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toEqual({ input_tokens: 12, output_tokens: 86 });
    expect(text).toEqual(['Quantum', ' computing']);
  });

  it('Should build thinking with its signature, text and a tool_use from the full form', () => {
    const { accumulator, tools } = accumulate(fullStreamEvents());
    const message = accumulator.finish();
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'The user wants the weather.', signature: 'sig-abc' },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_current_weather', input: { location: 'Boston, MA' } },
    ]);
    expect(tools).toHaveLength(1);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage.output_tokens).toBe(42);
  });

  it('Should mark a tool_use cut by max_tokens incomplete instead of handing on half an input', () => {
    const events: MessageStreamEvent[] = [
      { type: 'message_start', message: { id: 'm', usage: { input_tokens: 3, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'x', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"city": "Bos' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 10 } },
      { type: 'message_stop' },
    ];
    const { accumulator, tools } = accumulate(events);
    const message = accumulator.finish();
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.content[0]).toMatchObject({ type: 'tool_use', incomplete: true, input: {} });
    expect(tools).toEqual([]);
  });

  it('Should raise a StreamError for a tool input that is not JSON when the message did not stop for max_tokens', () => {
    const events: MessageStreamEvent[] = [
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 't', name: 'lookup', input: {} },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{not json' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' } },
      { type: 'message_stop' },
    ];
    const { accumulator } = accumulate(events);
    expect(() => accumulator.finish()).toThrow(StreamError);
    expect(() => accumulator.finish()).toThrow(/lookup/);
  });

  it('Should keep unknown block types and unknown deltas rather than drop them', () => {
    const events: MessageStreamEvent[] = [
      { type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use', id: 's', payload: 1 } },
      { type: 'content_block_delta', index: 0, delta: { type: 'mystery_delta', value: 7 } as never },
      { type: 'content_block_stop', index: 0 },
      { type: 'brand_new_event', anything: true },
      { type: 'message_stop' },
    ];
    const message = accumulate(events).accumulator.finish();
    expect(message.content[0]).toEqual({ type: 'server_tool_use', id: 's', payload: 1 });
    // Readable, but never serialised: a transcript sent back carries only protocol fields.
    expect((message.content[0] as { unknown_deltas?: unknown }).unknown_deltas).toEqual([
      { type: 'mystery_delta', value: 7 },
    ]);
    expect(JSON.stringify(message.content)).toBe('[{"type":"server_tool_use","id":"s","payload":1}]');
  });

  it('Should keep a thinking block byte for byte when an unknown delta arrives for it', () => {
    const events: MessageStreamEvent[] = [
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hm' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'future_delta', hint: 1 } as never },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_stop' },
    ];
    const message = accumulate(events).accumulator.finish();
    expect(JSON.stringify(message.content)).toBe('[{"type":"thinking","thinking":"hm","signature":"sig"}]');
  });

  it('Should parse a tool input split into thousands of fragments exactly once', () => {
    const input = { items: Array.from({ length: 2000 }, (_, i) => ({ i, name: `item-${i}` })) };
    const json = JSON.stringify(input);
    const events: MessageStreamEvent[] = [
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'bulk', input: {} } },
    ];
    for (let i = 0; i < json.length; i += 8) {
      events.push({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: json.slice(i, i + 8) },
      });
    }
    events.push({ type: 'content_block_stop', index: 0 }, { type: 'message_stop' });
    const originalParse = JSON.parse;
    let parses = 0;
    JSON.parse = ((text: string) => {
      parses += 1;
      return originalParse(text);
    }) as typeof JSON.parse;
    try {
      const message = accumulate(events).accumulator.finish();
      expect((message.content[0] as ToolUseBlock).input).toEqual(input);
    } finally {
      JSON.parse = originalParse;
    }
    expect(parses).toBe(1);
  });
});

describe('createMessageAccumulator short form with several kinds', () => {
  it('Should open a new implicit block when the delta kind changes', () => {
    const events: MessageStreamEvent[] = [
      { type: 'content_block_delta', delta: { type: 'thinking_delta', thinking: 'hmm' } },
      { type: 'content_block_delta', delta: { type: 'signature_delta', signature: 's1' } },
      { type: 'content_block_delta', delta: { type: 'text_delta', text: 'Hello' } },
      { type: 'content_block_delta', delta: { type: 'text_delta', text: ' there' } },
      { type: 'message_stop' },
    ];
    const message = accumulate(events).accumulator.finish();
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'hmm', signature: 's1' },
      { type: 'text', text: 'Hello there' },
    ]);
  });

  it('Should join thousands of deltas, past every grouping step, into exactly the streamed text and input', () => {
    const deltas = Array.from({ length: 5000 }, (_, i) => `part ${i} — ✓ ${'x'.repeat(i % 50)}; `);
    const input = { items: Array.from({ length: 3000 }, (_, i) => ({ id: i, note: `n${i}` })) };
    const json = JSON.stringify(input);
    const fragments: string[] = [];
    for (let i = 0; i < json.length; i += 7) fragments.push(json.slice(i, i + 7));
    const events: MessageStreamEvent[] = [
      { type: 'message_start', message: { id: 'msg_long', usage: { input_tokens: 1, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ...deltas.map((text) => ({
        type: 'content_block_delta' as const,
        index: 0,
        delta: { type: 'text_delta' as const, text },
      })),
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'save', input: {} },
      },
      ...fragments.map((partial_json) => ({
        type: 'content_block_delta' as const,
        index: 1,
        delta: { type: 'input_json_delta' as const, partial_json },
      })),
      { type: 'content_block_stop', index: 1 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } },
      { type: 'message_stop' },
    ];
    const { accumulator, text } = accumulate(events);
    const message = accumulator.finish();
    expect(deltas.join('').length).toBeGreaterThan(128 * 1024);
    expect(message.content[0]).toEqual({ type: 'text', text: deltas.join('') });
    expect((message.content[1] as ToolUseBlock).input).toEqual(input);
    expect(text).toHaveLength(deltas.length);
  });

  it('Should leave the content_block_start event a listener holds as it came', () => {
    const start: MessageStreamEvent = {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '', citations: [] } as never,
    };
    const { accumulator } = accumulate([
      start,
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation: { cited_text: 'a' } } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_stop' },
    ]);
    expect(accumulator.finish().content[0]).toMatchObject({ text: 'Hi', citations: [{ cited_text: 'a' }] });
    expect(start).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '', citations: [] },
    });
  });

  it('Should keep a thinking block one byte per character though the chunk that ended it held a two-byte character', () => {
    const steps = Array.from({ length: 50 }, (_, i) => `step ${i}: weigh the evidence. `);
    const sse = (data: unknown) => `event: x\ndata: ${JSON.stringify(data)}\n\n`;
    const wire = [
      sse({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }),
      ...steps.map((thinking) =>
        sse({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking } }),
      ),
      sse({ type: 'content_block_stop', index: 0 }),
      sse({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
      sse({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Done — ✓' } }),
      sse({ type: 'content_block_stop', index: 1 }),
      sse({ type: 'message_stop' }),
    ].join('');
    const accumulator = createMessageAccumulator();
    const decoder = createSseDecoder({
      onEvent: ({ event, data }) => accumulator.apply(parseStreamEvent(event, data)),
    });
    // One chunk: every thinking delta is a slice of text that also holds "—" and "✓".
    decoder.feed(new TextEncoder().encode(wire));
    decoder.end();
    const [thinking, text] = accumulator.finish().content as unknown as [{ thinking: string }, { text: string }];
    expect(thinking.thinking).toBe(steps.join(''));
    expect(serialize(thinking.thinking)[2]).toBe(0x22); // V8's tag for a one-byte string
    expect(text.text).toBe('Done — ✓');
  });
});
