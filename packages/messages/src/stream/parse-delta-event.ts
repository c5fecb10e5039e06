/**
 * A fast path for the event that is nearly all of a stream: a `content_block_delta` carrying text,
 * thinking or tool-input JSON, in the exact shape Anthropic and the gateway send it:
 * `{"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"…"}}`.
 * It reads the one string by position (or, when it holds escapes, `JSON.parse`s just that string)
 * instead of parsing the whole event into objects. Anything else — another key order, extra fields,
 * whitespace — returns `undefined` and goes
 * through `JSON.parse` as usual, so the result is what `JSON.parse` would give. (One leniency: a raw
 * control character inside the string, which JSON forbids and no server sends, is kept rather than refused.)
 * @module
 */
import type { KnownMessageStreamEvent } from '../protocol/types.js';
import { decodeUtf8 } from './utf8.js';

/** The event this fast path returns. */
type ContentBlockDeltaEvent = Extract<KnownMessageStreamEvent, { type: 'content_block_delta' }>;

/** What every plain delta's data starts with, up to its index. */
export const PLAIN_DELTA_PREFIX = '{"type":"content_block_delta","index":';
const PREFIX = PLAIN_DELTA_PREFIX;
const QUOTE = 34;
const BACKSLASH = '\\';

/** What follows the index for each delta read here, up to the opening quote of its string. */
export const PLAIN_DELTA_KINDS = {
  text_delta: ',"delta":{"type":"text_delta","text":"',
  input_json_delta: ',"delta":{"type":"input_json_delta","partial_json":"',
  thinking_delta: ',"delta":{"type":"thinking_delta","thinking":"',
} as const;
const TEXT = PLAIN_DELTA_KINDS.text_delta;
const JSON_INPUT = PLAIN_DELTA_KINDS.input_json_delta;
const THINKING = PLAIN_DELTA_KINDS.thinking_delta;

/**
 * True when `text` holds `part` at `position`. `indexOf` compares far faster than `startsWith` in V8
 * (a native search against a character loop); on a mismatch it scans on, which is linear and rare.
 */
function holdsAt(text: string, part: string, position: number): boolean {
  return text.indexOf(part, position) === position;
}

/** The kinds of delta this fast path reads. */
export type PlainDeltaType = 'text_delta' | 'thinking_delta' | 'input_json_delta';

/**
 * What `readPlainDelta` (from text) or `readPlainDeltaBytes` (from bytes) found: the block index, the delta's
 * type and its one string. Filled in place; valid only during the call it is handed to.
 */
export interface PlainDelta {
  index: number;
  type: PlainDeltaType;
  /** The delta's string; `undefined` while it is only bytes (`plainDeltaValue` reads it). */
  value: string | undefined;
  /** Set when read from bytes: the JSON string's content as it came, escapes and all, is `bytes[start, end)`. */
  bytes: Uint8Array | undefined;
  start: number;
  end: number;
  /** True when `bytes[start, end)` holds backslash escapes. */
  escaped: boolean;
  /** A view of `bytes`, when read from bytes (to copy them four at a time). */
  view: DataView | undefined;
}

/** A `PlainDelta` to fill. */
export function emptyPlainDelta(): PlainDelta {
  return {
    index: 0,
    type: 'text_delta',
    value: '',
    bytes: undefined,
    start: 0,
    end: 0,
    escaped: false,
    view: undefined,
  };
}

/** The string of `delta`, made from its bytes on first call (exactly what `JSON.parse` gives for the event). */
export function plainDeltaValue(delta: PlainDelta): string {
  if (delta.value === undefined) {
    const { bytes, start, end } = delta as PlainDelta & { bytes: Uint8Array };
    delta.value = delta.escaped
      ? (JSON.parse(decodeUtf8(bytes, start - 1, end + 1)) as string)
      : decodeUtf8(bytes, start, end);
  }
  return delta.value;
}

/**
 * Reads a `content_block_delta` of the plain shape above into `into` (no object made) and returns true;
 * returns false, leaving `into` in any state, for anything else.
 */
export function readPlainDelta(data: string, into: PlainDelta): boolean {
  if (!holdsAt(data, PREFIX, 0)) return false;
  // The index: one or more ASCII digits.
  let position = PREFIX.length;
  let index = 0;
  const digitsStart = position;
  for (let code = data.charCodeAt(position); code >= 48 && code <= 57; code = data.charCodeAt(++position)) {
    index = index * 10 + (code - 48);
  }
  const digits = position - digitsStart;
  if (digits === 0 || digits > 9 || (digits > 1 && data.charCodeAt(digitsStart) === 48) /* 0 */) return false;
  const kind = holdsAt(data, TEXT, position)
    ? TEXT
    : holdsAt(data, JSON_INPUT, position)
      ? JSON_INPUT
      : holdsAt(data, THINKING, position)
        ? THINKING
        : undefined;
  if (kind === undefined) return false;
  const start = position + kind.length;
  // The string must end exactly before the closing `"}}`.
  const end = data.length - 3;
  if (
    end < start ||
    data.charCodeAt(end) !== QUOTE ||
    data.charCodeAt(end + 1) !== 125 /* } */ ||
    data.charCodeAt(end + 2) !== 125 /* } */
  ) {
    return false;
  }
  if (data.indexOf('"', start) === end && data.indexOf(BACKSLASH, start) === -1) {
    into.value = data.slice(start, end);
  } else {
    // Escapes (tool-input JSON is full of `\"`): JSON.parse reads just the string literal, which also
    // proves its only unescaped quote is the last one.
    try {
      into.value = JSON.parse(data.slice(start - 1, end + 1)) as string;
    } catch {
      return false;
    }
  }
  into.index = index;
  into.bytes = undefined;
  into.view = undefined;
  into.type = kind === TEXT ? 'text_delta' : kind === THINKING ? 'thinking_delta' : 'input_json_delta';
  return true;
}

/** The event `delta` stands for, as a new object: what `JSON.parse` gives for its data. */
export function plainDeltaEvent(delta: PlainDelta): ContentBlockDeltaEvent {
  const { index, type } = delta;
  const value = plainDeltaValue(delta);
  return {
    type: 'content_block_delta',
    index,
    delta:
      type === 'text_delta'
        ? { type, text: value }
        : type === 'thinking_delta'
          ? { type, thinking: value }
          : { type, partial_json: value },
  };
}

const scratch = emptyPlainDelta();

/** The `content_block_delta` event in `data`, when it has the plain shape above; otherwise `undefined`. */
export function parseDeltaEvent(data: string): ContentBlockDeltaEvent | undefined {
  if (!readPlainDelta(data, scratch)) return undefined;
  const event = plainDeltaEvent(scratch);
  scratch.value = '';
  return event;
}
