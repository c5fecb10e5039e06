/**
 * Builds the final `Message` from stream events, for both the gateway's short form (deltas with no
 * `content_block_start`) and Anthropic's full form. Tool input JSON is collected as fragments and parsed
 * once at block stop: linear in its size. Pure: no I/O.
 * @module
 */

import { StreamError } from '../errors/errors.js';
import type {
  ContentBlock,
  KnownMessageStreamEvent,
  Message,
  MessageStreamEvent,
  ToolUseBlock,
  UnknownBlock,
  Usage,
} from '../protocol/types.js';
import { BlockParts } from './block-parts.js';
import { keepUnknownDelta } from './keep-unknown-delta.js';
import type {
  BlockState,
  DeltaAccumulator,
  DeltaWants,
  MessageAccumulator,
  MessageAccumulatorCallbacks,
} from './message-accumulator-types.js';
import { type PlainDelta, plainDeltaValue } from './parse-delta-event.js';

export type {
  DeltaAccumulator,
  DeltaWants,
  MessageAccumulator,
  MessageAccumulatorCallbacks,
} from './message-accumulator-types.js';

/** Creates an accumulator for one message stream; `callbacks` report text, thinking and whole tool_use blocks. */
export function createMessageAccumulator(callbacks: MessageAccumulatorCallbacks = {}): MessageAccumulator {
  return createDeltaAccumulator(callbacks);
}

/**
 * @internal Creates an accumulator for one message stream (`createMessageAccumulator`, plus `applyPlainDelta`);
 * `wants` says when a plain delta's string has no one to go to (it is then kept as bytes).
 *
 * Why this function is long: it is the accumulator's object, built as a closure over a few locals that
 * every event reads (a class's private fields measured slower on the hot path); each inner function is
 * short and named for what it does.
 */
