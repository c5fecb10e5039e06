/**
 * The mock gateway's deterministic token rule: one token per 4 characters, rounded up.
 * Input counts the JSON of `system`, `messages` and `tools`; output counts the text and thinking
 * characters and the JSON of each tool input (at least 1 token).
 * @module
 */
import type { MessageCreateParams } from '@loopguard/messages';

/** Characters per token in the mock's rule. */
export const CHARACTERS_PER_TOKEN = 4;

/** Input tokens of a request, by the mock's rule. */
export function countInputTokens(params: MessageCreateParams): number {
  const text = JSON.stringify({
    system: params.system ?? null,
    messages: params.messages,
    tools: params.tools ?? null,
  });
  return Math.ceil(text.length / CHARACTERS_PER_TOKEN);
}

/** Output tokens of generated characters, by the mock's rule (at least 1). */
export function countOutputTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / CHARACTERS_PER_TOKEN));
}
