/**
 * The official `@anthropic-ai/sdk` against the mock gateway (or the real one): the seed's advice verbatim —
 * a baseURL ending in `/v1` — with `stream: false` passed explicitly, since the gateway streams by default.
 * @module
 */
import Anthropic from '@anthropic-ai/sdk';

/** Asks once without streaming and once streaming; returns both texts. */
export async function runOfficialSdk(options: {
  baseURL: string;
  apiKey: string;
}): Promise<{ created: string; streamed: string }> {
  const client = new Anthropic({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 1 });
  const message = await client.messages.create({
    model: 'claude-opus-4-6',
    max_tokens: 256,
    stream: false,
    messages: [{ role: 'user', content: 'Explain quantum computing in simple terms' }],
  });
  const created = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  const stream = client.messages.stream({
    model: 'claude-opus-4-6',
    max_tokens: 256,
    messages: [{ role: 'user', content: 'And in one line?' }],
  });
  const streamed = (await stream.finalMessage()).content
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join('');
  return { created, streamed };
}
