/**
 * `authenticate(accounts, request, response, record)`: the account a request's key names (Bearer or
 * `x-api-key`), or the gateway's 401 / 403 answer when there is none to use.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockAccount } from '../account/mock-account.js';
import type { MockAccounts } from '../account/mock-accounts.js';
import { sendGatewayError } from './gateway-error.js';
import type { MockRequestRecord } from './request-record.js';

function keyOf(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && /^Bearer\s+/i.test(authorization))
    return authorization.replace(/^Bearer\s+/i, '').trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
}

function clientIp(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

/** The request's account, its index written to `record`; `undefined` once an error was answered. */
export function authenticate(
  accounts: MockAccounts,
  request: IncomingMessage,
  response: ServerResponse,
  record: MockRequestRecord,
): MockAccount | undefined {
  const key = keyOf(request);
  const account = key === undefined ? undefined : accounts.byKey.get(key);
  record.accountIndex = key === undefined ? -1 : accounts.indexOf(key);
  if (key === undefined || key === '') {
    sendGatewayError(response, 401, 'invalid_api_key', 'Missing API key. Send "Authorization: Bearer sk-...".');
  } else if (!key.startsWith('sk-')) {
    sendGatewayError(response, 401, 'invalid_api_key', 'Invalid API key format: keys start with "sk-".');
  } else if (!account) {
    sendGatewayError(response, 401, 'invalid_api_key', 'API key is invalid, disabled, or deleted.');
  } else if (account.disabled) {
    sendGatewayError(response, 401, 'invalid_api_key', 'API key is invalid, disabled, or deleted.');
  } else if (account.ipAllowlist && !account.ipAllowlist.includes(clientIp(request))) {
    sendGatewayError(response, 403, 'ip_not_allowed', "Request IP not in the key's allowlist.");
  } else {
    return account;
  }
  return undefined;
}
