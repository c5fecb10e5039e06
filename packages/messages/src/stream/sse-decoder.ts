/**
 * A server-sent events decoder: a small pure state machine fed bytes (or text) chunk by chunk.
 * It handles any split — one byte at a time, a UTF-8 character across chunks, CRLF/LF/CR line ends,
 * `:` comments and multi-line `data:` fields — as the WHATWG EventSource rules say.
 * @module
 */

/** One dispatched server-sent event. */
export interface SseEvent {
  /** The `event:` field; `undefined` when the event did not name one. */
  event: string | undefined;
  /** The `data:` lines joined by `\n`. */
  data: string;
  /** The `id:` field, when sent. */
  id: string | undefined;
}

/** Callbacks of a decoder. */
export interface SseDecoderOptions {
  /** Called once per complete event. */
  onEvent: (event: SseEvent) => void;
  /** Called with the text of each `:` comment line (servers use them as keep-alives). */
  onComment?: (comment: string) => void;
}

/** A decoder returned by `createSseDecoder`. */
export interface SseDecoder {
  /** Feeds the next chunk of the stream, bytes or text. */
  feed(chunk: Uint8Array | string): void;
  /** Ends the stream: flushes a last line; returns true when a partial event was left undispatched (a truncated stream). */
  end(): boolean;
  /** Forgets all state, to decode a new stream. */
  reset(): void;
}

const LF = 10;
const CR = 13;
const COLON = 58;
/** Chunks up to this many bytes with no line end are kept as bytes and decoded with the next line end. */
const SMALL_CHUNK = 256;
const SPACE = 32;

/**
 * Creates an SSE decoder. `onEvent` is required: `createSseDecoder({ onEvent: (event) => … })`.
 *
 * Why this function is long: it is the decoder's object, a closure over the buffer state every byte
 * passes through (the hot path of streaming); each inner function is short and named for its step.
 */
