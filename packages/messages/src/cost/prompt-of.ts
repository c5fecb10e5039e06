/**
 * What a request makes the model read, for estimates: a `thread: continue` request carries only its new
 * turn, so its whole prompt comes from `RequestOptions.threadContext`.
 * @module
 */
import type { RequestOptions } from '../client/client-options.js';
import type { MessageCreateParams } from '../protocol/types.js';

/** The part of a request that input tokens are counted from. */
export type Prompt = Pick<MessageCreateParams, 'messages' | 'system' | 'tools'>;

/**
 * The prompt the gateway reads for `params`: `options.threadContext` when `params` continue a thread
 * (its `system` and `tools` default to those of `params`), otherwise `params` themselves.
 */
export function promptOf(params: MessageCreateParams, options: Pick<RequestOptions, 'threadContext'> = {}): Prompt {
  const context = options.threadContext;
  if (params.thread?.type !== 'continue' || context === undefined) return params;
  return {
    messages: context.messages,
    ...((context.system ?? params.system) !== undefined ? { system: context.system ?? params.system } : {}),
    ...((context.tools ?? params.tools) !== undefined ? { tools: context.tools ?? params.tools } : {}),
  };
}
