/**
 * Turns a model reply into the gateway's message: deterministic ids, the mock's token count, and the
 * `max_tokens` cut (a block crossing the limit is truncated, a tool input left as partial JSON).
 * @module
 */
import { createHash } from 'node:crypto';
import type { ContentBlock, Message, MessageCreateParams } from '@loopguard/messages';
import { type ModelReply, type ReplyBlock, replyBlocks } from '../models/model-reply.js';
import { CHARACTERS_PER_TOKEN, countInputTokens, countOutputTokens } from './count-tokens.js';

/** A generated message; `partialJson` holds the cut input of the last tool_use when `max_tokens` cut it. */
export interface GeneratedMessage {
  message: Message;
  /** Index and partial JSON of a tool_use block cut by `max_tokens`. */
  cutToolUse?: { index: number; partialJson: string };
}

function uuidFrom(hash: string): string {
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-8${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

/** The message's content so far, and what of the `max_tokens` budget it used. */
interface Cutting {
  content: ContentBlock[];
  /** Characters used. */
  used: number;
  cut: boolean;
  cutToolUse?: GeneratedMessage['cutToolUse'];
  toolIndex: number;
}

/** Adds `block` to the content, cut to the `left` characters the budget leaves. */
function addBlock(state: Cutting, block: ReplyBlock, left: number, hash: string): void {
  switch (block.type) {
    case 'text': {
      if (block.text.length > left) state.cut = true;
      const text = block.text.slice(0, Math.max(0, left));
      state.used += text.length;
      state.content.push({ type: 'text', text });
      break;
    }
    case 'thinking': {
      if (block.thinking.length > left) state.cut = true;
      const thinking = block.thinking.slice(0, Math.max(0, left));
      state.used += thinking.length;
      const signature =
        block.signature ?? `sig_${createHash('sha256').update(thinking).digest('base64url').slice(0, 32)}`;
      state.content.push({ type: 'thinking', thinking, signature });
      break;
    }
    case 'redacted_thinking':
      state.content.push({ type: 'redacted_thinking', data: block.data });
      break;
    case 'tool_use': {
      state.toolIndex += 1;
      const id = block.id ?? `toolu_${hash.slice(0, 20)}_${state.toolIndex}`;
      const json = JSON.stringify(block.input ?? {});
      if (json.length > left) {
        state.cut = true;
        state.cutToolUse = { index: state.content.length, partialJson: json.slice(0, Math.max(0, left)) };
        state.used += Math.max(0, left);
        state.content.push({ type: 'tool_use', id, name: block.name, input: {} });
      } else {
        state.used += json.length;
        state.content.push({ type: 'tool_use', id, name: block.name, input: structuredClone(block.input ?? {}) });
      }
      break;
    }
  }
}

/** Builds the message for a reply to `params`, counting tokens at `charactersPerToken` (default 4). */
export function buildMessage(
  params: MessageCreateParams,
  reply: ModelReply,
  charactersPerToken = CHARACTERS_PER_TOKEN,
): GeneratedMessage {
  const hash = createHash('sha256').update(JSON.stringify(params)).digest('hex');
  const budget = (params.max_tokens ?? 4096) * charactersPerToken;
  const state: Cutting = { content: [], used: 0, cut: false, toolIndex: 0 };
  for (const block of replyBlocks(reply)) {
    if (state.cut) break;
    addBlock(state, block, budget - state.used, hash);
  }
  const { content, cut, cutToolUse } = state;
  const hasToolUse = content.some((block) => block.type === 'tool_use');
  const stopReason = cut ? 'max_tokens' : (reply.stopReason ?? (hasToolUse ? 'tool_use' : 'end_turn'));
  const message: Message = {
    id: `msg_${uuidFrom(hash)}`,
    type: 'message',
    role: 'assistant',
    model: params.model ?? 'claude-opus-4-6',
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: reply.usage?.input_tokens ?? countInputTokens(params, charactersPerToken),
      output_tokens: reply.usage?.output_tokens ?? countOutputTokens(state.used, charactersPerToken),
    },
  };
  return cutToolUse ? { message, cutToolUse } : { message };
}
