/**
 * Request and response types of the Anthropic Messages protocol, as the gateway speaks it.
 * Unknown fields and block types are allowed everywhere: the protocol grows, and we keep what we do not know.
 * @module
 */

/** A text block. */
export interface TextBlock {
  type: 'text';
  text: string;
  citations?: unknown[] | null;
}

/** An image block; `source.type` is `url` or `base64`. */
export interface ImageBlock {
  type: 'image';
  source: { type: 'url'; url: string } | { type: 'base64'; media_type: string; data: string };
}

/** A tool call the model made. `incomplete` marks a block cut off by `max_tokens`: never run it. */
export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
  /** Set (to true) only when the stream ended before the block's input was whole. */
  incomplete?: true;
}

/** The result of a tool call, sent back in a `user` turn. */
export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | Array<TextBlock | ImageBlock>;
  is_error?: boolean;
}

/** Extended thinking, kept verbatim (with its signature) and sent back unchanged. */
export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

/** Encrypted thinking, kept verbatim and sent back unchanged. */
export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

/** A block of a type this library does not know; kept as received. */
export interface UnknownBlock {
  type: string;
  [field: string]: unknown;
}

/** Any content block of a response. */
export type ContentBlock = TextBlock | ToolUseBlock | ThinkingBlock | RedactedThinkingBlock;

/** Any content block a request may carry. */
export type ContentBlockParam =
  | TextBlock
  | ImageBlock
  | ToolUseBlock
  | ToolResultBlock
  | ThinkingBlock
  | RedactedThinkingBlock;

/** One turn of a conversation. */
export interface MessageParam {
  role: 'user' | 'assistant';
  content: string | ContentBlockParam[];
}

/** A tool offered to the model. */
export interface ToolDefinition {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

/** How the model may choose tools. */
export type ToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

/** Parameters of `POST /messages`. Fields this type does not name are passed through untouched. */
export interface MessageCreateParams {
  /** @default 'claude-opus-4-6' */
  model?: string;
  messages: MessageParam[];
  /** @default 4096 */
  max_tokens?: number;
  system?: string | TextBlock[];
  temperature?: number;
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  stop_sequences?: string[];
  metadata?: Record<string, unknown>;
  /** The gateway's switch for extended thinking. */
  thinkingFlag?: boolean;
  /** Anthropic's form of extended thinking. */
  thinking?: { type: 'enabled'; budget_tokens: number } | { type: 'disabled' };
  /**
   * A server-side thread, where the gateway supports them (not part of the documented contract): `create`
   * sends the whole conversation and has the server keep it; `continue` sends only what follows the reply
   * `previous_message_id`, without `system` and `tools` (the thread keeps those). Rather than setting it
   * here, give the whole params and `RequestOptions.serverThread`; set by hand, pass the whole conversation
   * as `RequestOptions.threadContext` with a `continue`, so estimates count all of it.
   */
  thread?: MessageThread;
  [field: string]: unknown;
}

/** The `thread` field of a request. */
export type MessageThread = { type: 'create' } | { type: 'continue'; previous_message_id: string };

/**
 * How to send a request on a server-side thread (`RequestOptions.serverThread`). `create`: the whole params
 * with `thread: {type: 'create'}`. `continue`: the server holds the first `held` messages of the params
 * (up to and with the reply `previousMessageId`), so only the messages after them are sent, with
 * `thread: {type: 'continue', previous_message_id}` and without `system` and `tools`.
 */
export type ServerThreadHint = { type: 'create' } | { type: 'continue'; previousMessageId: string; held: number };

/** Why the model stopped. Known values are listed; others are kept as strings. */
export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | (string & {});

/** Token usage of one response. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** A complete model response. */
export interface Message {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: Array<ContentBlock | UnknownBlock>;
  stop_reason: StopReason | null;
  stop_sequence?: string | null;
  usage: Usage;
  /** Credits the gateway charged, when it says (non-streaming responses). */
  credits_consumed?: number;
  /** The `request-id` (or `x-request-id`) response header, when the server sent one. */
  request_id?: string;
}

/** A content delta inside `content_block_delta`. Deltas of unknown types are kept as received. */
export type ContentDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'input_json_delta'; partial_json: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'signature_delta'; signature: string }
  | { type: 'citations_delta'; citation: unknown };

/** One server-sent event of a message stream whose type this library knows. */
export type KnownMessageStreamEvent =
  | { type: 'message_start'; message: Partial<Message> & { usage?: Partial<Usage> } }
  | { type: 'content_block_start'; index: number; content_block: ContentBlock | UnknownBlock }
  | { type: 'content_block_delta'; index?: number; delta: ContentDelta }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: { stop_reason?: StopReason | null; stop_sequence?: string | null };
      usage?: Partial<Usage>;
    }
  | { type: 'message_stop' }
  | { type: 'ping' }
  | { type: 'error'; error: { type?: string; message?: string; code?: string } };

/** An event of a type this library does not know; kept, never a crash. */
export interface UnknownStreamEvent {
  type: string;
  [field: string]: unknown;
}

/** One server-sent event of a message stream, parsed from its `data:` JSON. */
export type MessageStreamEvent = KnownMessageStreamEvent | UnknownStreamEvent;
