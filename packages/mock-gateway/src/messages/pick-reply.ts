/**
 * `pickReply(context, response, accepted, stream, requestNumber)`: asks the stand-in model for its reply and
 * builds the gateway's message from it (ids, token counts, the `max_tokens` cut); a thread's transcript is
 * recorded. A model that throws is answered 500 `internal_error` with its message.
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { GatewayContext } from '../gateway-context.js';
import { sendGatewayError } from '../http/gateway-error.js';
import type { ModelReply } from '../models/model-reply.js';
import type { AcceptedMessageRequest } from './accept-message-request.js';
import { buildMessage, type GeneratedMessage } from './build-message.js';

/** The model's reply and the message made of it. */
export interface PickedReply {
  reply: ModelReply;
  generated: GeneratedMessage;
}

/** The reply to an accepted request; `undefined` once a 500 was answered. */
export async function pickReply(
  context: GatewayContext,
  response: ServerResponse,
  { body, params }: AcceptedMessageRequest,
  stream: boolean,
  requestNumber: number,
): Promise<PickedReply | undefined> {
  const { model, charactersPerToken, responseModel } = context;
  const thinking =
    params.thinkingFlag === true || (params.thinking as { type?: string } | undefined)?.type === 'enabled';
  let picked: PickedReply;
  try {
    const reply = await model({ params, thinking, stream, requestNumber });
    const generated = buildMessage(params, reply, charactersPerToken);
    if (responseModel !== undefined) generated.message.model = responseModel;
    picked = { reply, generated };
  } catch (error) {
    sendGatewayError(response, 500, 'internal_error', error instanceof Error ? error.message : String(error));
    return undefined;
  }
  context.threads.record(body as Record<string, unknown>, params, picked.generated.message);
  return picked;
}
