/**
 * The attacks of the hardening issue as rows of the bad-input table: a server echoing the key in every
 * field it controls, redirects to another origin, forged and tampered saved states, broken transcripts,
 * protocol edges and a mock asked for too much. Each row names the typed error (and code) or the value it
 * must give; the table also checks no error holds the key, however it is inspected.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  estimateInputTokens,
  InternalServerError,
  InvalidRequestError,
  type Message,
  type MessageParam,
  MessagesClient,
  NotFoundError,
  RedirectError,
  StreamError,
} from '@loopguard/messages';
import { type MockGateway, sampleFromSchema, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import {
  type AgentResult,
  type AgentState,
  AgentStateError,
  defineTool,
  MISSING_RESULT_TEXT,
  resumeAgent,
  runAgent,
  signAgentState,
  TranscriptError,
} from '@loopguard/tools';
import { expect } from 'vitest';
import { z } from 'zod';
import type { Row } from './bad-input-row.js';
import type { RawHttpServer } from './raw-http-server.js';
import { sse } from './raw-http-server.js';

/** What the rows need from the table. */
export interface AttackContext {
  gateway: () => MockGateway;
  raw: () => RawHttpServer;
  /** The key the raw server's client sends. */
  key: string;
}

const secret = 'a-state-secret-of-32-bytes-length';
const toolUse = { type: 'tool_use' as const, id: 'toolu_pay', name: 'wire_money', input: { to: 'alice' } };
const baseState = (): AgentState => ({
  version: 1,
  runId: 'run-1',
  messages: [{ role: 'user', content: 'Pay alice' }],
  turn: 1,
  usage: { input_tokens: 10, output_tokens: 5 },
  credits: 0.01,
  pendingApproval: { assistant: { role: 'assistant', content: [toolUse] }, toolUses: [structuredClone(toolUse)] },
});
const wireMoney = (ran: string[]) => ({
  name: 'wire_money',
  description: 'Sends money',
  input: z.object({ to: z.string() }),
  needsApproval: true,
  execute: ({ to }: { to: string }) => ran.push(to),
});

/** The key as the raw server received it. */
const sentKey = (request: IncomingMessage) =>
  String(request.headers.authorization ?? '').replace(/^Bearer /, '') || String(request.headers['x-api-key'] ?? '');

/** An error answer with the key in its code, type, message and request id. */
const echoError = (status: number) => (response: ServerResponse, request: IncomingMessage) => {
  const key = sentKey(request);
  response.writeHead(status, {
    'content-type': 'application/json',
    'x-request-id': `req_${key}`,
    'retry-after-ms': '1',
  });
  response.end(JSON.stringify({ error: { code: `code_${key}`, type: `type_${key}`, message: `echo ${key}` } }));
};

const start = {
  type: 'message_start',
  message: { id: 'm', model: 'claude-opus-4-6', usage: { input_tokens: 3, output_tokens: 1 } },
};
const streamOf =
  (events: object[], headers: Record<string, string> = {}) =>
  (response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
    response.end(events.map((event) => sse(event as Record<string, unknown>)).join(''));
  };
const textStream = (text: string, stopReason = 'end_turn') => [
  start,
  { type: 'content_block_delta', delta: { type: 'text_delta', text } },
  { type: 'message_delta', delta: { stop_reason: stopReason }, usage: { output_tokens: 2 } },
  { type: 'message_stop' },
];

