/**
 * The plain-delta fast path read straight from an event's UTF-8 data, with no string made: the shapes
 * `readPlainDelta` reads (`{"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"…"}}`
 * and the same for `thinking_delta` and `input_json_delta`). It takes a subset of what `readPlainDelta` takes
 * from the same data decoded, and for each delta it takes, the string its bytes stand for is the one
 * `readPlainDelta` reads; what it leaves (a lone surrogate escape, say) goes to `readPlainDelta` as before.
 * `readEvent` reads the whole SSE event around such data, for the decoder, in one pass.
 * @module
 */
import { escapeLength } from './json-string-bytes.js';
import { PLAIN_DELTA_KINDS, PLAIN_DELTA_PREFIX, type PlainDelta, type PlainDeltaType } from './parse-delta-event.js';

/** A run of ASCII bytes, compared four at a time (a `DataView` read is one compare where a loop makes four). */
interface Literal {
  /** Its bytes in big-endian 32-bit words, then the last one to three bytes. */
  words: Uint32Array;
  tail: Uint8Array;
  length: number;
}

function literal(text: string): Literal {
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  const count = bytes.length >> 2;
  const words = new Uint32Array(count);
  for (let i = 0; i < count; i += 1) words[i] = view.getUint32(4 * i);
  return { words, tail: bytes.subarray(4 * count), length: bytes.length };
}

const PREFIX = literal(PLAIN_DELTA_PREFIX);
/** What follows the index, to the string's opening quote, by type: `,"delta":{"type":"text_delta","text":"`… */
const KINDS: Record<PlainDeltaType, Literal> = {
  text_delta: literal(PLAIN_DELTA_KINDS.text_delta),
  thinking_delta: literal(PLAIN_DELTA_KINDS.thinking_delta),
  input_json_delta: literal(PLAIN_DELTA_KINDS.input_json_delta),
};
/** Where the kinds first differ: the first letter of the type's name (`t`ext, `t`hinking or `i`nput), then its second. */
const TYPE_LETTER = ',"delta":{"type":"'.length;
const EVENT_FIELD = literal('event:');
/** The head of a delta event as servers send it, to its index: recognised in one compare, words at a time. */
const DELTA_EVENT = literal(`event: content_block_delta\ndata: ${PLAIN_DELTA_PREFIX}`);
const DATA_FIELD = literal('data:');
const QUOTE = 34;
const BACKSLASH = 92;
const CLOSE_BRACE = 125;
const LF = 10;
const CR = 13;
const SPACE = 32;

/** True when `bytes` (seen through `view`) holds `part` at `at`, before `end`. */
function holdsAt(view: DataView, bytes: Uint8Array, part: Literal, at: number, end: number): boolean {
  if (at + part.length > end) return false;
  const { words, tail } = part;
  for (let i = 0; i < words.length; i += 1) if (view.getUint32(at + 4 * i) !== words[i]) return false;
  const rest = at + 4 * words.length;
  for (let i = 0; i < tail.length; i += 1) if (bytes[rest + i] !== tail[i]) return false;
  return true;
}

/** The delta type whose name starts at `bytes[at]`: `text_…`, `thinking_…` or `input_json_…`. */
function kindAt(bytes: Uint8Array, at: number): PlainDeltaType {
  if (bytes[at] !== 116 /* t */) return 'input_json_delta';
  return bytes[at + 1] === 101 /* e */ ? 'text_delta' : 'thinking_delta';
}

