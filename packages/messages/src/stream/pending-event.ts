/**
 * `PendingEvent`: the start of an SSE event that a chunk's end cut, kept whole (its bytes copied as they came)
 * until a later chunk brings its end, so the event can be read in one piece as if it had come in one chunk.
 * Reading it so costs a copy of its bytes; reading it line by line (the unended line carried, the rest of the
 * event found line by line, its data moved out of the chunk) cost several times that, once per chunk.
 * @module
 */

import { keepShape } from '../internal/keep-shape.js';
import { copyBytes, withRoom } from './byte-buffer.js';

const LF = 10;
const CR = 13;
/** The bytes of an event begun in earlier chunks, not yet ended. */
export class PendingEvent {
  /** The event's bytes so far, in `bytes[0, length)`; the buffer is reused from event to event. */
  bytes: Uint8Array = new Uint8Array(0);
  length = 0;

  /** Adds `chunk[start, end)` to the event. */
  add(chunk: Uint8Array, start: number, end: number): void {
    this.bytes = withRoom(this.bytes, this.length, this.length + end - start);
    copyBytes(chunk, start, end, this.bytes, this.length);
    this.length += end - start;
  }

  /**
   * Where the event goes on to its end in `chunk`, from `start`: the index after the LF of its blank line (the
   * first LF at the event's start or after another LF), -1 when the chunk does not end it, or -2 when a CR
   * comes first (line ends other than LF are left to the decoder's line by line reading).
   */
  endIn(chunk: Uint8Array, start: number): number {
    let afterLineFeed = this.length === 0 || this.bytes[this.length - 1] === LF;
    const length = chunk.length;
    for (let i = start; i < length; i += 1) {
      const byte = chunk[i];
      if (byte === LF) {
        if (afterLineFeed) return i + 1;
        afterLineFeed = true;
      } else if (byte === CR) {
        return -2;
      } else {
        afterLineFeed = false;
      }
    }
    return -1;
  }

  /** The event's bytes as a view of their own (for reading them line by line), the event emptied. */
  take(): Uint8Array {
    const bytes = this.bytes.subarray(0, this.length);
    this.length = 0;
    return bytes;
  }
}

// Its hidden class outlives every stream's instances (`keepShape`).
keepShape(new PendingEvent());
