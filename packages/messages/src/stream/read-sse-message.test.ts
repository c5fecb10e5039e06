import { afterEach, describe, expect, it } from 'vitest';
import { MessagesClient } from '../client/messages-client.js';
import {
  fullStreamEvents,
  type HttpTestServer,
  sendSse,
  shortStreamEvents,
  sseEvent,
  startHttpTestServer,
} from '../test-support/http-test-server.js';

const apiKey = 'sk-test-sse-create-0123';
let server: HttpTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const params = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('create() on a gateway that streams anyway', () => {
  it("Should read the seed's short SSE form into the message", async () => {
    server = await startHttpTestServer((_request, response) =>
      sendSse(response, shortStreamEvents(), { 'x-request-id': 'req_sse' }),
    );
    const message = await new MessagesClient({ apiKey, baseURL: server.baseURL }).create(params);
    expect(message.content).toEqual([{ type: 'text', text: 'Quantum computing' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toEqual({ input_tokens: 12, output_tokens: 86 });
    expect(message.request_id).toBe('req_sse');
    expect(server.requests[0]?.json).toMatchObject({ stream: false });
  });

  it('Should read the full form, thinking and tool input included', async () => {
    server = await startHttpTestServer((_request, response) => sendSse(response, fullStreamEvents()));
    const message = await new MessagesClient({ apiKey, baseURL: server.baseURL }).create(params);
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(message.content[2]).toMatchObject({ input: { location: 'Boston, MA' } });
  });

  it('Should retry a stream cut before message_stop, then give the whole message', async () => {
    server = await startHttpTestServer((_request, response, index) => {
      const events = shortStreamEvents();
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end((index === 0 ? events.slice(0, 2) : events).map(sseEvent).join(''));
    });
    const client = new MessagesClient({ apiKey, baseURL: server.baseURL, retryBaseDelayMs: 1 });
    const message = await client.create(params);
    expect(message.content).toEqual([{ type: 'text', text: 'Quantum computing' }]);
    expect(server.requests).toHaveLength(2);
  });
});
