/**
 * Collects the many small strings of a streamed field (text, thinking or tool-input deltas) and joins
 * them once at the end, linear in the total size.
 *
 * Kept as-is, a long stream's thousands of small delta strings each survive garbage collections and are
 * copied by each one, which costs more than reading the stream. So pieces are joined in two steps as
 * they arrive: every `GROUP_SIZE` pieces into a group (the deltas then die young), and groups into a
 * block once they hold `BLOCK_CHARS` characters — a string that large V8 allocates outside the young
 * generation, where it is never copied again.
 * @module
 */

import { keepShape } from '../internal/keep-shape.js';

/** Pieces joined into a group as soon as this many have arrived. */
const GROUP_SIZE = 64;
/** Groups joined into a block once they hold this many characters. */
const BLOCK_CHARS = 128 * 1024;

/** An append-only list of string pieces, joined on demand. */
export class StringPieces {
  /** Joined blocks of at least `BLOCK_CHARS` characters. */
  #blocks: string[] = [];
  /** Joined groups of `GROUP_SIZE` pieces, not yet a block. */
  #groups: string[] = [];
  #groupChars = 0;
  /** Pieces of the current, unfinished group. */
  #pieces: string[] = [];

  /** Adds the next piece. */
  push(piece: string): void {
    this.#pieces.push(piece);
    if (this.#pieces.length < GROUP_SIZE) return;
    const group = this.#pieces.join('');
    this.#pieces = [];
    this.#groups.push(group);
    this.#groupChars += group.length;
    if (this.#groupChars >= BLOCK_CHARS) {
      this.#blocks.push(this.#groups.join(''));
      this.#groups = [];
      this.#groupChars = 0;
    }
  }

  /** The pieces so far as one flat string (one copy: `a + b` would leave a rope to flatten later). */
  join(): string {
    const pieces = this.#pieces;
    if (this.#blocks.length === 0 && this.#groups.length === 0) {
      return pieces.length === 1 ? (pieces[0] as string) : pieces.join('');
    }
    const parts = this.#blocks.concat(this.#groups, pieces);
    return parts.length === 1 ? (parts[0] as string) : parts.join('');
  }
}

// Its hidden class outlives every stream's instances (`keepShape`).
keepShape(new StringPieces());
