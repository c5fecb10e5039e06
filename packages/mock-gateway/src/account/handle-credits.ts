/**
 * `GET /v1/credits`: the balance of the request's account, `{"credits": N}`.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from '../gateway-context.js';
import { authenticate } from '../http/authenticate.js';
import type { MockRequestRecord } from '../http/request-record.js';

/** Answers the balance of the authenticated account (or the authentication error). */
export function handleCredits(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
  record: MockRequestRecord,
): void {
  const account = authenticate(context.accounts, request, response, record);
  if (!account) return;
  const body = JSON.stringify({ credits: account.credits });
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(body);
}
