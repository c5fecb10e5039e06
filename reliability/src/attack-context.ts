/**
 * What the attack rows of the bad-input table share: the servers, the clients, a saved state to tamper
 * with, a hostile answer echoing the key, SSE bodies, and a mock gateway of a row's own.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MessagesClient } from '@loopguard/messages';
import { type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import type { AgentState } from '@loopguard/tools';
import { z } from 'zod';
import type { RawHttpServer } from './raw-http-server.js';
import { sse } from './raw-http-server.js';

/** What the rows need from the table. */
export interface AttackContext {
  gateway: () => MockGateway;
  raw: () => RawHttpServer;
  /** The key the raw server's client sends. */
  key: string;
}

export const secret = 'a-state-secret-of-32-bytes-length';
export const toolUse = { type: 'tool_use' as const, id: 'toolu_pay', name: 'wire_money', input: { to: 'alice' } };
export const baseState = (): AgentState => ({
  version: 1,
  runId: 'run-1',
  messages: [{ role: 'user', content: 'Pay alice' }],
  turn: 1,
  usage: { input_tokens: 10, output_tokens: 5 },
  credits: 0.01,
  pendingApproval: { assistant: { role: 'assistant', content: [toolUse] }, toolUses: [structuredClone(toolUse)] },
});
export const wireMoney = (ran: string[]) => ({
  name: 'wire_money',
  description: 'Sends money',
  input: z.object({ to: z.string() }),
  needsApproval: true,
  execute: ({ to }: { to: string }) => ran.push(to),
});

/** The key as the raw server received it. */
export const sentKey = (request: IncomingMessage) =>
  String(request.headers.authorization ?? '').replace(/^Bearer /, '') || String(request.headers['x-api-key'] ?? '');

/** An error answer with the key in its code, type, message and request id. */
export const echoError = (status: number) => (response: ServerResponse, request: IncomingMessage) => {
  const key = sentKey(request);
  response.writeHead(status, {
    'content-type': 'application/json',
    'x-request-id': `req_${key}`,
    'retry-after-ms': '1',
  });
  response.end(JSON.stringify({ error: { code: `code_${key}`, type: `type_${key}`, message: `echo ${key}` } }));
};

export const start = {
  type: 'message_start',
  message: { id: 'm', model: 'claude-opus-4-6', usage: { input_tokens: 3, output_tokens: 1 } },
};
export const streamOf =
  (events: object[], headers: Record<string, string> = {}) =>
  (response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
    response.end(events.map((event) => sse(event as Record<string, unknown>)).join(''));
  };
export const textStream = (text: string, stopReason = 'end_turn') => [
  start,
  { type: 'content_block_delta', delta: { type: 'text_delta', text } },
  { type: 'message_delta', delta: { stop_reason: stopReason }, usage: { output_tokens: 2 } },
  { type: 'message_stop' },
];

/** Runs `body` against a mock gateway of its own, closed after. */
export async function withMock<T>(
  replies: Parameters<typeof scriptedModel>[0],
  body: (client: MessagesClient, mock: MockGateway) => Promise<T>,
): Promise<T> {
  const mock = await startMockGateway({ model: scriptedModel(replies) });
  try {
    return await body(
      new MessagesClient({ apiKey: 'sk-local-test', baseURL: mock.baseURL, retryBaseDelayMs: 1 }),
      mock,
    );
  } finally {
    await mock.close();
  }
}

/** The clients and calls the rows share. */
export function attackTools(context: AttackContext) {
  const rawClient = (extra: Record<string, unknown> = {}) =>
    new MessagesClient({
      apiKey: context.key,
      baseURL: context.raw().baseURL,
      maxRetries: 1,
      retryBaseDelayMs: 1,
      ...extra,
    });
  const via = (answer: RawHttpServer['answer'], call: (client: MessagesClient) => Promise<unknown>, extra = {}) => {
    context.raw().answer = answer;
    return call(rawClient(extra));
  };
  const hi = { messages: [{ role: 'user' as const, content: 'hi' }] };
  const mockClient = () =>
    new MessagesClient({ apiKey: 'sk-local-test', baseURL: context.gateway().baseURL, maxRetries: 0 });
  return { rawClient, via, hi, mockClient };
}
