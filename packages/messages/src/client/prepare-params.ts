/**
 * `prepareParams`: checks a request's params before anything is sent, fills in the defaults (model,
 * `max_tokens`), and refuses locally an input estimated larger than the model's context window.
 * @module
 */
import { estimateInputTokens, MODEL_CONTEXT_WINDOWS } from '../cost/estimate-input-tokens.js';
import { promptOf } from '../cost/prompt-of.js';
import { ConfigurationError, ContextWindowError } from '../errors/errors.js';
import { DEFAULT_MAX_TOKENS, DEFAULT_MODEL } from '../protocol/defaults.js';
import type { MessageCreateParams } from '../protocol/types.js';
import type { RequestOptions } from './client-options.js';

/** @internal The params as sent (defaults filled in); throws `ConfigurationError` / `ContextWindowError`. */
export function prepareParams(params: MessageCreateParams, options: RequestOptions): MessageCreateParams {
  if (typeof params !== 'object' || params === null) {
    throw new ConfigurationError('`params` must be an object with `messages`.', { code: 'invalid_params' });
  }
  // A thread `continue` may carry no new message (the model goes on after `pause_turn`).
  const mayBeEmpty = params.thread?.type === 'continue';
  if (!Array.isArray(params.messages) || (params.messages.length === 0 && !mayBeEmpty)) {
    throw new ConfigurationError('`params.messages` must be a non-empty array of { role, content }.', {
      code: 'invalid_params',
    });
  }
  const prepared: MessageCreateParams = {
    ...params,
    model: params.model ?? DEFAULT_MODEL,
    max_tokens: params.max_tokens ?? DEFAULT_MAX_TOKENS,
  };
  const window = MODEL_CONTEXT_WINDOWS[prepared.model as string];
  if (window !== undefined) {
    const estimate = estimateInputTokens(promptOf(prepared, options), { charsPerToken: 4 });
    if (estimate > window) {
      throw new ContextWindowError(
        `The request's input is estimated at ${estimate} tokens, more than the ${window}-token context window of ${prepared.model}. Shorten \`messages\` or \`system\`.`,
        { code: 'context_window_exceeded' },
      );
    }
  }
  return prepared;
}
