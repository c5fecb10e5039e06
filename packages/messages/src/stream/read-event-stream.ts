/**
 * Reads a `text/event-stream` response body into parsed message stream events, with an idle timer
 * that is reset by every chunk. Malformed data and `error` events become `StreamError`s.
 * @module
 */
import { isLoopguardError, StreamError } from '../errors/errors.js';
import type { MessageStreamEvent } from '../protocol/types.js';
import { emptyPlainDelta, type PlainDelta, parseDeltaEvent, readPlainDelta } from './parse-delta-event.js';
import { createPlainDeltaBytesReader } from './read-plain-delta-bytes.js';
import { createSseByteDecoder } from './sse-byte-decoder.js';
import { decodeUtf8 } from './utf8.js';

/** What `readEventStream` needs. */
export interface ReadEventStreamOptions {
  body: ReadableStream<Uint8Array>;
  /** Called with each parsed event, in order. */
  onEvent: (event: MessageStreamEvent) => void;
  /**
   * When set, a `content_block_delta` of the plain shape (`readPlainDelta`) comes here, read in place into one
   * reused `PlainDelta` (valid only during the call), instead of to `onEvent` as an event object. Read from
   * the stream's bytes, its string is made only if asked for (`plainDeltaValue`).
   */
  onPlainDelta?: (delta: PlainDelta) => void;
  /** Called with the size of each chunk as it arrives (to reset an idle timer, to count bytes); may throw to stop. */
  onChunk?: (size: number) => void;
  requestId?: string | undefined;
}

const retryableErrorTypes = new Set(['overloaded_error', 'api_error', 'upstream_error', 'rate_limit_error']);

/** Parses one SSE `data` payload; throws `StreamError` for anything that is not a JSON event object. */
export function parseStreamEvent(name: string | undefined, data: string, requestId?: string): MessageStreamEvent {
  return parseDeltaEvent(data) ?? parseJsonEvent(name, data, requestId);
}

/** `parseStreamEvent` without its fast path: `JSON.parse` and the checks. */
function parseJsonEvent(name: string | undefined, data: string, requestId: string | undefined): MessageStreamEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new StreamError(`Malformed stream event${name ? ` "${name}"` : ''}: its data is not JSON.`, {
      code: 'malformed_event',
      retryable: true,
      requestId,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StreamError('Malformed stream event: its data is not a JSON object.', {
      code: 'malformed_event',
      retryable: true,
      requestId,
    });
  }
  const event = parsed as MessageStreamEvent;
  if (typeof event.type !== 'string') (event as { type: string }).type = name ?? 'unknown';
  if (event.type === 'error') {
    const error = (event as { error?: { type?: string; message?: string; code?: string } }).error ?? {};
    const type = error.type ?? 'api_error';
    throw new StreamError(`The stream carried an error event: ${type}: ${error.message ?? 'no message'}`, {
      code: error.code ?? type,
      type,
      retryable: retryableErrorTypes.has(type),
      requestId,
    });
  }
  return event;
}

/** Reads the body to its end; resolves `true` when the last event was dispatched whole, `false` when it was cut. */
export async function readEventStream(options: ReadEventStreamOptions): Promise<boolean> {
  const { body, onEvent, onPlainDelta, onChunk, requestId } = options;
  const plain = emptyPlainDelta();
  const plainBytes = createPlainDeltaBytesReader();
  const decoder = createSseByteDecoder(
    onPlainDelta
      ? {
          onEvent: (name, bytes, start, end) => {
            if (plainBytes.read(bytes, start, end, plain)) {
              onPlainDelta(plain);
              return;
            }
            const data = decodeUtf8(bytes, start, end);
            if (readPlainDelta(data, plain)) onPlainDelta(plain);
            else onEvent(parseJsonEvent(name, data, requestId));
          },
          // Nearly every event: a plain delta read whole, from its chunk, in one pass.
          readEvent: (bytes, start, limit) => {
            const end = plainBytes.readEvent(bytes, start, limit, plain);
            if (end >= 0) onPlainDelta(plain);
            return end;
          },
        }
      : {
          onEvent: (name, bytes, start, end) =>
            onEvent(parseStreamEvent(name, decodeUtf8(bytes, start, end), requestId)),
        },
  );
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onChunk?.(value.byteLength);
      decoder.feed(value);
    }
  } catch (error) {
    // Stop the body so the connection is not left open behind a failed read.
    await reader.cancel().catch(() => undefined);
    if (isLoopguardError(error)) throw error;
    throw new StreamError(`The stream broke off: ${error instanceof Error ? error.message : String(error)}`, {
      code: 'stream_truncated',
      retryable: true,
      requestId,
      cause: error,
    });
  } finally {
    reader.releaseLock();
  }
  return !decoder.end();
}
