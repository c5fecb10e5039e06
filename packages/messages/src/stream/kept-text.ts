/**
 * The text of one streamed field (text, thinking or tool-input JSON), kept as UTF-8 bytes in a buffer of its
 * own, outside the JS heap, and made into one string when asked.
 *
 * Kept as strings, a long stream's thousands of delta strings each survive the young generation's garbage
 * collections and are copied by each (and again by the joins that follow): that cost more than reading the
 * stream. The bytes of an ArrayBuffer are never moved by a collection. A delta read from the stream's bytes
 * is copied as it came (escapes undone), with no string ever made for it. A delta that already is a string
 * (an event a listener was handed, say) is kept as a string (`StringPieces`): encoding it would cost more.
 * The string made at the end is one byte per character whenever every character fits in one (V8 decodes
 * UTF-8 so; strings are made so by `compactString`), however the deltas came.
 * @module
 */
import { keepShape } from '../internal/keep-shape.js';
import { withRoom } from './byte-buffer.js';
import { compactString } from './compact-string.js';
import { unescapeInto } from './json-string-bytes.js';
import { StringPieces } from './string-pieces.js';
import { decodeUtf8, unfinishedTail } from './utf8.js';

const EMPTY: Uint8Array = new Uint8Array(0);
/** Ranges up to this long are copied by a loop: cheaper than the subarray `set` needs. */
const SHORT_COPY = 128;
/** Room kept for an unfinished character's 1 to 3 bytes becoming the 3 of U+FFFD. */
const SLACK = 2;

/** An append-only text, kept as UTF-8 bytes and decoded on demand. */
export class KeptText {
  #bytes: Uint8Array;
  /** A view of `#bytes`, to copy four bytes at a time. */
  #view: DataView;
  #length = 0;
  /** The text before the bytes: strings added, and the bytes before each of them, decoded. */
  #pieces: StringPieces | undefined;

  /** Starts empty, in `buffer` when given (one a finished `KeptText` let go: `release`). */
  constructor(buffer: Uint8Array = EMPTY) {
    this.#bytes = buffer;
    this.#view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  /** The buffer, grown (doubled) to hold `extra` more bytes. */
  #room(extra: number): Uint8Array {
    const grown = withRoom(this.#bytes, this.#length, this.#length + extra);
    if (grown === this.#bytes) return grown;
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
    return grown;
  }

  /** Adds a string. */
  push(text: string): void {
    if (text.length === 0) return;
    if (this.#pieces === undefined) this.#pieces = new StringPieces();
    if (this.#length > 0) {
      this.#pieces.push(decodeUtf8(this.#bytes, 0, this.#length));
      this.#length = 0;
    }
    this.#pieces.push(text);
  }

  /**
   * Adds the UTF-8 bytes `bytes[start, end)`; `view`, a view of `bytes` when the caller has one, lets a short
   * range be copied four bytes at a time.
   */
  pushUtf8(bytes: Uint8Array, start: number, end: number, view?: DataView): void {
    const into = this.#room(end - start + SLACK);
    let at = this.#length;
    if (end - start <= SHORT_COPY) {
      let i = start;
      if (view !== undefined) {
        const out = this.#view;
        for (; i + 4 <= end; i += 4, at += 4) out.setUint32(at, view.getUint32(i));
      }
      for (; i < end; i += 1) into[at++] = bytes[i] as number;
    } else {
      into.set(bytes.subarray(start, end), at);
      at += end - start;
    }
    this.#close(at);
  }

  /** Adds the content `bytes[start, end)` of a JSON string, its escapes undone (each valid by `escapeLength`). */
  pushJsonContent(bytes: Uint8Array, start: number, end: number): void {
    const into = this.#room(end - start + SLACK);
    this.#close(unescapeInto(bytes, start, end, into, this.#length));
  }

  /**
   * Ends the bytes just added at `end`. A character they leave unfinished becomes one U+FFFD, as it is when
   * they are decoded alone (and as the stream's decoder makes it, the closing quote following): joined as
   * it is, the next piece's bytes might have finished it.
   */
  #close(end: number): void {
    const tail = unfinishedTail(this.#bytes, this.#length, end);
    let at = end - tail;
    if (tail > 0) {
      this.#bytes[at++] = 0xef;
      this.#bytes[at++] = 0xbf;
      this.#bytes[at++] = 0xbd;
    }
    this.#length = at;
  }

  /** All the text added so far, as one flat string (one byte per character whenever it can be). */
  join(): string {
    const text = decodeUtf8(this.#bytes, 0, this.#length);
    if (this.#pieces === undefined) return text;
    return compactString(this.#length === 0 ? this.#pieces.join() : [this.#pieces.join(), text].join(''));
  }

  /** Empties it and hands over its buffer, for another `KeptText` to fill (no growing it again from nothing). */
  release(): Uint8Array {
    const bytes = this.#bytes;
    this.#bytes = EMPTY;
    this.#length = 0;
    this.#pieces = undefined;
    return bytes;
  }
}

// Its hidden class outlives every stream's instances (`keepShape`).
keepShape(new KeptText());
