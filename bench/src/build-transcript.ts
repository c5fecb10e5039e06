/**
 * A transcript of tool turns built by hand the way a run builds one: assistant turns accumulated from stream
 * events, user turns of tool results. The memory scenario's floor: what the transcript alone holds.
 * @module
 */
import { createMessageAccumulator, type MessageParam, parseStreamEvent, type ToolUseBlock } from '@loopguard/messages';

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
