/**
 * Turns what a tool returned into `tool_result` content: strings as they are, text/image blocks as they
 * are, any other value as JSON.
 * @module
 */
import type { ImageBlock, TextBlock, ToolResultBlock } from '@loopguard/messages';

function isContentBlocks(value: unknown): value is Array<TextBlock | ImageBlock> {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (block) =>
        typeof block === 'object' &&
        block !== null &&
        ((block as { type?: unknown }).type === 'text' || (block as { type?: unknown }).type === 'image'),
    )
  );
}

/** The `content` of a tool_result for a tool's return value. */
export function toolResultContent(output: unknown): NonNullable<ToolResultBlock['content']> {
  if (typeof output === 'string') return output;
  if (isContentBlocks(output)) return output;
  if (output === undefined) return '';
  return JSON.stringify(output) ?? String(output);
}
