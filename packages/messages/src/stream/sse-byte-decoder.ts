/**
 * A server-sent events decoder that works on the stream's bytes and hands each event's data on as bytes: the
 * stream is never decoded whole, only what a reader asks for. It follows the rules `createSseDecoder` does
 * (any split, CRLF/LF/CR line ends, `:` comments, multi-line `data:`, a byte order mark at the start), for the
 * client's own reading (`readEventStream`), where most data never becomes a string.
 * @module
 */
import { decodeUtf8 } from './utf8.js';

/** Callbacks of a byte decoder. */
export interface SseByteDecoderOptions {
  /**
   * Called once per complete event: its `event:` field (`undefined` when it named none) and its data, the
   * `data:` lines joined by `\n`, as UTF-8 in `bytes[start, end)` — valid only during the call.
   */
  onEvent: (name: string | undefined, bytes: Uint8Array, start: number, end: number) => void;
  /**
   * Offered each event before the decoder reads it, with the chunk from where it starts: it may read the
   * whole event itself (as `onEvent` would have had it) and return where the event ends, after its blank
   * line; or return -1, having done nothing, to leave it to the decoder. The common event is read in one
   * pass this way, with no line searched for.
   */
  readEvent?: (bytes: Uint8Array, start: number, limit: number) => number;
}

/** A decoder returned by `createSseByteDecoder`. */
export interface SseByteDecoder {
  /** Feeds the next chunk of the stream. */
  feed(chunk: Uint8Array): void;
  /** Ends the stream: reads a last unended line; returns true when a partial event was left undispatched. */
  end(): boolean;
}

const EMPTY: Uint8Array = new Uint8Array(0);
const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;
const DATA = Uint8Array.of(100, 97, 116, 97);
const EVENT = Uint8Array.of(101, 118, 101, 110, 116);

/** `buffer` with room for `needed` bytes, its first `used` kept: itself, or a copy twice as large. */
function withRoom(buffer: Uint8Array, used: number, needed: number): Uint8Array {
  if (needed <= buffer.length) return buffer;
  const grown = new Uint8Array(Math.max(256, needed * 2));
  grown.set(buffer.subarray(0, used));
  return grown;
}

/** True when `bytes[start, end)` is `name`. */
function isName(bytes: Uint8Array, start: number, end: number, name: Uint8Array): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i += 1) if (bytes[start + i] !== name[i]) return false;
  return true;
}

/** Where a field's value starts: after its colon and one optional space. */
function valueStart(bytes: Uint8Array, colon: number, end: number): number {
  return colon + 1 < end && bytes[colon + 1] === SPACE ? colon + 2 : colon + 1;
}

/**
 * Where the first line end (LF or CR) at or after `bytes[start]` is, or -1. A loop: the lines it looks through
 * are the few `readEvent` leaves, and searching a chunk for CRs it does not have would cost more.
 */
function lineEnd(bytes: Uint8Array, start: number): number {
  const length = bytes.length;
  for (let i = start; i < length; i += 1) {
    const byte = bytes[i];
    if (byte === LF || byte === CR) return i;
  }
  return -1;
}

/** True when the `length` bytes at the start of `bytes` could begin a UTF-8 byte order mark (EF BB BF). */
function mayBeByteOrderMark(bytes: Uint8Array, length: number): boolean {
  return (length < 1 || bytes[0] === 0xef) && (length < 2 || bytes[1] === 0xbb) && (length < 3 || bytes[2] === 0xbf);
}

/**
 * Creates a byte decoder: `createSseByteDecoder({ onEvent: (name, bytes, start, end) => … })`.
 *
 * Why this function is long: it is the decoder's object, a closure over the state every byte passes through
 * (the hot path of streaming); each inner function is short and named for its step.
 */
