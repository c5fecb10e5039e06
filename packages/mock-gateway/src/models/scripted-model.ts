/**
 * `scriptedModel(replies)`: a stand-in model answering from a queue, one reply per request, in order.
 * @module
 */
import type { ModelReply, ModelRequest, ModelResponder } from './model-reply.js';

/** A scripted reply: a reply, or a function of the request giving one. */
export type ScriptedReply = ModelReply | ((request: ModelRequest) => ModelReply | Promise<ModelReply>);

/** A responder with a view of its queue. */
export interface ScriptedModel extends ModelResponder {
  /** Replies not used yet. */
  readonly remaining: number;
  /** Requests answered so far. */
  readonly requests: ModelRequest[];
}

/**
 * A responder answering each request with the next reply of `replies`. A reply that an injected fault kept
 * from the client (cut or malformed stream) is served again to the next request. When the queue is empty, the
 * request fails with 500 `internal_error` saying so (a test asked more than it scripted).
 */
export function scriptedModel(replies: ScriptedReply[]): ScriptedModel {
  const queue = [...replies];
  const requests: ModelRequest[] = [];
  const responder = async (request: ModelRequest): Promise<ModelReply> => {
    const next = queue.shift();
    if (next === undefined) {
      throw new Error(`scriptedModel: no scripted reply left for request ${requests.length + 1}.`);
    }
    requests.push(request);
    return typeof next === 'function' ? next(request) : next;
  };
  // A reply a fault kept from the client goes back to the front of the queue, for the retry.
  (responder as ModelResponder).undelivered = (reply) => {
    queue.unshift(reply);
    requests.pop();
  };
  Object.defineProperty(responder, 'remaining', { get: () => queue.length });
  Object.defineProperty(responder, 'requests', { get: () => requests });
  return responder as ScriptedModel;
}
