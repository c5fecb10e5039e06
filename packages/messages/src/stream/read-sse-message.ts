/**
 * `readSseMessage(response, options)`: reads a `text/event-stream` answer whole into one `Message`. It is
 * how `create()` takes a gateway that streams although `stream: false` was asked (streaming is the
 * gateway's default). A stream cut before `message_stop` is a retryable `StreamError`, as for `stream()`.
 * @module
 */
import { InvalidResponseError, StreamError } from '../errors/errors.js';
import type { Message, MessageStreamEvent } from '../protocol/types.js';
import { createDeltaAccumulator, type DeltaWants, type MessageAccumulatorCallbacks } from './message-accumulator.js';
import { plainDeltaEvent } from './parse-delta-event.js';
import { readEventStream } from './read-event-stream.js';

/** What `readSseMessage` needs. */
export interface ReadSseMessageOptions {
  requestId: string | undefined;
  /** Largest body accepted, in bytes; past it an `InvalidResponseError` (`response_too_large`). */
  maxResponseBytes: number;
  /** Called as each chunk arrives (an idle timer). */
  onChunk?: () => void;
  /** Called with each event once the accumulator has it (a stream's listeners). */
  onEvent?: (event: MessageStreamEvent) => void;
  /**
   * Whether `onEvent` has anyone to hand events to now (asked after each delta is applied); when it says no,
   * text, thinking and tool-input deltas are applied with no event object made. Default: always yes.
   */
  wantsEvents?: () => boolean;
  /** The accumulator's callbacks (text, thinking, a tool_use whole). */
  callbacks?: MessageAccumulatorCallbacks;
  /**
   * Whether `callbacks.onText` and `onThinking` have anyone to hand a delta to now (asked per delta); when
   * not, its bytes are kept with no string made. Default: always yes.
   */
  wants?: DeltaWants;
}

/** True when the response carries server-sent events. */
export function isEventStream(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').includes('text/event-stream');
}

/** A chunk counter that throws once the stream passes `limit` bytes. */
function byteLimit(limit: number, requestId: string | undefined): (size: number) => void {
  let received = 0;
  return (size) => {
    received += size;
    if (received <= limit) return;
    throw new InvalidResponseError(`The stream is larger than maxResponseBytes (${limit} bytes).`, {
      code: 'response_too_large',
      requestId,
    });
  };
}

/** The message a whole SSE body describes; rejects with `StreamError` when it ends before `message_stop`. */
export async function readSseMessage(response: Response, options: ReadSseMessageOptions): Promise<Message> {
  const { requestId, onChunk, onEvent } = options;
  if (!response.body) {
    throw new StreamError('The stream response has no body.', { code: 'empty_stream', retryable: true, requestId });
  }
  const accumulator = createDeltaAccumulator(options.callbacks, options.wants);
  const wantsEvents = options.wantsEvents ?? (() => true);
  const count = byteLimit(options.maxResponseBytes, requestId);
  const whole = await readEventStream({
    body: response.body,
    requestId,
    onChunk: (size) => {
      onChunk?.();
      count(size);
    },
    onEvent: onEvent
      ? (event) => {
          accumulator.apply(event);
          onEvent(event);
        }
      : (event) => accumulator.apply(event),
    // Applied first, then made into an event only if a listener wants it by then, as `onEvent` above orders them.
    onPlainDelta: onEvent
      ? (delta) => {
          accumulator.applyPlainDelta(delta);
          if (wantsEvents()) onEvent(plainDeltaEvent(delta));
        }
      : (delta) => accumulator.applyPlainDelta(delta),
  });
  if (!accumulator.stopped || !whole) {
    throw new StreamError('The stream ended before `message_stop`: the message is incomplete.', {
      code: 'stream_truncated',
      retryable: true,
      requestId,
    });
  }
  const message = accumulator.finish();
  if (requestId !== undefined) message.request_id = requestId;
  return message;
}
