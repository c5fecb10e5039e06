/**
 * A local, deterministic estimate of a request's input tokens, for the context-window check and for budgets.
 * It counts the characters of everything the model reads (system, messages, tools) and divides by
 * `charsPerToken`; an image counts as a fixed 1,600 tokens, a PDF `document` as 3,000 tokens a page (see
 * `document-tokens.ts`). Lower `charsPerToken` means a more conservative (higher) estimate.
 * @module
 */

import type { MessageCreateParams } from '../protocol/types.js';
import { documentTokens } from './document-tokens.js';

/** Tokens an image is counted as. @default 1600 */
export const IMAGE_TOKENS = 1600;

/** Context windows per model, in tokens. */
export const MODEL_CONTEXT_WINDOWS: Readonly<Record<string, number>> = Object.freeze({
  'claude-opus-4-6': 200_000,
});

/** Characters to divide by `charsPerToken`, and `images`: tokens counted whole (images, PDF pages). */
function countCharacters(value: unknown): { characters: number; images: number } {
  let characters = 0;
  let images = 0;
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      characters += node.length;
    } else if (Array.isArray(node)) {
      for (const item of node) visit(item);
    } else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      if (record.type === 'image') {
        images += IMAGE_TOKENS;
        return;
      }
      if (record.type === 'document') {
        const document = documentTokens(record);
        images += document.tokens;
        visit(document.text);
        return;
      }
      for (const [key, child] of Object.entries(record)) {
        characters += key.length;
        if (typeof child === 'number' || typeof child === 'boolean') characters += String(child).length;
        else visit(child);
      }
    }
  };
  visit(value);
  return { characters, images };
}

/**
 * Counts of objects already seen. A long run sends the same message objects turn after turn: each is
 * counted once, so estimating a growing transcript stays linear. Messages are treated as immutable once sent.
 * A count with no image is kept as a bare number (a small integer V8 stores unboxed), so the cache adds
 * only its entry to each message, not an object.
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
  const parts: object[] = [
    ...(Array.isArray(params.messages) ? params.messages : []),
    ...(params.tools ? [params.tools] : []),
  ];
  for (const part of parts) {
    const count = typeof part === 'object' && part !== null ? countOnce(part) : countCharacters(part);
    characters += count.characters;
    images += count.images;
  }
  return Math.ceil(characters / charsPerToken) + images;
}
