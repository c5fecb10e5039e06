import { MessagesClient } from '@loopguard/messages';
import { type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memoryStore } from '../stores/memory-store.js';
import { defineWorkflow } from './define-workflow.js';
import { createWorkflowEngine } from './workflow-engine.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan | undefined) => span?.spanContext().spanId;

describe('workflow spans', () => {
  it('Should trace each execution as workflow {name} with step {name} children, an agent step’s invoke_agent under its step, replays as events', async () => {
    gateway = await startMockGateway({ model: scriptedModel([{ text: 'Summary.' }]) });
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const client = new MessagesClient({
      baseURL: gateway.baseURL,
      apiKey: 'sk-local-test',
      tracing: { tracerProvider },
    });
    const flow = defineWorkflow({
      name: 'digest',
      input: z.object({}),
      output: z.string(),
      run: async (ctx) => {
        const items = await ctx.step('fetch', () => ['a', 'b']);
        const summary = await ctx.agent('summarise', {
          client,
          name: 'summariser',
          prompt: items.join(','),
          maxTokens: 64,
        });
        await ctx.approval('publish');
        return summary.text;
      },
    });
    const engine = createWorkflowEngine({ store: memoryStore(), workflows: [flow], tracing: { tracerProvider } });
    expect(await engine.start(flow, {}, { runId: 'digest-1' })).toMatchObject({ status: 'suspended' });
    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.filter((span) => span.name === name);
    const [run] = byName('workflow digest');
    const [fetchStep] = byName('step fetch');
    const [agentStep] = byName('step summarise');
    const [agent] = byName('invoke_agent summariser');
    const [chat] = byName('chat claude-opus-4-6');
    const [publish] = byName('step publish');
    expect(run?.attributes).toMatchObject({
      'loopguard.workflow.run_id': 'digest-1',
      'gen_ai.conversation.id': 'digest-1',
      'loopguard.workflow.status': 'suspended',
      'loopguard.suspended': 'approval',
    });
    expect(parentOf(fetchStep)).toBe(idOf(run));
    expect(parentOf(agentStep)).toBe(idOf(run));
    expect(parentOf(agent)).toBe(idOf(agentStep));
    expect(parentOf(chat)).toBe(idOf(agent));
    expect(chat?.attributes['gen_ai.conversation.id']).toBe('digest-1');
    expect(publish?.attributes['loopguard.suspended']).toBe('approval');
    exporter.reset();
    expect(await engine.resume('digest-1', { approvals: { publish: true } })).toMatchObject({ status: 'done' });
    const [again] = exporter.getFinishedSpans().filter((span) => span.name === 'workflow digest');
    expect(again?.attributes).toMatchObject({
      'loopguard.workflow.resumed': true,
      'loopguard.workflow.status': 'done',
    });
    expect(again?.events.map((event) => event.attributes?.['loopguard.step.name'])).toEqual(['fetch', 'summarise']);
    expect(exporter.getFinishedSpans().filter((span) => span.name.startsWith('chat'))).toHaveLength(0);
  });
});