/** The four bytes of a big-endian word, each checked for a quote, a backslash or a control character at once. */
function needsALook(word: number): boolean {
  const quote = word ^ 0x22222222;
  const backslash = word ^ 0x5c5c5c5c;
  // A byte is zero in `x` when `(x - 0x01) & ~x` sets its top bit; below 0x20 when `(x - 0x20) & ~x` does.
  const flags =
    ((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash) | ((word - 0x20202020) & ~word);
  return (flags & 0x80808080) !== 0;
}

/**
 * Where the string whose content starts at `bytes[start]` ends: its closing quote, before `limit`, found four
 * bytes at a time where none needs a look. -1 when the content is not what `readPlainDelta` takes: an escape
 * that is invalid or a lone surrogate (valid JSON no UTF-8 can carry), a raw control character in a string
 * that also holds an escape (`JSON.parse`, which `readPlainDelta` uses once a string has an escape, refuses
 * those), or a raw line end (an SSE line ends there). Notes in `into.escaped` whether it holds escapes.
 */
function stringEnd(bytes: Uint8Array, view: DataView, start: number, limit: number, into: PlainDelta): number {
  let escaped = false;
  let control = false;
  let i = start;
  while (i < limit) {
    if (i + 4 <= limit && !needsALook(view.getUint32(i))) {
      i += 4;
      continue;
    }
    const byte = bytes[i] as number;
    if (byte === QUOTE) {
      into.escaped = escaped;
      return escaped && control ? -1 : i;
    }
    if (byte === BACKSLASH) {
      const length = escapeLength(bytes, i, limit);
      if (length === 0) return -1;
      escaped = true;
      i += length;
      continue;
    }
    if (byte < 0x20) {
      if (byte === LF || byte === CR) return -1;
      control = true;
    }
    i += 1;
  }
  return -1;
}

/**
 * Reads the data `bytes[start, limit)` from the start of a plain delta's JSON to its string's opening quote into
 * `into` (index and type), and returns where the string's content starts; -1 when it is not a plain delta.
 */
function readHead(bytes: Uint8Array, view: DataView, start: number, limit: number, into: PlainDelta): number {
  if (!holdsAt(view, bytes, PREFIX, start, limit)) return -1;
  return readIndexAndKind(bytes, view, start + PREFIX.length, limit, into);
}

/** `readHead` after its prefix: from the index at `bytes[start]` to the string's opening quote. */
function readIndexAndKind(bytes: Uint8Array, view: DataView, start: number, limit: number, into: PlainDelta): number {
  // The index: one to nine ASCII digits, no leading zero.
  let position = start;
  let index = 0;
  for (; position < limit; position += 1) {
    const code = bytes[position] as number;
    if (code < 48 || code > 57) break;
    index = index * 10 + (code - 48);
  }
  const digits = position - start;
  if (digits === 0 || digits > 9 || (digits > 1 && bytes[start] === 48) /* 0 */) return -1;
  const type = kindAt(bytes, position + TYPE_LETTER);
  const kind = KINDS[type];
  if (!holdsAt(view, bytes, kind, position, limit)) return -1;
  into.index = index;
  into.type = type;
  return position + kind.length;
}

/**
 * `readHead` of the SSE event at `bytes[start]`: its optional `event:` line (any name: `readPlainDelta` never
 * reads it), then its `data:` line to the string's opening quote; -1 when it is not that.
 */
function readFields(bytes: Uint8Array, view: DataView, start: number, limit: number, into: PlainDelta): number {
  let at = start;
  if (holdsAt(view, bytes, EVENT_FIELD, at, limit)) {
    at = lineFeedAfter(bytes, at + EVENT_FIELD.length, limit) + 1;
    if (at === 0) return -1;
  }
  if (!holdsAt(view, bytes, DATA_FIELD, at, limit)) return -1;
  at += DATA_FIELD.length;
  if (bytes[at] === SPACE) at += 1;
  return readHead(bytes, view, at, limit, into);
}

/** Fills in where `into`'s string is: `bytes[start, end)`, seen through `view`. */
function locate(into: PlainDelta, bytes: Uint8Array, view: DataView, start: number, end: number): void {
  into.value = undefined;
  into.bytes = bytes;
  into.view = view;
  into.start = start;
  into.end = end;
}

/** Where the line starting at `bytes[at]` ends (its LF), when it is all before `limit` and holds no CR; else -1. */
function lineFeedAfter(bytes: Uint8Array, at: number, limit: number): number {
  for (let i = at; i < limit; i += 1) {
    const byte = bytes[i];
    if (byte === LF) return i;
    if (byte === CR) return -1;
  }
  return -1;
}

/** A reader of plain deltas from one stream's bytes. */
export interface PlainDeltaBytesReader {
  /**
   * Reads the `content_block_delta` of the plain shape in the UTF-8 data `bytes[start, end)` into `into` (its
   * `value` left `undefined`, its `bytes` the string's content) and returns true; returns false, leaving `into`
   * in any state, for anything else.
   */
  read(bytes: Uint8Array, start: number, end: number, into: PlainDelta): boolean;
  /**
   * Reads a whole SSE event starting at `bytes[start]`, before `limit`, when it is a plain delta in the form
   * servers send: an optional `event:` line, one `data:` line, a blank line, each ended by a LF. Fills `into`
   * as `read` does and returns where the event ends (after its blank line); -1 for anything else, read or not.
   */
  readEvent(bytes: Uint8Array, start: number, limit: number, into: PlainDelta): number;
}

/**
 * Creates a reader (one per stream: it keeps views of the last two byte arrays it read, a chunk's and the
 * decoder's own, for data cut between chunks).
 *
 * Why this function is long: it is the reader's object, a closure over those views (the hot path of
 * streaming); its two methods are each a short sequence of the named steps above.
 */
export function createPlainDeltaBytesReader(): PlainDeltaBytesReader {
  let lastBytes: Uint8Array | undefined;
  let view: DataView = new DataView(new ArrayBuffer(0));
  let otherBytes: Uint8Array | undefined;
  let otherView = view;

  function viewOf(bytes: Uint8Array): DataView {
    if (bytes === lastBytes) return view;
    const next = bytes === otherBytes ? otherView : new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    otherBytes = lastBytes;
    otherView = view;
    lastBytes = bytes;
    view = next;
    return next;
  }

  return {
    read(bytes, start, end, into) {
      const bytesView = viewOf(bytes);
      const contentStart = readHead(bytes, bytesView, start, end, into);
      if (contentStart < 0) return false;
      // The string must end exactly before the closing `"}}`.
      const contentEnd = end - 3;
      if (
        contentEnd < contentStart ||
        bytes[contentEnd + 1] !== CLOSE_BRACE ||
        bytes[contentEnd + 2] !== CLOSE_BRACE ||
        stringEnd(bytes, bytesView, contentStart, end, into) !== contentEnd
      ) {
        return false;
      }
      locate(into, bytes, bytesView, contentStart, contentEnd);
      return true;
    },
    readEvent(bytes, start, limit, into) {
      const bytesView = viewOf(bytes);
      const contentStart = holdsAt(bytesView, bytes, DELTA_EVENT, start, limit)
        ? readIndexAndKind(bytes, bytesView, start + DELTA_EVENT.length, limit, into)
        : readFields(bytes, bytesView, start, limit, into);
      if (contentStart < 0) return -1;
      const contentEnd = stringEnd(bytes, bytesView, contentStart, limit, into);
      // `"}}`, the data line's LF, and the blank line's.
      if (
        contentEnd < 0 ||
        contentEnd + 5 > limit ||
        bytes[contentEnd + 1] !== CLOSE_BRACE ||
        bytes[contentEnd + 2] !== CLOSE_BRACE ||
        bytes[contentEnd + 3] !== LF ||
        bytes[contentEnd + 4] !== LF
      ) {
        return -1;
      }
      locate(into, bytes, bytesView, contentStart, contentEnd);
      return contentEnd + 5;
    },
  };
}
