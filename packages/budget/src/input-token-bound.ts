/**
 * A true upper bound of a prompt's input tokens, from its bytes: a tokenizer turns each token into at least
 * one byte of text, so the UTF-8 byte length of the JSON of everything the model reads bounds its tokens
 * (JSON only adds quotes, keys and escapes). Images are not counted by their bytes but by Anthropic's
 * formula (width × height / 750 tokens, resized to at most about 1,600), at its maximum since the size is
 * not known here; `tools` add the tool-use system prompt Anthropic inserts.
 * @module
 */
import { IMAGE_TOKENS, type MessageParam, type Prompt } from '@loopguard/messages';

/** Tokens of the system prompt Anthropic adds when a request has `tools` (Claude Opus 4.x: 346 with tool_choice auto). */
export const TOOL_USE_SYSTEM_PROMPT_TOKENS = 346;

/** Bytes of the JSON around the parts (`{"system":…,"messages":[…],"tools":…}`), with room to spare. */
const FRAME_TOKENS = 64;

interface PartBound {
  bytes: number;
  images: number;
}

/** Bounds of message objects already seen: a run sends the same messages turn after turn (treated as immutable once sent). */
const seen = new WeakMap<object, PartBound>();

function measure(value: unknown): PartBound {
  let images = 0;
  const json = JSON.stringify(value, (_key, node: unknown) => {
    if (typeof node === 'object' && node !== null && (node as { type?: unknown }).type === 'image') {
      images += 1;
      return null;
    }
    return node;
  });
  return { bytes: json === undefined ? 0 : Buffer.byteLength(json, 'utf8'), images };
}

function measureOnce(value: object): PartBound {
  const cached = seen.get(value);
  if (cached) return cached;
  const bound = measure(value);
  seen.set(value, bound);
  return bound;
}

/** Tokens of one part (a message, the system prompt, the tools): its bytes, plus each image at the maximum. */
function partTokens(part: PartBound): number {
  return part.bytes + part.images * IMAGE_TOKENS;
}

/** An upper bound of the tokens of `messages` alone (each message's bytes, one more for its separator). */
export function messagesTokenBound(messages: readonly MessageParam[]): number {
  let tokens = 0;
  for (const message of messages) {
    const part = typeof message === 'object' && message !== null ? measureOnce(message) : measure(message);
    tokens += partTokens(part) + 1;
  }
  return tokens;
}

/** An upper bound of the tokens of `system` and `tools`, the tool-use system prompt included. */
export function preambleTokenBound(prompt: Pick<Prompt, 'system' | 'tools'>): number {
  const hasTools = Array.isArray(prompt.tools) && prompt.tools.length > 0;
  const tools = hasTools ? partTokens(measureOnce(prompt.tools as object)) + TOOL_USE_SYSTEM_PROMPT_TOKENS : 0;
  const system = prompt.system === undefined ? 0 : partTokens(measure(prompt.system));
  return system + tools;
}

/** A true upper bound of the input tokens of `prompt` (see the module's comment for why it bounds them). */
export function inputTokenBound(prompt: Prompt): number {
  const messages = Array.isArray(prompt.messages) ? prompt.messages : [];
  return FRAME_TOKENS + preambleTokenBound(prompt) + messagesTokenBound(messages);
}
