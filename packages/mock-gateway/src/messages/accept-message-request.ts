/**
 * `acceptMessageRequest(...)`: the checks a `POST /messages` passes before any work, in the gateway's order —
 * the key (401/403), the rate limit (429), the body (400: not JSON, `thread` where unsupported, invalid), a
 * known thread (404), the model (404), the spend limits (429) and the balance (402). The first that fails is
 * answered; nothing is charged.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MessageCreateParams } from '@loopguard/messages';
import type { MockAccount } from '../account/mock-account.js';
import { GATEWAY_PRICES } from '../account/pricing.js';
import type { GatewayContext } from '../gateway-context.js';
import { authenticate } from '../http/authenticate.js';
import { sendGatewayError } from '../http/gateway-error.js';
import type { MockRequestRecord } from '../http/request-record.js';
import { countInputTokens } from './count-tokens.js';
import { validateRequest } from './validate-request.js';

/** The only model the gateway serves. */
export const MOCK_MODEL = 'claude-opus-4-6';

/** An accepted request: its account, its body as sent, and its full params (a thread's earlier turns in front). */
export interface AcceptedMessageRequest {
  account: MockAccount;
  body: unknown;
  params: MessageCreateParams;
}

function takeRateLimit(context: GatewayContext, account: MockAccount, response: ServerResponse): boolean {
  const waitMs = account.takeRateLimit(context.now());
  if (waitMs === undefined) return true;
  sendGatewayError(response, 429, 'rate_limit_exceeded', 'Too many requests, please slow down.', {
    'retry-after': String(Math.ceil(waitMs / 1000)),
    'retry-after-ms': String(waitMs),
  });
  return false;
}

function parseJson(raw: Buffer): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return undefined;
  }
}

/** The body, parsed, its thread expanded and checked; `undefined` once an error was answered. */
function parseBody(
  context: GatewayContext,
  raw: Buffer,
  response: ServerResponse,
  record: MockRequestRecord,
): { body: unknown; params: MessageCreateParams } | undefined {
  const json = parseJson(raw);
  if (!json) {
    sendGatewayError(response, 400, 'invalid_request', 'The request body is not valid JSON.');
    return undefined;
  }
  const body = json.value;
  record.body = body;
  const isObject = typeof body === 'object' && body !== null;
  if (!context.threadsEnabled && isObject && 'thread' in body) {
    sendGatewayError(response, 400, 'thread_unsupported_request', 'This gateway does not support `thread`.');
    return undefined;
  }
  const expanded = isObject ? context.threads.expand(body as Record<string, unknown>) : { params: body };
  if ('problem' in expanded) {
    // 404, as the Anthropic API answers an unknown thread.
    sendGatewayError(response, 404, 'thread_not_found', expanded.problem);
    return undefined;
  }
  const problem = validateRequest(expanded.params);
  if (problem) {
    sendGatewayError(response, 400, 'invalid_request', problem);
    return undefined;
  }
  const params = expanded.params as MessageCreateParams;
  if (params.model !== MOCK_MODEL) {
    sendGatewayError(response, 404, 'model_not_found', `Model '${params.model}' does not exist or is inactive.`);
    return undefined;
  }
  return { body, params };
}

function checkFunds(
  context: GatewayContext,
  account: MockAccount,
  params: MessageCreateParams,
  response: ServerResponse,
): boolean {
  const limit = account.reachedLimit(context.now());
  if (limit) {
    sendGatewayError(response, 429, 'spend_limit_exceeded', `Key spend limit reached (${limit}).`);
    return false;
  }
  const inputTokens = countInputTokens(params, context.charactersPerToken);
  const inputCost = (inputTokens * GATEWAY_PRICES.inputPerMillion) / 1_000_000;
  if (account.credits <= 0 || account.credits < inputCost) {
    sendGatewayError(response, 402, 'insufficient_credits', 'Your credit balance is too low. Please top up.');
    return false;
  }
  return true;
}

/** The accepted request, or `undefined` once the first failing check was answered. */
export function acceptMessageRequest(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
  record: MockRequestRecord,
  raw: Buffer,
): AcceptedMessageRequest | undefined {
  const account = authenticate(context.accounts, request, response, record);
  if (!account || !takeRateLimit(context, account, response)) return undefined;
  const parsed = parseBody(context, raw, response, record);
  if (!parsed || !checkFunds(context, account, parsed.params, response)) return undefined;
  return { account, ...parsed };
}
