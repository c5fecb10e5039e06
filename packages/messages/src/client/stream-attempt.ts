/**
 * `streamAttempt`: one attempt of a streamed request (`stream: true`): the SSE body decoded event by event
 * into the message and handed to the stream's listeners (the sink) as it comes, within `maxResponseBytes`,
 * with the idle limit touched on every chunk. A stream that ends before `message_stop` is a retryable
 * `StreamError`; a server that ignores `stream: true` and answers JSON is read as a message.
 * @module
 */
import { requestIdOf } from '../errors/error-from-response.js';
import type { Message, MessageCreateParams } from '../protocol/types.js';
import type { MessageStreamSink } from '../stream/message-stream.js';
import { isEventStream, readSseMessage } from '../stream/read-sse-message.js';
import type { Attempt } from './attempt.js';
import type { RequestOptions } from './client-options.js';
import { parseMessage } from './parse-message.js';
import { readBodyText } from './read-body-text.js';
import { sendRequest, type Transport } from './send-request.js';

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
  if (!isEventStream(response)) {
    // Some servers ignore `stream: true`; a whole message is still a message.
    const text = await readBodyText(response, resolved.maxResponseBytes, { requestId, onChunk: attempt.touch });
    return parseMessage(text, requestId);
  }
  const message = await readSseMessage(response, {
    requestId,
    maxResponseBytes: resolved.maxResponseBytes,
    onChunk: attempt.touch,
    callbacks: {
      onText: (delta, blockText) => sink.text(delta, blockText),
      onThinking: (delta) => sink.thinking(delta),
      onToolUse: (block) => sink.toolUse(block),
    },
    onEvent: (event) => {
      if (event.type === 'content_block_start') sink.blockStart();
      sink.event(event);
    },
    wantsEvents: () => sink.wantsEvents,
    wants: { text: () => sink.wantsText, thinking: () => sink.wantsThinking },
  });
  if (resolved.logContent) logger.debug({ message }, 'response content');
  return message;
}
