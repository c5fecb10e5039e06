/**
 * A server-sent events decoder that works on the stream's bytes and hands each event's data on as bytes: the
 * stream is never decoded whole, only what a reader asks for. It follows the rules `createSseDecoder` does
 * (any split, CRLF/LF/CR line ends, `:` comments, multi-line `data:`, a byte order mark at the start), for the
 * client's own reading (`readEventStream`), where most data never becomes a string.
 * @module
 */
import { copyBytes, withRoom } from './byte-buffer.js';
import { PendingEvent } from './pending-event.js';
import { FIELD_DATA, FIELD_EVENT, fieldOf, fieldValueStart, lineEnd, sameBytes, valueStart } from './sse-line.js';
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
const COLON = 58;
/** The longest event kept whole while it waits for its end; a longer one is read line by line. */
const MAX_PENDING = 1 << 16;

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
  /** An event the last chunk's end cut, waiting whole for its end (only when `readEvent` is given). */
  const pending = new PendingEvent();

  function appendLine(bytes: Uint8Array, start: number, end: number): void {
    line = withRoom(line, lineLength, lineLength + end - start);
    copyBytes(bytes, start, end, line, lineLength);
    lineLength += end - start;
  }

  /** Moves the data into `owned`, where it stays valid. */
  function keepData(): void {
    if (data === owned) return;
    const length = dataEnd - dataStart;
    owned = withRoom(owned, 0, length);
    copyBytes(data, dataStart, dataEnd, owned, 0);
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
    copyBytes(bytes, start, end, owned, dataEnd + 1);
    data = owned;
    dataEnd += 1 + end - start;
  }

  function setName(bytes: Uint8Array, start: number, end: number): void {
    sawField = true;
    if (!sameBytes(bytes, start, end, nameBytes)) {
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
    sawField = true;
    const field = fieldOf(bytes, start, end);
    if (field === FIELD_DATA) addData(bytes, fieldValueStart(bytes, start, end), end);
    else if (field === FIELD_EVENT) setName(bytes, fieldValueStart(bytes, start, end), end);
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

  /**
   * Goes on with the pending event in `chunk` from `start`: returns -1 when the chunk went into it whole, else
   * where the chunk goes on after it, the event read (in one piece, or line by line when `readEvent` leaves it).
   */
  function continuePending(chunk: Uint8Array, start: number): number {
    const end = pending.endIn(chunk, start);
    if (end === -1 && pending.length + chunk.length - start <= MAX_PENDING) {
      pending.add(chunk, start, chunk.length);
      return -1;
    }
    if (end === -1 || end === -2) {
      // A CR line end, or an event too long to wait for whole: its bytes so far are read line by line.
      feedBytes(pending.take(), 0, true);
      return start;
    }
    pending.add(chunk, start, end);
    const read = readEvent?.(pending.bytes, 0, pending.length) ?? -1;
    if (read === pending.length) pending.length = 0;
    else feedBytes(pending.take(), Math.max(read, 0), true);
    return end;
  }

  /** Feeds `chunk` from `from`; `linesOnly` when it is a pending event's bytes, not offered to `readEvent` again. */
  function feedBytes(chunk: Uint8Array, from: number, linesOnly = false): void {
    const length = chunk.length;
    let start = from;
    if (pending.length > 0) {
      start = continuePending(chunk, start);
      if (start < 0) return;
    }
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
      if (readEvent !== undefined && !sawField && !linesOnly) {
        const next = readEvent(chunk, start, length);
        if (next >= 0) {
          start = next;
          continue;
        }
        // An event the chunk's end cuts waits whole, to be read in one piece when its end comes.
        if (pending.endIn(chunk, start) === -1) {
          pending.add(chunk, start, length);
          return;
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
      if (pending.length > 0) feedBytes(pending.take(), 0, true);
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
