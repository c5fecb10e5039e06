import { MessagesClient } from '@loopguard/messages';
import { type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createBudget } from './budget-guard.js';

const KEY = 'sk-budget-tracing-0123456789';
let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe('a budget on the chat span', () => {
  it('Should write credits reserved, settled and possibly billed on the request’s span, summed over its attempts', async () => {
    gateway = await startMockGateway({
      keys: [{ key: KEY, credits: 100 }],
      faults: [{ nth: 1, fault: { type: 'reset', billed: true } }],
      model: scriptedModel([{ text: 'lost' }, { text: 'Hello.' }]),
    });
    const exporter = new InMemorySpanExporter();
    const client = new MessagesClient({
      baseURL: gateway.baseURL,
      apiKey: KEY,
      retryBaseDelayMs: 1,
      tracing: { tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }) },
    });
    const budget = createBudget({ limit: { credits: 50 } });
    client.use(budget);
    const reserved: number[] = [];
    const settled: Array<{ credits: number; possiblyBilled: boolean }> = [];
    budget.on('reserve', (event) => reserved.push(event.credits));
    budget.on('settle', (event) => settled.push({ credits: event.credits, possiblyBilled: event.possiblyBilled }));
    await client.create({ model: 'claude-opus-4-6', max_tokens: 200, messages: [{ role: 'user', content: 'Hi' }] });
    const [span] = exporter.getFinishedSpans();
    expect(reserved).toHaveLength(2);
    expect(settled).toHaveLength(2);
    const possibly = settled.filter((s) => s.possiblyBilled).reduce((sum, s) => sum + s.credits, 0);
    expect(possibly).toBeGreaterThan(0);
    expect(span?.attributes).toMatchObject({
      'loopguard.attempts': 2,
      'loopguard.credits.reserved': reserved[1],
      'loopguard.credits.settled': settled.reduce((sum, s) => sum + s.credits, 0),
      'loopguard.credits.possibly_billed': possibly,
    });
    expect(Number(span?.attributes['loopguard.credits.settled'])).toBeGreaterThanOrEqual(gateway.billed() - 1e-9);
  });
});