export function createSseDecoder(options: SseDecoderOptions): SseDecoder {
  if (typeof options !== 'object' || options === null || typeof options.onEvent !== 'function') {
    throw new TypeError(
      'createSseDecoder needs an `onEvent` callback. Did you mean `createSseDecoder({ onEvent: fn })`?',
    );
  }
  const { onEvent, onComment } = options;
  let textDecoder = new TextDecoder('utf-8');
  /**
   * Bytes of small chunks that held no line end, not decoded yet: a stream cut into tiny chunks is decoded a
   * line at a time rather than a chunk at a time (the decoder's state is unaffected: it sees the same bytes
   * in the same order).
   */
  let heldBytes = new Uint8Array(0);
  let heldLength = 0;

  function holdBytes(chunk: Uint8Array): void {
    if (heldLength + chunk.length > heldBytes.length) {
      const grown = new Uint8Array(Math.max(64, (heldLength + chunk.length) * 2));
      grown.set(heldBytes.subarray(0, heldLength));
      heldBytes = grown;
    }
    heldBytes.set(chunk, heldLength);
    heldLength += chunk.length;
  }

  /** Decodes the held bytes and feeds their text on. */
  function flushHeld(): void {
    if (heldLength === 0) return;
    const text = textDecoder.decode(heldBytes.subarray(0, heldLength), { stream: true });
    heldLength = 0;
    feedText(text);
  }

  function feedBytes(chunk: Uint8Array): void {
    if (chunk.length <= SMALL_CHUNK) {
      const endsLine = chunk.indexOf(LF) !== -1 || chunk.indexOf(CR) !== -1;
      if (!endsLine || heldLength > 0) {
        // Kept with the bytes before it, all decoded in one call once a line end comes.
        holdBytes(chunk);
        if (endsLine) flushHeld();
        return;
      }
    }
    flushHeld();
    feedText(textDecoder.decode(chunk, { stream: true }));
  }
  /** Text of an unfinished line, kept in pieces and joined once its line end arrives (linear for tiny chunks). */
  let pending: string[] = [];
  let trailingCarriageReturn = false;
  let eventName: string | undefined;
  let data = '';
  let hasData = false;
  let lastId: string | undefined;
  let sawField = false;

  function dispatch(): void {
    if (hasData) onEvent({ event: eventName, data, id: lastId });
    eventName = undefined;
    data = '';
    hasData = false;
    sawField = false;
  }

  function addData(value: string): void {
    data = hasData ? `${data}\n${value}` : value;
    hasData = true;
    sawField = true;
  }

  /** Where a field's value starts, after `name:` and one optional space. */
  function valueStart(text: string, colon: number): number {
    return text.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
  }

  /** Handles the line `text[start, end)` without copying it: only a field's value is sliced out. */
  function processLine(text: string, start: number, end: number): void {
    if (start === end) {
      dispatch();
      return;
    }
    const first = text.charCodeAt(start);
    if (first === COLON) {
      onComment?.(text.slice(start + 1, end).trimStart());
      return;
    }
    // `data:` and `event:` are nearly every line: recognised by their characters, no field string made.
    if (
      first === 100 /* d */ &&
      text.charCodeAt(start + 4) === COLON &&
      text.charCodeAt(start + 1) === 97 /* a */ &&
      text.charCodeAt(start + 2) === 116 /* t */ &&
      text.charCodeAt(start + 3) === 97 /* a */ &&
      end - start >= 5
    ) {
      addData(text.slice(valueStart(text, start + 4), end));
      return;
    }
    if (
      first === 101 /* e */ &&
      text.charCodeAt(start + 5) === COLON &&
      text.charCodeAt(start + 1) === 118 /* v */ &&
      text.charCodeAt(start + 2) === 101 /* e */ &&
      text.charCodeAt(start + 3) === 110 /* n */ &&
      text.charCodeAt(start + 4) === 116 /* t */ &&
      end - start >= 6
    ) {
      eventName = text.slice(valueStart(text, start + 5), end);
      sawField = true;
      return;
    }
    let colon = text.indexOf(':', start);
    if (colon === -1 || colon > end) colon = end;
    const field = text.slice(start, colon);
    const value = colon >= end ? '' : text.slice(valueStart(text, colon), end);
    sawField = true;
    if (field === 'data') addData(value);
    else if (field === 'event') eventName = value;
    else if (field === 'id' && !value.includes('\u0000')) lastId = value;
    // `retry` and unknown fields carry nothing a message stream needs.
  }

  /**
   * Where the next line starts after the line end at `end` (`\n`, `\r` or `\r\n`); a `\r` that ends the chunk
   * may be the first half of a `\r\n`, which the next chunk settles.
   */
  function afterLineEnd(input: string, end: number): number {
    if (input.charCodeAt(end) === LF) return end + 1;
    if (end + 1 === input.length) {
      trailingCarriageReturn = true;
      return end + 1;
    }
    return input.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
  }

  function feedText(text: string): void {
    let input = text;
    if (trailingCarriageReturn) {
      trailingCarriageReturn = false;
      if (input.charCodeAt(0) === LF) input = input.slice(1);
    }
    let lf = input.indexOf('\n');
    let cr = input.indexOf('\r');
    if (lf === -1 && cr === -1) {
      if (input.length > 0) pending.push(input);
      return;
    }
    const length = input.length;
    let start = 0;
    if (pending.length > 0) {
      // The unfinished line ends in this chunk: join its pieces with only this chunk's first line, not the
      // whole chunk (which would copy every chunk once more).
      const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      pending.push(input.slice(0, end));
      const line = pending.join('');
      pending = [];
      processLine(line, 0, line.length);
      start = afterLineEnd(input, end);
      if (lf !== -1 && lf < start) lf = input.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = input.indexOf('\r', start);
    }
    if (cr === -1) {
      // The common case, LF only: one search per line.
      while (lf !== -1) {
        processLine(input, start, lf);
        start = lf + 1;
        if (input.charCodeAt(start) === LF) {
          // The blank line that ends an event, handled here without a search of its own.
          dispatch();
          start += 1;
        }
        lf = input.indexOf('\n', start);
      }
    } else {
      // Positions of the next LF and CR, searched again only once passed: linear in the chunk.
      while (lf !== -1 || cr !== -1) {
        const end = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
        processLine(input, start, end);
        start = afterLineEnd(input, end);
        if (lf !== -1 && lf < start) lf = input.indexOf('\n', start);
        if (cr !== -1 && cr < start) cr = input.indexOf('\r', start);
      }
    }
    if (start < length) pending.push(input.slice(start));
  }

  return {
    feed(chunk) {
      if (typeof chunk !== 'string') {
        feedBytes(chunk);
        return;
      }
      flushHeld();
      feedText(chunk);
    },
    end() {
      flushHeld();
      const rest = textDecoder.decode();
      if (rest.length > 0) feedText(rest);
      if (pending.length > 0) {
        const line = pending.join('');
        pending = [];
        processLine(line, 0, line.length);
      }
      const truncated = hasData || sawField;
      eventName = undefined;
      data = '';
      hasData = false;
      sawField = false;
      return truncated;
    },
    reset() {
      textDecoder = new TextDecoder('utf-8');
      heldLength = 0;
      pending = [];
      trailingCarriageReturn = false;
      eventName = undefined;
      data = '';
      hasData = false;
      lastId = undefined;
      sawField = false;
    },
  };
}
