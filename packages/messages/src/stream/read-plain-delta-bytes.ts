/**
 * The plain-delta fast path read straight from an event's UTF-8 data, with no string made: the shapes
 * `readPlainDelta` reads (`{"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"…"}}`
 * and the same for `thinking_delta` and `input_json_delta`). It takes a subset of what `readPlainDelta` takes
 * from the same data decoded, and for each delta it takes, the string its bytes stand for is the one
 * `readPlainDelta` reads; what it leaves (a lone surrogate escape, say) goes to `readPlainDelta` as before.
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
const QUOTE = 34;
const BACKSLASH = 92;
const CLOSE_BRACE = 125;

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

/**
 * True when the string content `bytes[start, end)`, which holds a backslash, is what `readPlainDelta` takes:
 * no unescaped quote, every escape valid and none a lone surrogate, and no raw control character (`JSON.parse`,
 * which `readPlainDelta` uses once a string holds an escape, refuses those).
 */
function escapedContentIsPlain(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const byte = bytes[i] as number;
    if (byte === BACKSLASH) {
      const length = escapeLength(bytes, i, end);
      if (length === 0) return false;
      i += length;
    } else {
      if (byte === QUOTE || byte < 0x20) return false;
      i += 1;
    }
  }
  return true;
}

/**
 * A reader of plain deltas from one stream's bytes. It remembers, per chunk, where the next backslash is: most
 * strings have none, and one search of the chunk's text serves all the strings before it.
 */
export interface PlainDeltaBytesReader {
  /**
   * Reads the `content_block_delta` of the plain shape in the UTF-8 data `bytes[start, end)` into `into` (its
   * `value` left `undefined`, its `bytes` the string's content) and returns true; returns false, leaving `into`
   * in any state, for anything else. `text` is `bytes` as Latin-1 text (each character at its byte's position).
   */
  read(bytes: Uint8Array, text: string, start: number, end: number, into: PlainDelta): boolean;
}

/**
 * Creates a reader (one per stream).
 *
 * Why this function is long: it is the hot path of streaming, a closure over the chunk it last read from;
 * the steps it takes are short and commented.
 */
export function createPlainDeltaBytesReader(): PlainDeltaBytesReader {
  /** Views of the last two byte arrays read (a chunk's, and the decoder's own for data cut between chunks). */
  let lastBytes: Uint8Array | undefined;
  let view: DataView = new DataView(new ArrayBuffer(0));
  let otherBytes: Uint8Array | undefined;
  let otherView = view;

  function viewOf(bytes: Uint8Array): void {
    const nextView = bytes === otherBytes ? otherView : new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    otherBytes = lastBytes;
    otherView = view;
    lastBytes = bytes;
    view = nextView;
  }
  let lastText = '';
  /** Where the last search for a backslash in `lastText` began, and what it found (the text's length: none). */
  let searchedFrom = 0;
  let backslash = -1;

  /** True when `text[start, end)` has a backslash (one search serves every string up to the one it finds). */
  function hasBackslash(text: string, start: number, end: number): boolean {
    if (text !== lastText || start < searchedFrom) {
      lastText = text;
      backslash = -1;
    }
    if (backslash < start) {
      searchedFrom = start;
      backslash = text.indexOf('\\', start);
      if (backslash === -1) backslash = text.length;
    }
    return backslash < end;
  }

  return {
    read(bytes, text, start, end, into) {
      if (bytes !== lastBytes) viewOf(bytes);
      if (!holdsAt(view, bytes, PREFIX, start, end)) return false;
      // The index: one to nine ASCII digits, no leading zero.
      let position = start + PREFIX.length;
      let index = 0;
      const digitsStart = position;
      for (; position < end; position += 1) {
        const code = bytes[position] as number;
        if (code < 48 || code > 57) break;
        index = index * 10 + (code - 48);
      }
      const digits = position - digitsStart;
      if (digits === 0 || digits > 9 || (digits > 1 && bytes[digitsStart] === 48) /* 0 */) return false;
      const type = kindAt(bytes, position + TYPE_LETTER);
      const kind = KINDS[type];
      if (!holdsAt(view, bytes, kind, position, end)) return false;
      const contentStart = position + kind.length;
      // The string must end exactly before the closing `"}}`.
      const contentEnd = end - 3;
      if (
        contentEnd < contentStart ||
        bytes[contentEnd + 1] !== CLOSE_BRACE ||
        bytes[contentEnd + 2] !== CLOSE_BRACE ||
        bytes[contentEnd] !== QUOTE
      ) {
        return false;
      }
      const escaped = hasBackslash(text, contentStart, contentEnd);
      if (
        escaped
          ? !escapedContentIsPlain(bytes, contentStart, contentEnd)
          : text.indexOf('"', contentStart) !== contentEnd
      ) {
        return false;
      }
      into.index = index;
      into.type = type;
      into.value = undefined;
      into.bytes = bytes;
      into.start = contentStart;
      into.end = contentEnd;
      into.escaped = escaped;
      into.view = view;
      return true;
    },
  };
}