/** Runs `body` against a mock gateway of its own, closed after. */
async function withMock<T>(
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

/** The attack rows. */
export function attackRows(context: AttackContext): Row[] {
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
  return [
    // Secrets: a server echoing the key in every field it controls.
    ...[400, 500].map((status) => ({
      area: 'secret',
      name: `a ${status} echoing the key in code, type, message and x-request-id`,
      run: () => via(echoError(status), (client) => client.create(hi)),
      expected: status === 400 ? InvalidRequestError : InternalServerError,
      code: 'code_[redacted]',
      check: (error: unknown) => expect((error as { requestId: string }).requestId).toBe('req_[redacted]'),
    })),
    {
      area: 'secret',
      name: 'an SSE error event echoing the key',
      run: () =>
        via(
          (response, request) =>
            streamOf([
              start,
              { type: 'error', error: { type: 'api_error', code: `c_${sentKey(request)}`, message: sentKey(request) } },
            ])(response),
          (client) => client.stream(hi).finalMessage(),
        ),
      expected: StreamError,
      code: 'c_[redacted]',
    },
    {
      area: 'secret',
      name: 'a good answer echoing the key in x-request-id (kept, redacted)',
      run: () =>
        via(
          (response, request) => streamOf(textStream('ok'), { 'x-request-id': `req_${sentKey(request)}` })(response),
          (client) => client.stream(hi).finalMessage(),
        ),
      expected: (message) => expect((message as Message).request_id).toBe('req_[redacted]'),
    },
    {
      area: 'secret',
      name: 'a 307 to another origin with x-api-key (refused, nothing sent there)',
      run: () => {
        const before = context.gateway().requests.length;
        return via(
          (response) => {
            response.writeHead(307, { location: `${context.gateway().baseURL}/messages` });
            response.end();
          },
          (client) => client.create(hi),
          { authHeader: 'x-api-key' },
        ).finally(() => expect(context.gateway().requests.length).toBe(before));
      },
      expected: RedirectError,
      code: 'redirect_refused',
    },
    // Saved state.
    {
      area: 'state',
      name: 'a pending call the model never made',
      run: () => {
        const state = baseState();
        (state.pendingApproval?.toolUses[0] as { input: unknown }).input = { to: 'mallory' };
        return resumeAgent(state, { client: mockClient(), approvals: { toolu_pay: true } });
      },
      expected: AgentStateError,
      code: 'invalid_pending_approval',
    },
    {
      area: 'state',
      name: 'pending tool_use ids that are not the assistant turn’s',
      run: () => {
        const state = baseState();
        (state.pendingApproval?.toolUses[0] as { id: string }).id = 'toolu_other';
        return resumeAgent(state, { client: mockClient() });
      },
      expected: AgentStateError,
      code: 'invalid_pending_approval',
    },
    {
      area: 'state',
      name: 'tampered credits ("abc")',
      run: () => resumeAgent({ ...baseState(), credits: 'abc' as never }, { client: mockClient() }),
      expected: AgentStateError,
      code: 'invalid_state',
    },
    {
      area: 'state',
      name: 'a signed state edited outside the process',
      run: () => {
        const state = signAgentState(baseState(), secret);
        for (const block of [
          state.pendingApproval?.toolUses[0],
          (state.pendingApproval?.assistant.content as object[] | undefined)?.[0],
        ]) {
          (block as { input: unknown }).input = { to: 'mallory' };
        }
        return resumeAgent(state, { client: mockClient(), stateSecret: secret });
      },
      expected: AgentStateError,
      code: 'state_signature_invalid',
    },
    {
      area: 'state',
      name: 'a signed state resumed without its secret',
      run: () => resumeAgent(signAgentState(baseState(), secret), { client: mockClient() }),
      expected: AgentStateError,
      code: 'state_secret_missing',
    },
    {
      area: 'state',
      name: 'a state cut after a tool_use (repaired, the call not run)',
      run: () =>
        withMock([{ text: 'ok' }], async (client) => {
          const { pendingApproval, ...state } = baseState();
          const ran: string[] = [];
          const result = await resumeAgent(
            { ...state, messages: [...state.messages, pendingApproval?.assistant as MessageParam] },
            { client, tools: [defineTool(wireMoney(ran))] },
          );
          expect(ran).toEqual([]);
          return result;
        }),
      expected: (result) =>
        expect((result as AgentResult).messages[2]?.content).toEqual([
          { type: 'tool_result', tool_use_id: 'toolu_pay', is_error: true, content: MISSING_RESULT_TEXT },
        ]),
    },
    // Transcript integrity.
    {
      area: 'transcript',
      name: 'results out of the calls’ order',
      run: () =>
        runAgent({
          client: mockClient(),
          messages: [
            { role: 'user', content: 'go' },
            {
              role: 'assistant',
              content: [
                { ...toolUse, id: 'a' },
                { ...toolUse, id: 'b' },
              ],
            },
            {
              role: 'user',
              content: [
                { type: 'tool_result', tool_use_id: 'b' },
                { type: 'tool_result', tool_use_id: 'a' },
              ],
            },
          ],
        }),
      expected: TranscriptError,
      code: 'invalid_transcript',
    },
    {
      area: 'transcript',
      name: 'two calls sharing a tool_use id (neither runs, one is_error result)',
      run: () =>
        withMock(
          [
            {
              toolCalls: [
                { name: 'wire_money', input: { to: 'a' }, id: 'dup' },
                { name: 'wire_money', input: { to: 'b' }, id: 'dup' },
              ],
            },
            { text: 'ok' },
          ],
          async (client) => {
            const ran: string[] = [];
            const result = await runAgent({
              client,
              prompt: 'pay',
              tools: [defineTool({ ...wireMoney(ran), needsApproval: false })],
            });
            expect(ran).toEqual([]);
            return result;
          },
        ),
      expected: (result) => {
        const answers = (result as AgentResult).messages[2]?.content as Array<{
          tool_use_id: string;
          is_error?: boolean;
        }>;
        expect(answers).toHaveLength(1);
        expect(answers[0]).toMatchObject({ tool_use_id: 'dup', is_error: true });
      },
    },
    // Protocol edges.
    {
      area: 'protocol',
      name: 'an unknown delta (readable, never serialised back)',
      run: () =>
        via(
          streamOf([
            start,
            { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
            { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } },
            { type: 'content_block_delta', index: 0, delta: { type: 'future_delta', x: 1 } },
            { type: 'content_block_stop', index: 0 },
            { type: 'message_delta', delta: { stop_reason: 'end_turn' } },
            { type: 'message_stop' },
          ]),
          (client) => client.stream(hi).finalMessage(),
        ),
      expected: (message) => {
        expect(JSON.stringify((message as Message).content)).toBe('[{"type":"text","text":"hi"}]');
        expect((message as Message).content[0]).toHaveProperty('unknown_deltas', [{ type: 'future_delta', x: 1 }]);
      },
    },
    ...['stop_sequence', 'model_context_window_exceeded', 'solar_flare'].map((reason) => ({
      area: 'protocol',
      name: `stop reason ${reason} (kept in result.stopReason)`,
      run: () => {
        context.raw().answer = streamOf(textStream('x', reason));
        return runAgent({ client: rawClient(), prompt: 'go' });
      },
      expected: (result: unknown) => expect((result as AgentResult).stopReason).toBe(reason),
    })),
    {
      area: 'protocol',
      name: 'output with thinking (no forced tool_choice; the mock refuses one)',
      run: () =>
        withMock([{ text: 'It is 4.' }, { toolCalls: [{ name: 'final_answer', input: { n: 4 } }] }], (client) =>
          runAgent({ client, prompt: '2+2?', output: z.object({ n: z.number() }), thinking: true }).result(),
        ),
      expected: (result) => expect((result as AgentResult).output).toEqual({ n: 4 }),
    },
    {
      area: 'protocol',
      name: 'a base URL without /v1 (404 with the fix)',
      run: () =>
        new MessagesClient({
          apiKey: 'sk-local-test',
          baseURL: context.gateway().baseURL.replace(/\/v1$/, ''),
          maxRetries: 0,
        }).create(hi),
      expected: NotFoundError,
      code: 'not_found',
      check: (error) => expect((error as Error).message).toContain('does not end in /v1'),
    },
    {
      area: 'protocol',
      name: 'create() answered with SSE (read into the message)',
      run: () => via(streamOf(textStream('streamed anyway')), (client) => client.create(hi)),
      expected: (message) => expect((message as Message).content).toEqual([{ type: 'text', text: 'streamed anyway' }]),
    },
    {
      area: 'protocol',
      name: 'a 2 MB one-page PDF (counted by pages, not base64 length)',
      run: () => {
        const pdf = Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Page >> endobj\n${'%'.repeat(2_000_000)}`).toString(
          'base64',
        );
        return estimateInputTokens({
          messages: [
            {
              role: 'user',
              content: [
                { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf } } as never,
              ],
            },
          ],
        });
      },
      expected: (tokens) => expect(tokens).toBeLessThan(4000),
    },
    {
      area: 'protocol',
      name: 'threads: true (sends anthropic-beta: message-threads-2026-08-12)',
      run: () =>
        withMock([{ text: 'ok' }], async (client, mock) => {
          await runAgent({ client, prompt: 'go', threads: true });
          return mock.requests.map((record) => record.headers['anthropic-beta']);
        }),
      expected: (betas) => expect(betas).toEqual(['message-threads-2026-08-12']),
    },
    // The mock as a server.
    {
      area: 'mock',
      name: 'a continue on an unknown thread (404)',
      run: () => mockClient().create({ ...hi, thread: { type: 'continue', previous_message_id: 'msg_gone' } }),
      expected: NotFoundError,
      code: 'thread_not_found',
    },
    {
      area: 'mock',
      name: 'a tool schema with minLength 2e8 (bounded sample)',
      run: () => sampleFromSchema({ type: 'object', properties: { s: { type: 'string', minLength: 2e8 } } }),
      expected: (value) => expect((value as { s: string }).s.length).toBeLessThanOrEqual(65_536),
    },
  ];
}
