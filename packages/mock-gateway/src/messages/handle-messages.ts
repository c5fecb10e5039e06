/**
 * `POST /v1/messages`, as named steps: accept the request (every check the gateway makes before any work),
 * pick the fault, pick the reply, bill it, then write it as JSON or SSE — the fault applied at each point it
 * acts on (`applyFault`).
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFault, type FaultScene } from '../faults/apply-fault.js';
import type { GatewayContext } from '../gateway-context.js';
import type { MockRequestRecord } from '../http/request-record.js';
import type { ModelReply } from '../models/model-reply.js';
import { acceptMessageRequest } from './accept-message-request.js';
import { billReply } from './bill-reply.js';
import { pickReply } from './pick-reply.js';
import { writeJsonReply } from './write-json-reply.js';
import { writeSseReply } from './write-sse-reply.js';

/** Answers a `POST /messages` whose body `raw` was read. */
export async function handleMessages(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
  record: MockRequestRecord,
  raw: Buffer,
): Promise<void> {
  const accepted = acceptMessageRequest(context, request, response, record, raw);
  if (!accepted) return;
  const stream = typeof accepted.params.stream === 'boolean' ? accepted.params.stream : context.streamByDefault;
  const requestNumber = context.nextMessageNumber();
  const fault = context.pickFault(requestNumber, stream);
  if (fault) record.fault = fault;
  let reply: ModelReply | undefined;
  const scene: FaultScene = {
    request,
    response,
    stream,
    stall: context.stall,
    undelivered: () => {
      if (reply) context.model.undelivered?.(reply);
    },
  };
  if (fault && (await applyFault('before_model', fault, scene)) === 'stop') return;
  const picked = await pickReply(context, response, accepted, stream, requestNumber);
  if (!picked) return;
  reply = picked.reply;
  const { message } = picked.generated;
  const cost = billReply(context, accepted.account, message);
  if (fault && (await applyFault('after_billing', fault, scene)) === 'stop') return;
  if (request.socket.destroyed) {
    scene.undelivered();
    return;
  }
  if (!stream) return writeJsonReply(message, cost, fault, scene);
  return writeSseReply(context, picked.generated, fault, scene);
}
