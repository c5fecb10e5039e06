/**
 * The SSE events of a generated message, in Anthropic's full form (block start/stop, ping, tool input
 * split into fragments) or the gateway's short form (text and thinking deltas with no block start/stop;
 * tool_use blocks still need their start, to carry id and name).
 * @module
 */
import type { ContentBlock, MessageStreamEvent } from '@loopguard/messages';
import type { GeneratedMessage } from './build-message.js';

/** Size of text/thinking deltas, in characters. */
const TEXT_CHUNK = 12;
/** Size of `input_json_delta` fragments, in characters. */
const JSON_CHUNK = 10;

function chunks(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

/** The events of block `index`, in the chosen form (`full`: with start/stop). */
function blockEvents(
  block: ContentBlock,
  index: number,
  full: boolean,
  cutToolUse: GeneratedMessage['cutToolUse'],
): MessageStreamEvent[] {
  const events: MessageStreamEvent[] = [];
  const withIndex = full ? { index } : {};
  switch (block.type) {
    case 'text':
      if (full) events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const text of chunks(block.text, TEXT_CHUNK)) {
        events.push({ type: 'content_block_delta', ...withIndex, delta: { type: 'text_delta', text } });
      }
      break;
    case 'thinking':
      if (full)
        events.push({
          type: 'content_block_start',
          index,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        });
      for (const thinking of chunks(block.thinking, TEXT_CHUNK)) {
        events.push({ type: 'content_block_delta', ...withIndex, delta: { type: 'thinking_delta', thinking } });
      }
      events.push({
        type: 'content_block_delta',
        ...withIndex,
        delta: { type: 'signature_delta', signature: block.signature },
      });
      break;
    case 'redacted_thinking':
      events.push({ type: 'content_block_start', index, content_block: block });
      break;
    case 'tool_use': {
      events.push({
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      const json = cutToolUse?.index === index ? cutToolUse.partialJson : JSON.stringify(block.input);
      for (const partial_json of chunks(json, JSON_CHUNK)) {
        events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
      }
      events.push({ type: 'content_block_stop', index });
      return events;
    }
  }
  if (full || block.type === 'redacted_thinking') events.push({ type: 'content_block_stop', index });
  return events;
}

/** The events, in order, for a generated message. */
export function streamEvents(generated: GeneratedMessage, form: 'full' | 'short'): MessageStreamEvent[] {
  const { message, cutToolUse } = generated;
  const full = form === 'full';
  const events: MessageStreamEvent[] = [
    {
      type: 'message_start',
      message: {
        ...message,
        content: [],
        stop_reason: null,
        usage: { input_tokens: message.usage.input_tokens, output_tokens: 1 },
      },
    },
  ];
  if (full) events.push({ type: 'ping' });
  message.content.forEach((block, index) => {
    events.push(...blockEvents(block as ContentBlock, index, full, cutToolUse));
  });
  events.push({
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: message.usage.output_tokens },
  });
  events.push({ type: 'message_stop' });
  return events;
}
