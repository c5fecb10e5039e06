/**
 * Scenario 4: heap held by a transcript of 2,500, 5,000 and 10,000 messages built the way a run builds
 * one (assistant turns accumulated from stream events, user turns of tool results), per message and
 * against the JSON size of the transcript. Goal: ≤ 2× the JSON size, growing linearly.
 * @module
 */
import {
  createMessageAccumulator,
  estimateInputTokens,
  type MessageParam,
  parseStreamEvent,
  type ToolUseBlock,
} from '@loopguard/messages';
import type { ReportRow } from './report-table.js';

function assistantEvents(i: number): string[] {
  const input = JSON.stringify({ city: `City ${i}`, days: i % 7 });
  return [
    JSON.stringify({
      type: 'message_start',
      message: { id: `msg_${i}`, usage: { input_tokens: 100 + i, output_tokens: 1 } },
    }),
    JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    JSON.stringify({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: `Turn ${i}: let me look that up ` },
    }),
    JSON.stringify({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'with the forecast tool.' },
    }),
    JSON.stringify({ type: 'content_block_stop', index: 0 }),
    JSON.stringify({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: `toolu_${i}`, name: 'forecast', input: {} },
    }),
    JSON.stringify({
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: input.slice(0, 10) },
    }),
    JSON.stringify({
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: input.slice(10) },
    }),
    JSON.stringify({ type: 'content_block_stop', index: 1 }),
    JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 30 } }),
    JSON.stringify({ type: 'message_stop' }),
  ];
}

/** A transcript of `count` messages built as a run builds one. */
export function buildTranscript(count: number): MessageParam[] {
  const messages: MessageParam[] = [];
  for (let i = 0; messages.length < count; i += 1) {
    const accumulator = createMessageAccumulator();
    for (const data of assistantEvents(i)) accumulator.apply(parseStreamEvent(undefined, data));
    // As runAgent keeps a reply: the transcript entry shares the accumulated content.
    const content = accumulator.finish().content;
    messages.push({ role: 'assistant', content: content as MessageParam['content'] });
    const toolUses = content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
    if (messages.length < count) {
      // As runAgent builds a user turn: one tool_result per call, the tool's output serialised.
      messages.push({
        role: 'user',
        content: toolUses.map((block) => ({
          type: 'tool_result' as const,
          tool_use_id: block.id,
          content: JSON.stringify({ city: `City ${i}`, high: i % 30, low: i % 10 }),
        })),
      });
    }
  }
  return messages;
}

/** In a function of its own, so no register of the caller's frame still holds the JSON text when it GCs. */
function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

function heapUsed(): number {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

/** Runs the scenario. Needs `--expose-gc` for exact figures. */
export function memoryScenario(sizes: number[]): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const size of sizes) {
    const before = heapUsed();
    const transcript = buildTranscript(size);
    // Serialised first, as every turn's request serialises the transcript: V8 then holds each string flat.
    const json = jsonBytes(transcript);
    const after = heapUsed();
    const scenario = '4. Memory of a transcript (heap / JSON size, per message)';
    const row = (label: string, heap: number): ReportRow => ({
      scenario,
      contender: `${label}: ${(heap / size).toFixed(0)} B/message heap, ${(json / size).toFixed(0)} B/message JSON`,
      median: heap / json,
      min: heap / json,
      max: heap / json,
      unit: 'heap ÷ JSON (goal ≤ 2)',
      ratio: undefined,
      ...(globalThis.gc ? {} : { note: 'run with --expose-gc for exact figures' }),
    });
    rows.push(row(`${size.toLocaleString('en-US')} messages`, after - before));
    if (size === sizes.at(-1)) {
      // What a run holds besides: the client's per-message token-count cache, filled as each turn is estimated.
      estimateInputTokens({ messages: transcript });
      rows.push(row(`${size.toLocaleString('en-US')} messages + the client's token-count cache`, heapUsed() - before));
    }
    transcript.length = 0;
  }
  return rows;
}
