/**
 * `createAttempt`: one attempt of a non-streamed request (`stream: false`). A server that streams anyway
 * (the gateway's default) is read whole into the message.
 * @module
 */
import { requestIdOf } from '../errors/error-from-response.js';
import type { Message, MessageCreateParams } from '../protocol/types.js';
import { isEventStream, readSseMessage } from '../stream/read-sse-message.js';
import type { Attempt } from './attempt.js';
import type { RequestOptions } from './client-options.js';
import { parseMessage } from './parse-message.js';
import { readBodyText } from './read-body-text.js';
import { sendRequest, type Transport } from './send-request.js';

/** @internal Sends `params` once, unstreamed, and reads the message. */
export async function createAttempt(
  transport: Transport,
  params: MessageCreateParams,
  options: RequestOptions,
  attempt: Attempt,
): Promise<Message> {
  const { resolved, logger } = transport;
  const body = JSON.stringify({ ...params, stream: false });
  if (resolved.logContent) logger.debug({ params }, 'request content');
  const response = await sendRequest(transport, { method: 'POST', path: '/messages', body }, options, attempt);
  const requestId = requestIdOf(response.headers);
  if (isEventStream(response))
    return readSseMessage(response, { requestId, maxResponseBytes: resolved.maxResponseBytes });
  const text = await readBodyText(response, resolved.maxResponseBytes, { requestId });
  return parseMessage(text, requestId);
}
