import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/errors.js';
import type { MessageCreateParams, MessageParam } from '../protocol/types.js';
import {
  type HttpTestServer,
  sendJson,
  sendSse,
  shortStreamEvents,
  startHttpTestServer,
  textReply,
} from '../test-support/http-test-server.js';
import { MessagesClient } from './messages-client.js';

const apiKey = 'sk-test-secret-key-0123456789';
const reply = textReply({ id: 'msg_2' });
const transcript: MessageParam[] = [
  { role: 'user', content: 'first' },
  { role: 'assistant', content: [{ type: 'text', text: 'answer' }] },
  { role: 'user', content: 'second' },
];
const params: MessageCreateParams = {
  messages: transcript,
  system: 'be brief',
  tools: [{ name: 'noop', description: 'x', input_schema: { type: 'object' } }],
};

let server: HttpTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client whose middleware records the params it was shown. */
function recordingClient(baseURL: string) {
  const seen: MessageCreateParams[] = [];
  const client = new MessagesClient({ apiKey, baseURL, maxRetries: 0 });
  client.use({ beforeRequest: ({ params: shown }) => void seen.push(structuredClone(shown) as MessageCreateParams) });
  return { client, seen };
}

describe('server-side threads shaped on the wire', () => {
  it.each(['create', 'stream'] as const)(
    'Should show middleware the whole params and send only the new turn on a continue (%s)',
    async (kind) => {
      server = await startHttpTestServer((_req, res) =>
        kind === 'create' ? sendJson(res, 200, reply) : sendSse(res, shortStreamEvents()),
      );
      const { client, seen } = recordingClient(server.baseURL);
      const options = { serverThread: { type: 'continue' as const, previousMessageId: 'msg_1', held: 2 } };
      if (kind === 'create') await client.create(params, options);
      else await client.stream(params, options).finalMessage();
      expect(seen[0]?.messages).toEqual(transcript);
      expect(seen[0]?.system).toBe('be brief');
      expect(seen[0]?.thread).toBeUndefined();
      const sent = server.requests[0]!;
      const body = sent.json as MessageCreateParams;
      expect(body.messages).toEqual([{ role: 'user', content: 'second' }]);
      expect(body.thread).toEqual({ type: 'continue', previous_message_id: 'msg_1' });
      expect(body.system).toBeUndefined();
      expect(body.tools).toBeUndefined();
      expect(sent.headers['anthropic-beta']).toBe('message-threads-2026-08-12');
    },
  );

  it('Should send the whole params on a create, and on a continue the thread no longer covers', async () => {
    server = await startHttpTestServer((_req, res) => sendJson(res, 200, reply));
    const { client } = recordingClient(server.baseURL);
    await client.create(params, { serverThread: { type: 'create' } });
    await client.create(params, { serverThread: { type: 'continue', previousMessageId: 'msg_1', held: 9 } });
    await client.create(params);
    const bodies = server.requests.map((request) => request.json as MessageCreateParams);
    expect(bodies.map((body) => [body.thread?.type, body.messages.length, body.system])).toEqual([
      ['create', 3, 'be brief'],
      ['create', 3, 'be brief'],
      [undefined, 3, 'be brief'],
    ]);
    expect(server.requests[2]!.headers['anthropic-beta']).toBeUndefined();
  });

  it.each([
    [{ type: 'continue', previousMessageId: '', held: 1 }, /previousMessageId/],
    [{ type: 'continue', previousMessageId: 'msg_1', held: -1 }, /held/],
    [{ type: 'resume' }, /unknown type/],
  ])('Should refuse a malformed hint %j before sending, naming the field', async (hint, pattern) => {
    const client = new MessagesClient({ apiKey, baseURL: 'http://127.0.0.1:9/v1' });
    const call = () => client.create(params, { serverThread: hint as never });
    await expect(call()).rejects.toThrow(ConfigurationError);
    await expect(call()).rejects.toThrow(pattern);
  });
});
