/**
 * The mock gateway's deterministic token rule: one token per `charactersPerToken` characters (4 by default;
 * 1 plays the harshest real tokenizer, as CJK text, code or base64 tokenize), rounded up. Input counts the
 * JSON of `system`, `messages` and `tools`, an image as Anthropic's largest (1,600 tokens) whatever its
 * bytes; output counts the text and thinking characters and the JSON of each tool input (at least 1 token).
 * @module
 */
import type { MessageCreateParams } from '@loopguard/messages';

/** Characters per token in the mock's default rule. */
export const CHARACTERS_PER_TOKEN = 4;

/** Tokens the mock counts an image as: Anthropic's formula (width × height / 750) at its ~1,600 maximum. */
export const MOCK_IMAGE_TOKENS = 1600;

/** Input tokens of a request, by the mock's rule. */
export function countInputTokens(params: MessageCreateParams, charactersPerToken = CHARACTERS_PER_TOKEN): number {
  let images = 0;
  const text = JSON.stringify(
    { system: params.system ?? null, messages: params.messages, tools: params.tools ?? null },
    (_key, node: unknown) => {
      if (typeof node === 'object' && node !== null && (node as { type?: unknown }).type === 'image') {
        images += 1;
        return null;
      }
      return node;
    },
  );
  return Math.ceil(text.length / charactersPerToken) + images * MOCK_IMAGE_TOKENS;
}

/** Output tokens of generated characters, by the mock's rule (at least 1). */
export function countOutputTokens(characters: number, charactersPerToken = CHARACTERS_PER_TOKEN): number {
  return Math.max(1, Math.ceil(characters / charactersPerToken));
}
