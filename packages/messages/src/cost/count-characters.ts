/**
 * `countCharacters`: what the local input estimate counts in any part of a request — the characters of its
 * strings, keys, numbers and booleans, and the tokens counted whole (an image as {@link IMAGE_TOKENS}, a PDF
 * document by its pages, see `document-tokens.ts`).
 * @module
 */
import { documentTokens } from './document-tokens.js';

/** Tokens an image is counted as. @default 1600 */
export const IMAGE_TOKENS = 1600;

/** Characters to divide by `charsPerToken`, and `images`: tokens counted whole (images, PDF pages). */
export function countCharacters(value: unknown): { characters: number; images: number } {
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