export function createDeltaAccumulator(
  callbacks: MessageAccumulatorCallbacks = {},
  wants: DeltaWants = {},
): DeltaAccumulator {
  let started = false;
  let stopped = false;
  let base: Partial<Message> = {};
  const usage: Usage = { input_tokens: 0, output_tokens: 0 };
  const blocks: BlockState[] = [];
  let stopReason: Message['stop_reason'] = null;
  let stopSequence: string | null = null;
  let lastIndex = -1;
  const parts = new BlockParts();

  function mergeUsage(part: Partial<Usage> | undefined): void {
    if (!part) return;
    for (const [key, value] of Object.entries(part)) {
      if (typeof value === 'number') (usage as unknown as Record<string, number>)[key] = value;
    }
  }

  function closeBlock(state: BlockState): void {
    if (state.closed) return;
    state.closed = true;
    parts.flushText(state);
    const block = state.block;
    const json = block.type === 'tool_use' ? parts.takeJson(state) : undefined;
    if (json === undefined) {
      if (block.type === 'tool_use') callbacks.onToolUse?.(block as ToolUseBlock);
      return;
    }
    if (json.trim() === '') {
      (block as ToolUseBlock).input = {};
    } else {
      try {
        (block as ToolUseBlock).input = JSON.parse(json);
      } catch {
        state.parseFailed = true;
        (block as ToolUseBlock).input = {};
        return;
      }
    }
    callbacks.onToolUse?.(block as ToolUseBlock);
  }

  /** Starts the block at `index`; a tool_use block collects its input JSON in fragments. */
  function openBlock(index: number, block: ContentBlock | UnknownBlock): BlockState {
    const state: BlockState = {
      block,
      jsonParts: block.type === 'tool_use' ? parts.fresh() : undefined,
      textParts: undefined,
      textField: 'text',
      closed: false,
      parseFailed: false,
      ownCitations: false,
      blockText: undefined,
    };
    blocks[index] = state;
    return state;
  }

  function openImplicitBlock(index: number, deltaType: string): BlockState {
    const thinking = deltaType === 'thinking_delta' || deltaType === 'signature_delta';
    return openBlock(index, thinking ? { type: 'thinking', thinking: '', signature: '' } : { type: 'text', text: '' });
  }

  /** The short form sends deltas with no index: continue the current block, or open the next one when the kind changes. */
  function implicitIndex(deltaType: string): number {
    const current = blocks[lastIndex];
    if (current === undefined) return Math.max(lastIndex, 0);
    const wantsThinking = deltaType === 'thinking_delta' || deltaType === 'signature_delta';
    const isThinking = current.block.type === 'thinking';
    const compatible = wantsThinking ? isThinking : current.block.type === 'text' || deltaType !== 'text_delta';
    return compatible && !current.closed ? lastIndex : lastIndex + 1;
  }

  /** Hands a text or thinking delta's string to its callback. */
  function report(state: BlockState, type: PlainDelta['type'], value: string): void {
    if (type === 'text_delta') {
      if (callbacks.onText === undefined) return;
      if (state.blockText === undefined) state.blockText = () => state.textParts?.join() ?? '';
      callbacks.onText(value, state.blockText);
    } else if (type === 'thinking_delta') {
      callbacks.onThinking?.(value);
    }
  }

  /** Adds the string of a text, thinking or tool-input delta to its block, and reports text and thinking. */
  function applyString(state: BlockState, type: PlainDelta['type'], value: string): void {
    parts.of(state, type).push(value);
    report(state, type, value);
  }

  /** Adds a delta to its block: text, tool-input JSON, thinking, a signature, a citation, or one kept as is. */
  function applyDelta(state: BlockState, delta: { type: string; [field: string]: unknown }): void {
    const block = state.block as Record<string, unknown>;
    switch (delta.type) {
      case 'text_delta':
        applyString(state, 'text_delta', String(delta.text ?? ''));
        break;
      case 'input_json_delta':
        applyString(state, 'input_json_delta', String(delta.partial_json ?? ''));
        break;
      case 'thinking_delta':
        applyString(state, 'thinking_delta', String(delta.thinking ?? ''));
        break;
      case 'signature_delta':
        block.signature = `${(block.signature as string | undefined) ?? ''}${String(delta.signature ?? '')}`;
        break;
      case 'citations_delta': {
        // Copied once, so the content_block_start event a listener holds keeps its own array.
        if (!state.ownCitations) {
          block.citations = [...((block.citations as unknown[] | undefined) ?? [])];
          state.ownCitations = true;
        }
        (block.citations as unknown[]).push(delta.citation);
        break;
      }
      default:
        keepUnknownDelta(block, delta);
    }
  }

  function apply(event: MessageStreamEvent): void {
    started = true;
    const known = event as KnownMessageStreamEvent;
    switch (known.type) {
      case 'message_start': {
        const { content: _content, usage: startUsage, ...rest } = known.message ?? {};
        base = rest;
        mergeUsage(startUsage);
        break;
      }
      case 'content_block_start': {
        // A shallow copy: the accumulator only replaces top-level fields (and copies `citations` before adding),
        // so the event a listener holds is left as it came, and short strings JSON.parse shared stay shared.
        openBlock(known.index, { ...known.content_block });
        lastIndex = known.index;
        break;
      }
      case 'content_block_delta': {
        const delta = known.delta as { type: string; [field: string]: unknown };
        const index = typeof known.index === 'number' ? known.index : implicitIndex(delta.type);
        const state = blocks[index] ?? openImplicitBlock(index, delta.type);
        lastIndex = index;
        applyDelta(state, delta);
        break;
      }
      case 'content_block_stop': {
        const state = blocks[known.index];
        if (state) closeBlock(state);
        break;
      }
      case 'message_delta':
        if (known.delta?.stop_reason !== undefined) stopReason = known.delta.stop_reason;
        if (known.delta?.stop_sequence !== undefined) stopSequence = known.delta.stop_sequence;
        mergeUsage(known.usage);
        break;
      case 'message_stop':
        stopped = true;
        break;
      default:
        // ping, error and unknown events change nothing in the message.
        break;
    }
  }

  /** True when a text or thinking delta's string has a callback to go to now. */
  function wantsString(type: PlainDelta['type']): boolean {
    if (type === 'text_delta') return callbacks.onText !== undefined && (wants.text?.() ?? true);
    return type === 'thinking_delta' && callbacks.onThinking !== undefined && (wants.thinking?.() ?? true);
  }

  function applyPlainDelta(delta: PlainDelta): void {
    started = true;
    const { index, type, bytes } = delta;
    const state = blocks[index] ?? openImplicitBlock(index, type);
    lastIndex = index;
    if (bytes === undefined) {
      applyString(state, type, delta.value as string);
      return;
    }
    // The delta's bytes are kept as they came; a string is made only for a callback with someone to hand it to.
    const kept = parts.of(state, type);
    if (delta.escaped) kept.pushJsonContent(bytes, delta.start, delta.end);
    else kept.pushUtf8(bytes, delta.start, delta.end, delta.view);
    if (wantsString(type)) report(state, type, plainDeltaValue(delta));
  }

  function finish(options: { allowIncomplete?: boolean } = {}): Message {
    const allowIncomplete = options.allowIncomplete === true || stopReason === 'max_tokens';
    // `map` over the open blocks allocates the array at its exact length: a transcript keeps it for the whole run.
    const content = blocks
      .filter((state) => state !== undefined)
      .map((state): ContentBlock | UnknownBlock => {
        parts.flushText(state);
        if (state.block.type === 'tool_use') {
          if (!state.closed) closeBlock(state);
          if (state.parseFailed || (!stopped && !allowIncomplete && state.jsonParts !== undefined)) {
            if (!allowIncomplete) {
              throw new StreamError(
                `The input of tool_use block "${(state.block as ToolUseBlock).name}" is not valid JSON.`,
                { code: 'invalid_tool_input', retryable: true },
              );
            }
            (state.block as ToolUseBlock).incomplete = true;
          }
        }
        return state.block;
      });
    return {
      id: base.id ?? '',
      type: 'message',
      role: 'assistant',
      model: base.model ?? '',
      ...base,
      content,
      stop_reason: stopReason ?? base.stop_reason ?? null,
      stop_sequence: stopSequence ?? base.stop_sequence ?? null,
      usage: { ...usage },
    };
  }

  return {
    apply,
    applyPlainDelta,
    finish,
    get stopped() {
      return stopped;
    },
    get started() {
      return started;
    },
  };
}
