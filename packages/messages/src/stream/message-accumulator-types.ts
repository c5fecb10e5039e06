/**
 * The accumulator's shapes: what it reports as the message grows, its public face, and the state it keeps
 * per content block.
 * @module
 */
import type { ContentBlock, Message, MessageStreamEvent, ToolUseBlock, UnknownBlock } from '../protocol/types.js';
import type { KeptText } from './kept-text.js';
import type { PlainDelta } from './parse-delta-event.js';

/** What the accumulator reports as the message grows. */
export interface MessageAccumulatorCallbacks {
  /** A text delta; `blockText()` joins the text of its block so far (call it only when needed: it is linear). */
  onText?: (delta: string, blockText: () => string) => void;
  onThinking?: (delta: string) => void;
  /** A tool_use block whose input is complete and parsed. */
  onToolUse?: (block: ToolUseBlock) => void;
}

/** Accumulates one streamed message. */
export interface MessageAccumulator {
  /** Applies the next event. */
  apply(event: MessageStreamEvent): void;
  /** True once `message_stop` was seen. */
  readonly stopped: boolean;
  /** True once any event was applied. */
  readonly started: boolean;
  /**
   * The message so far, finished: tool_use blocks whose input never became whole are marked `incomplete`
   * when the message stopped for `max_tokens` (or `allowIncomplete`); otherwise an unparsable input is a `StreamError`.
   */
  finish(options?: { allowIncomplete?: boolean }): Message;
}

/** @internal What the accumulator keeps for one content block while it streams. */
export interface BlockState {
  block: ContentBlock | UnknownBlock;
  jsonParts: KeptText | undefined;
  /**
   * Text or thinking deltas, kept as UTF-8 bytes and made into the block's string once it closes (no string
   * rebuilt per delta); that string is one byte per character whenever it can be.
   */
  textParts: KeptText | undefined;
  textField: 'text' | 'thinking';
  closed: boolean;
  parseFailed: boolean;
  /** True once `citations` is this block's own array (not the start event's). */
  ownCitations: boolean;
  /** The block's text so far, for `onText` (made once per block, not per delta). */
  blockText: (() => string) | undefined;
}

/**
 * @internal Whether a text or thinking delta's string has anyone to go to now (asked per delta read from the
 * stream's bytes). When not, the delta is kept as bytes, no string is made for it, and `onText` or
 * `onThinking` is not called. Each defaults to yes.
 */
export interface DeltaWants {
  text?: () => boolean;
  thinking?: () => boolean;
}

/** @internal An accumulator that also takes a delta read in place by `readPlainDelta`, with no event object made. */
export interface DeltaAccumulator extends MessageAccumulator {
  /** Applies the `content_block_delta` event `delta` stands for, exactly as `apply` would. */
  applyPlainDelta(delta: PlainDelta): void;
}
