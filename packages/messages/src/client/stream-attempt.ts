/**
 * `streamAttempt`: one attempt of a streamed request (`stream: true`): the SSE body decoded event by event
 * into the message (the accumulator) and handed to the stream's listeners (the sink) as it comes, within
 * `maxResponseBytes`, with the idle limit touched on every chunk. A stream that ends before `message_stop`
 * is a retryable `StreamError`.
 * @module
 */
import { requestIdOf } from '../errors/error-from-response.js';
import { InvalidResponseError, StreamError } from '../errors/errors.js';
import type { Message, MessageCreateParams } from '../protocol/types.js';
import { createMessageAccumulator } from '../stream/message-accumulator.js';
import type { MessageStreamSink } from '../stream/message-stream.js';
import { readEventStream } from '../stream/read-event-stream.js';
import type { Attempt } from './attempt.js';
import type { RequestOptions } from './client-options.js';
import { parseMessage } from './parse-message.js';
import { readBodyText } from './read-body-text.js';
import { sendRequest, type Transport } from './send-request.js';

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

/** @internal Sends `params` once, streamed, and reads the message while handing events to `sink`. */
export async function streamAttempt(
  transport: Transport,
  params: MessageCreateParams,
  options: RequestOptions,
  attempt: Attempt,
  sink: MessageStreamSink,
): Promise<Message> {
  const { resolved, logger } = transport;
  const body = JSON.stringify({ ...params, stream: true });
  const request = { method: 'POST', path: '/messages', body, accept: 'text/event-stream' } as const;
  const response = await sendRequest(transport, request, options, attempt);
  const requestId = requestIdOf(response.headers);
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('text/event-stream')) {
    // Some servers ignore `stream: true`; a whole message is still a message.
    return parseMessage(await readBodyText(response, resolved.maxResponseBytes, { requestId }), requestId);
  }
  if (!response.body)
    throw new StreamError('The stream response has no body.', { code: 'empty_stream', retryable: true, requestId });
  const accumulator = createMessageAccumulator({
    onText: (delta, blockText) => sink.text(delta, blockText),
    onThinking: (delta) => sink.thinking(delta),
    onToolUse: (block) => sink.toolUse(block),
  });
  const count = byteLimit(resolved.maxResponseBytes, requestId);
  const whole = await readEventStream({
    body: response.body,
    requestId,
    onChunk: (size) => {
      attempt.touch();
      count(size);
    },
    onEvent: (event) => {
      accumulator.apply(event);
      if (event.type === 'content_block_start') sink.blockStart();
      sink.event(event);
    },
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
  if (resolved.logContent) logger.debug({ message }, 'response content');
  return message;
}
