/**
 * `createRequestHandler(context)`: the gateway's HTTP handler. Every request is numbered (`x-request-id`),
 * recorded in `gateway.requests`, its body read (413 past 32 MiB), then routed: `POST /v1/messages`,
 * `GET /v1/credits`, else 404. An unexpected failure is answered 500 `internal_error`.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleCredits } from '../account/handle-credits.js';
import type { GatewayContext } from '../gateway-context.js';
import { handleMessages } from '../messages/handle-messages.js';
import { sendGatewayError } from './gateway-error.js';
import { MAX_BODY_BYTES, readBody } from './read-body.js';
import { createRequestRecord, type MockRequestRecord } from './request-record.js';

// Only what the seed implies: {baseURL}/messages with a baseURL ending in /v1, and /v1/v1/... for the
// official SDK given that baseURL (it appends /v1/messages itself). A bare /messages is a 404.
const ROUTE = /^\/v1(?:\/v1)?(\/messages|\/credits)$/;

async function route(
  context: GatewayContext,
  request: IncomingMessage,
  response: ServerResponse,
  record: MockRequestRecord,
): Promise<void> {
  const raw = await readBody(request);
  context.log.sized(record, raw === 'too_large' ? MAX_BODY_BYTES : raw.length);
  if (raw === 'too_large') {
    sendGatewayError(response, 413, 'request_too_large', `The request body is larger than ${MAX_BODY_BYTES} bytes.`, {
      connection: 'close',
    });
    return;
  }
  const { path } = record;
  const target = ROUTE.exec(path)?.[1];
  if (request.method === 'POST' && target === '/messages')
    return handleMessages(context, request, response, record, raw);
  if (request.method === 'GET' && target === '/credits') return handleCredits(context, request, response, record);
  const hint = /^\/(messages|credits)$/.test(path) ? ` Did you mean /v1${path}? (a baseURL ends in /v1)` : '';
  sendGatewayError(response, 404, 'not_found', `No route for ${request.method} ${path}.${hint}`);
}

/** The `request` listener of a gateway's HTTP server. */
export function createRequestHandler(
  context: GatewayContext,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    response.setHeader('x-request-id', `req_mock_${context.nextRequestNumber()}`);
    const record = createRequestRecord(request, (request.url ?? '/').split('?')[0] ?? '/');
    context.log.add(record);
    response.on('finish', () => {
      record.status = response.statusCode;
    });
    route(context, request, response, record).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : 'Unexpected server error.';
      sendGatewayError(response, 500, 'internal_error', message);
    });
  };
}
