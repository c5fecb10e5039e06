/**
 * Scenario 4: heap held by a transcript of 2,500, 5,000 and 10,000 messages built the way a run builds
 * one (assistant turns accumulated from stream events, user turns of tool results), per message and
 * against the JSON size of the transcript. Goal: ≤ 2× the JSON size, growing linearly.
 * @module
 */
import { createMessageAccumulator, type MessageParam, parseStreamEvent } from '@loopguard/messages';
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

function buildTranscript(count: number): MessageParam[] {
  const messages: MessageParam[] = [];
  for (let i = 0; messages.length < count; i += 1) {
    const accumulator = createMessageAccumulator();
    for (const data of assistantEvents(i)) accumulator.apply(parseStreamEvent(undefined, data));
    messages.push({ role: 'assistant', content: accumulator.finish().content as MessageParam['content'] });
    if (messages.length < count) {
      messages.push(
        JSON.parse(
          JSON.stringify({
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: `toolu_${i}`,
                content: `{"city":"City ${i}","high":${i % 30},"low":${i % 10}}`,
              },
            ],
          }),
        ),
      );
    }
  }
  return messages;
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
    const after = heapUsed();
    const json = Buffer.byteLength(JSON.stringify(transcript));
    const heap = after - before;
    const scenario = '4. Memory of a transcript (heap / JSON size, per message)';
    rows.push({
      scenario,
      contender: `${size.toLocaleString('en-US')} messages: ${(heap / size).toFixed(0)} B/message heap, ${(json / size).toFixed(0)} B/message JSON`,
      median: heap / json,
      min: heap / json,
      max: heap / json,
      unit: 'heap ÷ JSON (goal ≤ 2)',
      ratio: undefined,
      ...(globalThis.gc ? {} : { note: 'run with --expose-gc for exact figures' }),
    });
    transcript.length = 0;
  }
  return rows;
}
