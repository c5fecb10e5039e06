/**
 * `shapeForThread`: cuts a request down for a server-side thread, on the wire — after middleware ran on the
 * whole params, so budgets, estimates and traces never need a second view of the conversation.
 * @module
 */
import type { MessageCreateParams, ServerThreadHint } from '../protocol/types.js';
import type { RequestOptions } from './client-options.js';

/**
 * The `anthropic-beta` value the Anthropic API requires with a `thread` field. Threads are outside the
 * gateway's documented contract; a gateway that ignores the header loses nothing.
 */
export const THREADS_BETA = 'message-threads-2026-08-12';

/** @internal What goes on the wire for a request with a thread hint. */
export interface WireShape {
  params: MessageCreateParams;
  options: RequestOptions;
}

/** The params of the thread hint: the whole request for `create`, only the new messages for `continue`. */
function threadParams(params: MessageCreateParams, hint: ServerThreadHint): MessageCreateParams {
  if (hint.type === 'create' || hint.held > params.messages.length) return { ...params, thread: { type: 'create' } };
  const { system: _system, tools: _tools, messages, ...rest } = params;
  return {
    ...rest,
    messages: messages.slice(hint.held),
    thread: { type: 'continue', previous_message_id: hint.previousMessageId },
  };
}

/** @internal The params and options to send for `params` under `options.serverThread` (unchanged without one). */
export function shapeForThread(params: MessageCreateParams, options: RequestOptions): WireShape {
  const hint = options.serverThread;
  if (hint === undefined) return { params, options };
  return {
    params: threadParams(params, hint),
    options: { ...options, headers: { ...(options.headers ?? {}), 'anthropic-beta': THREADS_BETA } },
  };
}
