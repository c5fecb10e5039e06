/**
 * A local, deterministic estimate of a request's input tokens, for the context-window check and for budgets.
 * It counts the characters of everything the model reads (system, messages, tools) and divides by
 * `charsPerToken`; an image counts as a fixed 1,600 tokens, a PDF `document` as 3,000 tokens a page (see
 * `document-tokens.ts`). Lower `charsPerToken` means a more conservative (higher) estimate.
 * @module
 */

import type { MessageCreateParams } from '../protocol/types.js';
import { countCharacters } from './count-characters.js';
import { countMessages } from './count-messages.js';

export { IMAGE_TOKENS } from './count-characters.js';

/** Context windows per model, in tokens. */
export const MODEL_CONTEXT_WINDOWS: Readonly<Record<string, number>> = Object.freeze({
  'claude-opus-4-6': 200_000,
});

/**
 * Counts of `tools` arrays already seen (a run sends the same one every turn). A count with no image is kept
 * as a bare number (a small integer V8 stores unboxed). Messages are counted by `countMessages`, which sees a
 * message given a new content.
 */
const counted = new WeakMap<object, number | { characters: number; images: number }>();

function countOnce(value: object): { characters: number; images: number } {
  const cached = counted.get(value);
  if (typeof cached === 'number') return { characters: cached, images: 0 };
  if (cached) return cached;
  const count = countCharacters(value);
  counted.set(value, count.images === 0 ? count.characters : count);
  return count;
}

/** Estimated input tokens of a request. `charsPerToken` defaults to 3 (errs high for English and code). */
export function estimateInputTokens(
  params: Pick<MessageCreateParams, 'messages' | 'system' | 'tools'>,
  options: { charsPerToken?: number } = {},
): number {
  const charsPerToken = options.charsPerToken ?? 3;
  let { characters, images } = countCharacters(params.system ?? '');
  const parts = [
    Array.isArray(params.messages) ? countMessages(params.messages) : undefined,
    params.tools
      ? typeof params.tools === 'object'
        ? countOnce(params.tools)
        : countCharacters(params.tools)
      : undefined,
  ];
  for (const count of parts) {
    characters += count?.characters ?? 0;
    images += count?.images ?? 0;
  }
  return Math.ceil(characters / charsPerToken) + images;
}
