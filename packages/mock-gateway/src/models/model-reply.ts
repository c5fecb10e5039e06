/**
 * What a stand-in model answers: the request it sees and the reply it gives.
 * @module
 */
import type { MessageCreateParams, StopReason } from '@loopguard/messages';

/** The request a responder sees. */
export interface ModelRequest {
  /** The parsed request body. */
  params: MessageCreateParams;
  /** True when `thinkingFlag` or `thinking.type: 'enabled'` was sent. */
  thinking: boolean;
  /** True when the reply is streamed. */
  stream: boolean;
  /** 1-based number of this `POST /messages` on the server. */
  requestNumber: number;
}

/** A block of a reply. */
export type ReplyBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; name: string; input: unknown; id?: string }
  | { type: 'thinking'; thinking: string; signature?: string }
  | { type: 'redacted_thinking'; data: string };

/** A reply of the stand-in model. Give `content`, or the shorthands `text`, `toolCalls`, `thinking`. */
export interface ModelReply {
  content?: ReplyBlock[];
  /** Shorthand for a text block (after thinking, before tool calls). */
  text?: string;
  /** Shorthand for tool_use blocks. */
  toolCalls?: Array<{ name: string; input: unknown; id?: string }>;
  /** Shorthand for a thinking block, first. */
  thinking?: string;
  /** @default 'tool_use' when the reply calls tools, else 'end_turn' */
  stopReason?: StopReason;
  /** Overrides the counted usage. */
  usage?: { input_tokens?: number; output_tokens?: number };
}

/**
 * Decides each reply. May be async. Throwing makes the server answer 500 `internal_error` with the message.
 * `undelivered(reply)`, when present, is told of a reply an injected fault kept from the client (a cut or
 * malformed stream), so a scripted queue can serve it again to the retry.
 */
export type ModelResponder = ((request: ModelRequest) => ModelReply | Promise<ModelReply>) & {
  undelivered?: (reply: ModelReply) => void;
};

/** The reply's blocks in protocol order: thinking, text, tool calls. */
export function replyBlocks(reply: ModelReply): ReplyBlock[] {
  if (reply.content) return reply.content;
  const blocks: ReplyBlock[] = [];
  if (reply.thinking !== undefined) blocks.push({ type: 'thinking', thinking: reply.thinking });
  if (reply.text !== undefined) blocks.push({ type: 'text', text: reply.text });
  for (const call of reply.toolCalls ?? []) blocks.push({ type: 'tool_use', ...call });
  return blocks;
}
