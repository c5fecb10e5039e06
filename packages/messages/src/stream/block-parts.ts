/**
 * `BlockParts`: where an accumulator keeps each block's streamed text, thinking and tool-input JSON
 * (`KeptText`), and how a block's kept text becomes its field. The buffer of a finished block is handed to
 * the next (blocks mostly stream one after another), so a stream grows one buffer, not one per block.
 * @module
 */

import { keepShape } from '../internal/keep-shape.js';
import { KeptText } from './kept-text.js';
import type { BlockState } from './message-accumulator-types.js';
import type { PlainDeltaType } from './parse-delta-event.js';

/** The kept text of one accumulator's blocks. */
export class BlockParts {
  /** The buffer of the last kept text let go, for the next. */
  #spare: Uint8Array | undefined;

  /** A new, empty kept text (in the buffer the last finished one let go). */
  fresh(): KeptText {
    const text = new KeptText(this.#spare);
    this.#spare = undefined;
    return text;
  }

  /** Where a delta of `type` is kept in `state`'s block. */
  of(state: BlockState, type: PlainDeltaType): KeptText {
    if (type === 'text_delta') return this.#text(state, 'text');
    if (type === 'thinking_delta') return this.#text(state, 'thinking');
    if (state.jsonParts === undefined) state.jsonParts = this.fresh();
    return state.jsonParts;
  }

  /** Writes the block's kept text or thinking into its field, as one string, and lets its buffer go. */
  flushText(state: BlockState): void {
    if (state.textParts === undefined) return;
    (state.block as Record<string, unknown>)[state.textField] = state.textParts.join();
    this.#spare = state.textParts.release();
    state.textParts = undefined;
  }

  /** The block's tool-input JSON as one string (`undefined` when none was kept), its buffer let go. */
  takeJson(state: BlockState): string | undefined {
    if (state.jsonParts === undefined) return undefined;
    const json = state.jsonParts.join();
    this.#spare = state.jsonParts.release();
    state.jsonParts = undefined;
    return json;
  }

  /** Where `field`'s deltas go: the block's kept text, begun with the field's text so far when the field changes. */
  #text(state: BlockState, field: 'text' | 'thinking'): KeptText {
    if (state.textParts === undefined || state.textField !== field) {
      this.flushText(state);
      const existing = (state.block as Record<string, unknown>)[field];
      state.textParts = this.fresh();
      if (typeof existing === 'string' && existing.length > 0) state.textParts.push(existing);
      state.textField = field;
    }
    return state.textParts;
  }
}

// Its hidden class outlives every stream's instances (`keepShape`).
keepShape(new BlockParts());