export function createSseByteDecoder({ onEvent, readEvent }: SseByteDecoderOptions): SseByteDecoder {
  /** The unended line, copied from the chunks it came in. */
  let line = EMPTY;
  let lineLength = 0;
  /** A CR ended the last chunk: a LF starting the next is the rest of its line end. */
  let skipLineFeed = false;
  /** Until the first bytes are known not to be a byte order mark, they wait in `line`. */
  let atStart = true;
  let name: string | undefined;
  let data = EMPTY;
  let dataStart = 0;
  let dataEnd = 0;
  let dataLines = 0;
  /** True once a field of the event was read (so it is not offered to `readEvent`). */
  let sawField = false;
  /** The data when it cannot stay where it came: in several lines, or in a chunk the event outlives. */
  let owned = EMPTY;
  /** The last event name decoded, and its bytes: the same name again is not decoded again. */
  let nameBytes = EMPTY;
  let nameText = '';

  function appendLine(bytes: Uint8Array, start: number, end: number): void {
    line = withRoom(line, lineLength, lineLength + end - start);
    line.set(bytes.subarray(start, end), lineLength);
    lineLength += end - start;
  }

  /** Moves the data into `owned`, where it stays valid. */
  function keepData(): void {
    if (data === owned) return;
    const length = dataEnd - dataStart;
    owned = withRoom(owned, 0, length);
    owned.set(data.subarray(dataStart, dataEnd));
    data = owned;
    dataStart = 0;
    dataEnd = length;
  }

  function addData(bytes: Uint8Array, start: number, end: number): void {
    sawField = true;
    if (dataLines++ === 0) {
      data = bytes;
      dataStart = start;
      dataEnd = end;
      return;
    }
    keepData();
    owned = withRoom(owned, dataEnd, dataEnd + 1 + end - start);
    owned[dataEnd] = LF;
    owned.set(bytes.subarray(start, end), dataEnd + 1);
    data = owned;
    dataEnd += 1 + end - start;
  }

  function setName(bytes: Uint8Array, start: number, end: number): void {
    sawField = true;
    if (!isName(bytes, start, end, nameBytes)) {
      nameBytes = bytes.slice(start, end);
      nameText = decodeUtf8(bytes, start, end);
    }
    name = nameText;
  }

  function dispatch(): void {
    const lines = dataLines;
    dataLines = 0;
    sawField = false;
    const eventName = name;
    name = undefined;
    if (lines > 0) onEvent(eventName, data, dataStart, dataEnd);
    data = EMPTY;
  }

  /** Handles the line `bytes[start, end)`. */
  function processLine(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length === 0) {
      dispatch();
      return;
    }
    const first = bytes[start];
    // `data:` and `event:` are nearly every line: recognised byte by byte, with no search for the colon.
    if (
      first === 100 /* d */ &&
      length >= 5 &&
      bytes[start + 4] === COLON &&
      bytes[start + 1] === 97 /* a */ &&
      bytes[start + 2] === 116 /* t */ &&
      bytes[start + 3] === 97 /* a */
    ) {
      addData(bytes, valueStart(bytes, start + 4, end), end);
      return;
    }
    if (
      first === 101 /* e */ &&
      length >= 6 &&
      bytes[start + 5] === COLON &&
      bytes[start + 1] === 118 /* v */ &&
      bytes[start + 2] === 101 /* e */ &&
      bytes[start + 3] === 110 /* n */ &&
      bytes[start + 4] === 116 /* t */
    ) {
      setName(bytes, valueStart(bytes, start + 5, end), end);
      return;
    }
    if (first === COLON) return; // a comment
    let colon = start;
    while (colon < end && bytes[colon] !== COLON) colon += 1;
    const value = colon < end ? valueStart(bytes, colon, end) : end;
    sawField = true;
    if (isName(bytes, start, colon, DATA)) addData(bytes, value, end);
    else if (isName(bytes, start, colon, EVENT)) setName(bytes, value, end);
    // `id`, `retry` and unknown fields carry nothing a message stream needs.
  }

  /**
   * Where the next line starts after the line end at `bytes[end]` (`\n`, `\r` or `\r\n`); a `\r` that ends
   * the chunk may be the first half of a `\r\n`, which the next chunk settles.
   */
  function afterLineEnd(bytes: Uint8Array, end: number): number {
    if (bytes[end] === LF) return end + 1;
    if (end + 1 === bytes.length) {
      skipLineFeed = true;
      return end + 1;
    }
    return bytes[end + 1] === LF ? end + 2 : end + 1;
  }

  /** Ends the unended line carried from earlier chunks at `chunk[end]`, where its line end is. */
  function endCarriedLine(chunk: Uint8Array, start: number, end: number): void {
    appendLine(chunk, start, end);
    const length = lineLength;
    lineLength = 0;
    processLine(line, 0, length);
    // `line` is reused for the next unended line: data read from it moves out.
    if (dataLines > 0 && data === line) keepData();
  }

  function feedBytes(chunk: Uint8Array, from: number): void {
    const length = chunk.length;
    let start = from;
    if (skipLineFeed && start < length) {
      skipLineFeed = false;
      if (chunk[start] === LF) start += 1;
    }
    if (lineLength > 0) {
      const end = lineEnd(chunk, start);
      if (end === -1) {
        appendLine(chunk, start, length);
        return;
      }
      endCarriedLine(chunk, start, end);
      start = afterLineEnd(chunk, end);
    }
    while (start < length) {
      if (readEvent !== undefined && !sawField) {
        const next = readEvent(chunk, start, length);
        if (next >= 0) {
          start = next;
          continue;
        }
      }
      const end = lineEnd(chunk, start);
      if (end === -1) break;
      processLine(chunk, start, end);
      start = afterLineEnd(chunk, end);
    }
    if (start < length) appendLine(chunk, start, length);
    // The event goes on in the next chunk: its data must not depend on this one.
    if (dataLines > 0 && data === chunk) keepData();
  }

  /** The first bytes wait in `line` until three are known; a byte order mark among them is dropped. */
  function feedStart(chunk: Uint8Array): void {
    if (lineLength === 0 && chunk.length >= 3) {
      atStart = false;
      feedBytes(chunk, mayBeByteOrderMark(chunk, 3) ? 3 : 0);
      return;
    }
    appendLine(chunk, 0, chunk.length);
    if (lineLength < 3 && mayBeByteOrderMark(line, lineLength)) return;
    atStart = false;
    const held = line.slice(mayBeByteOrderMark(line, 3) ? 3 : 0, lineLength);
    lineLength = 0;
    feedBytes(held, 0);
  }

  return {
    feed(chunk) {
      if (atStart) feedStart(chunk);
      else feedBytes(chunk, 0);
    },
    end() {
      atStart = false;
      if (lineLength > 0) {
        const length = lineLength;
        lineLength = 0;
        processLine(line, 0, length);
      }
      const truncated = dataLines > 0 || sawField;
      dataLines = 0;
      sawField = false;
      name = undefined;
      data = EMPTY;
      return truncated;
    },
  };
}
