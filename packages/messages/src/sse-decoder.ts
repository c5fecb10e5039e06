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

/** Creates an SSE decoder. `onEvent` is required: `createSseDecoder({ onEvent: (event) => … })`. */
export function createSseDecoder(options: SseDecoderOptions): SseDecoder {
  if (typeof options !== 'object' || options === null || typeof options.onEvent !== 'function') {
    throw new TypeError(
      'createSseDecoder needs an `onEvent` callback. Did you mean `createSseDecoder({ onEvent: fn })`?',
    );
  }
  const { onEvent, onComment } = options;
  let textDecoder = new TextDecoder('utf-8');
  let pending = '';
  let trailingCarriageReturn = false;
  let eventName: string | undefined;
  let dataLines: string[] = [];
  let hasData = false;
  let lastId: string | undefined;
  let sawField = false;

  function dispatch(): void {
    if (hasData) {
      onEvent({ event: eventName, data: dataLines.join('\n'), id: lastId });
    }
    eventName = undefined;
    dataLines = [];
    hasData = false;
    sawField = false;
  }

  function processLine(line: string): void {
    if (line.length === 0) {
      dispatch();
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) {
      onComment?.(line.slice(1).trimStart());
      return;
    }
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    sawField = true;
    switch (field) {
      case 'event':
        eventName = value;
        break;
      case 'data':
        dataLines.push(value);
        hasData = true;
        break;
      case 'id':
        if (!value.includes('\u0000')) lastId = value;
        break;
      default:
        // `retry` and unknown fields carry nothing a message stream needs.
        break;
    }
  }

  function feedText(text: string): void {
    let input = text;
    if (trailingCarriageReturn) {
      trailingCarriageReturn = false;
      if (input.charCodeAt(0) === 10) input = input.slice(1);
    }
    let start = 0;
    const length = input.length;
    // Positions of the next LF and CR, searched again only once passed: linear in the chunk.
    let lf = input.indexOf('\n');
    let cr = input.indexOf('\r');
    while (lf !== -1 || cr !== -1) {
      const isCarriageReturn = cr !== -1 && (lf === -1 || cr < lf);
      const end = isCarriageReturn ? cr : lf;
      const line = pending.length > 0 ? pending + input.slice(start, end) : input.slice(start, end);
      pending = '';
      processLine(line);
      if (!isCarriageReturn) {
        start = end + 1;
      } else if (end + 1 === length) {
        trailingCarriageReturn = true;
        start = length;
      } else {
        start = input.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
      }
      if (lf !== -1 && lf < start) lf = input.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = input.indexOf('\r', start);
    }
    if (start < length) pending += input.slice(start);
  }

  return {
    feed(chunk) {
      feedText(typeof chunk === 'string' ? chunk : textDecoder.decode(chunk, { stream: true }));
    },
    end() {
      const rest = textDecoder.decode();
      if (rest.length > 0) feedText(rest);
      if (pending.length > 0) {
        const line = pending;
        pending = '';
        processLine(line);
      }
      const truncated = hasData || sawField;
      eventName = undefined;
      dataLines = [];
      hasData = false;
      sawField = false;
      return truncated;
    },
    reset() {
      textDecoder = new TextDecoder('utf-8');
      pending = '';
      trailingCarriageReturn = false;
      eventName = undefined;
      dataLines = [];
      hasData = false;
      lastId = undefined;
      sawField = false;
    },
  };
}
