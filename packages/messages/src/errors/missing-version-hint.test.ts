import { afterEach, describe, expect, it } from 'vitest';
import { MessagesClient } from '../client/messages-client.js';
import { type HttpTestServer, sendJson, startHttpTestServer } from '../test-support/http-test-server.js';
import { NotFoundError } from './errors.js';

const apiKey = 'sk-test-hint-0123';
let server: HttpTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that, like the gateway, serves only /v1/messages. */
async function onlyV1(): Promise<HttpTestServer> {
  return startHttpTestServer((request, response) =>
    request.url === '/v1/messages'
      ? sendJson(response, 400, { error: { code: 'invalid_request', message: 'x', type: 'invalid_request_error' } })
      : sendJson(response, 404, { error: { code: 'not_found', message: 'No route.', type: 'invalid_request_error' } }),
  );
}

describe('a 404 from a base URL without /v1', () => {
  it('Should say the base URL lacks /v1 and give the fixed one', async () => {
    server = await onlyV1();
    const origin = server.baseURL.replace(/\/v1$/, '');
    const error = await new MessagesClient({ apiKey, baseURL: origin })
      .create({ messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain('does not end in /v1');
    expect((error as Error).message).toContain(`baseURL: "${origin}/v1"`);
    expect(server.requests[0]?.url).toBe('/messages');
  });

  it('Should add no hint to a 404 from a base URL that ends in /v1', async () => {
    server = await startHttpTestServer((_request, response) =>
      sendJson(response, 404, {
        error: { code: 'model_not_found', message: 'No model.', type: 'invalid_request_error' },
      }),
    );
    const error = await new MessagesClient({ apiKey, baseURL: server.baseURL })
      .create({ messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('404 model_not_found: No model.');
  });
});
