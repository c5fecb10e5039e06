/**
 * `parseMessage`: a non-streamed body read as a message — JSON with a `content` array — or an
 * `InvalidResponseError` saying what it is instead.
 * @module
 */
import { InvalidResponseError } from '../errors/errors.js';
import type { Message } from '../protocol/types.js';

/**
 * The last model name read. JSON.parse makes a new string for every value longer than 10 characters: a long
 * run would keep one copy of the same model name per reply; equal names share this one instead.
 */
let lastModel = '';

/** @internal Parses a message body; `usage` is filled in when missing, `request_id` set when known. */
export function parseMessage(text: string, requestId: string | undefined): Message {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidResponseError('The response is not JSON, so it is not a message.', {
      code: 'invalid_response',
      requestId,
    });
  }
  const candidate = json as Partial<Message> | null;
  if (typeof candidate !== 'object' || candidate === null || !Array.isArray(candidate.content)) {
    throw new InvalidResponseError('The response is JSON but not a message: it has no `content` array.', {
      code: 'invalid_response',
      requestId,
    });
  }
  // The parsed object is this call's own: filled in place. A copy (`{ ...candidate }`) got a hidden class of its
  // own per message in a long run (~350 bytes each, kept for as long as the message is).
  const message = candidate as Message;
  message.usage = { input_tokens: 0, output_tokens: 0, ...(candidate.usage ?? {}) };
  if (requestId !== undefined) message.request_id = requestId;
  if (typeof message.model === 'string') {
    if (message.model === lastModel) message.model = lastModel;
    else lastModel = message.model;
  }
  return message;
}
