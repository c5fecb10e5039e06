/**
 * `mcpResultContent(result)`: an MCP tool result as the content of a `tool_result` — text stays text, images
 * the API accepts stay images, a text resource becomes text headed by its URI, and anything else (audio, binary
 * resources, links) a short text saying what was left out.
 * @module
 */
import type { ImageBlock, TextBlock } from '@loopguard/messages';
import type { McpCallResult, McpContent } from './mcp-client-like.js';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

function blockOf(item: McpContent): TextBlock | ImageBlock {
  const value = item as Record<string, unknown>;
  switch (item.type) {
    case 'text':
      return { type: 'text', text: String(value.text ?? '') };
    case 'image': {
      const mimeType = String(value.mimeType ?? '');
      if (IMAGE_TYPES.has(mimeType))
        return {
          type: 'image',
          source: { type: 'base64', media_type: mimeType as 'image/png', data: String(value.data ?? '') },
        };
      return {
        type: 'text',
        text: `[an image of type ${mimeType} was left out: the API takes png, jpeg, gif and webp]`,
      };
    }
    case 'resource': {
      const resource = (value.resource ?? {}) as { uri?: string; text?: string; mimeType?: string };
      if (typeof resource.text === 'string')
        return { type: 'text', text: `${resource.uri ?? 'resource'}:\n${resource.text}` };
      return {
        type: 'text',
        text: `[a binary resource was left out: ${resource.uri ?? '?'} (${resource.mimeType ?? 'unknown type'})]`,
      };
    }
    case 'resource_link':
      return { type: 'text', text: `[resource: ${String(value.name ?? '')} ${String(value.uri ?? '')}]` };
    default:
      return { type: 'text', text: `[${item.type} content was left out]` };
  }
}

/** The result's content as tool_result blocks; `structuredContent` as JSON text when there is no content. */
export function mcpResultContent(result: McpCallResult): Array<TextBlock | ImageBlock> {
  const content = Array.isArray(result.content) ? result.content : [];
  if (content.length === 0 && result.structuredContent !== undefined)
    return [{ type: 'text', text: JSON.stringify(result.structuredContent) }];
  return content.map(blockOf);
}

/** The text of a result (its text blocks joined), for the message of an error result. */
export function mcpResultText(result: McpCallResult): string {
  return mcpResultContent(result)
    .map((block) => (block.type === 'text' ? block.text : '[image]'))
    .join('\n');
}
