import { estimateInputTokens, type Message, MessagesClient, NotFoundError } from '@loopguard/messages';
import { sampleFromSchema } from '@loopguard/mock-gateway';
import { type AgentResult, runAgent } from '@loopguard/tools';
import { expect } from 'vitest';
import { z } from 'zod';
import { type AttackContext, attackTools, start, streamOf, textStream, withMock } from './attack-context.js';
import type { Row } from './bad-input-row.js';

/** The rows. */
export function protocolAttackRows(context: AttackContext): Row[] {
  const { rawClient, via, hi, mockClient } = attackTools(context);
  return [
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
