import { inspect } from 'node:util';
import { MessagesClient, type TracingOptions } from '@loopguard/messages';
import { type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../tools/define-tool.js';
import { runAgent } from './run-agent.js';

const KEY = 'sk-tracing-secret-0123456789';
let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function traced(g: MockGateway, tracing: Omit<TracingOptions, 'tracerProvider'> = {}) {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const client = new MessagesClient({
    baseURL: g.baseURL,
    apiKey: KEY,
    retryBaseDelayMs: 1,
    tracing: { ...tracing, tracerProvider },
  });
  return { client, spans: () => exporter.getFinishedSpans() };
}

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: async ({ a, b }) => a + b,
});

const named = (spans: ReadableSpan[], name: string): ReadableSpan[] => spans.filter((span) => span.name === name);
const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

describe('OpenTelemetry spans (GenAI semantic conventions)', () => {
  it('Should trace a run as invoke_agent with chat and execute_tool children, with the conventions’ attributes', async () => {
    gateway = await startMockGateway({
      keys: [{ key: KEY, credits: 100 }],
      model: scriptedModel([{ toolCalls: [{ name: 'add', input: { a: 2, b: 40 } }] }, { text: 'It is 42.' }]),
    });
    const { client, spans } = traced(gateway);
    const result = await runAgent({
      client,
      name: 'calculator',
      prompt: 'What is 2 + 40?',
      tools: [add],
      maxTokens: 512,
    });
    const [agent] = named(spans(), 'invoke_agent calculator');
    const chats = named(spans(), 'chat claude-opus-4-6');
    const [tool] = named(spans(), 'execute_tool add');
    expect(agent && tool && chats.length === 2).toBe(true);
    if (!agent || !tool) return;
    expect(parentOf(agent)).toBeUndefined();
    for (const span of [...chats, tool]) {
      expect(parentOf(span)).toBe(agent.spanContext().spanId);
      expect(span.spanContext().traceId).toBe(agent.spanContext().traceId);
    }
    expect(agent.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.agent.name': 'calculator',
      'gen_ai.conversation.id': result.runId,
      'gen_ai.usage.input_tokens': result.usage.input_tokens,
      'gen_ai.usage.output_tokens': result.usage.output_tokens,
      'loopguard.credits.total': result.credits,
      'loopguard.agent.stop_reason': 'end_turn',
      'loopguard.agent.turns': 2,
    });
    const [first, second] = chats;
    expect(first?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-opus-4-6',
      'gen_ai.request.max_tokens': 512,
      'gen_ai.response.model': 'claude-opus-4-6',
      'gen_ai.response.finish_reasons': ['tool_use'],
      'gen_ai.conversation.id': result.runId,
      'server.address': '127.0.0.1',
      'loopguard.attempts': 1,
    });
    expect(second?.attributes['gen_ai.response.finish_reasons']).toEqual(['end_turn']);
    expect(first?.attributes['gen_ai.response.id']).toBe(result.steps[0]?.response.id);
    expect(first?.attributes['gen_ai.usage.output_tokens']).toBe(result.steps[0]?.response.usage.output_tokens);
    // A stream carries no credits_consumed (only a non-streaming answer does).
    expect(first?.attributes['loopguard.credits.consumed']).toBeUndefined();
    expect(tool.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'add',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.id': result.steps[0]?.toolCalls[0]?.toolUseId,
      'loopguard.tool.outcome': 'ok',
    });
    // No content unless asked for.
    for (const span of spans())
      for (const key of Object.keys(span.attributes)) expect(key).not.toMatch(/messages|arguments|result|instructions/);
  });

  it('Should record each retry as an event of one chat span, and a failure as an error with error.type', async () => {
    gateway = await startMockGateway({
      keys: [{ key: KEY, credits: 100 }],
      faults: [{ nth: 1, fault: { type: 'status', status: 503 } }],
      model: scriptedModel([{ text: 'Fine.' }]),
    });
    const { client, spans } = traced(gateway);
    await client.create({ model: 'claude-opus-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    const [chat] = spans();
    expect(spans()).toHaveLength(1);
    expect(chat?.attributes['loopguard.attempts']).toBe(2);
    expect(chat?.events.map((event) => event.name)).toEqual([
      'loopguard.attempt',
      'loopguard.retry',
      'loopguard.attempt',
    ]);
    expect(chat?.events[1]?.attributes).toMatchObject({ attempt: 1, 'error.type': 'upstream_error' });
    expect(chat?.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(chat?.attributes['loopguard.credits.consumed']).toBeGreaterThan(0);

    const exporter = new InMemorySpanExporter();
    const failing = new MessagesClient({
      baseURL: gateway.baseURL,
      apiKey: 'sk-unknown-key-00000000',
      tracing: { tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }) },
    });
    await expect(
      failing.create({ model: 'claude-opus-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] }),
    ).rejects.toThrow();
    const [failed] = exporter.getFinishedSpans();
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.attributes['error.type']).toBe('invalid_api_key');
    expect(failed?.events.some((event) => event.name === 'exception')).toBe(true);
  });

  it('Should end the run’s span with an error when the run fails, and record nothing with tracing: false', async () => {
    gateway = await startMockGateway({
      keys: [{ key: KEY, credits: 100 }],
      model: scriptedModel([{ text: 'Hello.' }, { text: 'Again.' }]),
    });
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const bad = new MessagesClient({
      baseURL: gateway.baseURL,
      apiKey: 'sk-unknown-key-00000000',
      tracing: { tracerProvider: provider },
    });
    await expect(runAgent({ client: bad, prompt: 'Hi' })).rejects.toThrow();
    const [agent] = named(exporter.getFinishedSpans(), 'invoke_agent agent');
    expect(agent?.status.code).toBe(SpanStatusCode.ERROR);
    expect(agent?.attributes['error.type']).toBe('invalid_api_key');

    const off = new InMemorySpanExporter();
    const { trace } = await import('@opentelemetry/api');
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(off)] }));
    const silent = new MessagesClient({ baseURL: gateway.baseURL, apiKey: KEY, tracing: false });
    await runAgent({ client: silent, prompt: 'Hi', maxTokens: 64 });
    expect(off.getFinishedSpans()).toHaveLength(0);
    expect(silent.tracer.startSpan('x', {}).isRecording()).toBe(false);
    // On by default: a client given no tracing option records through the global provider.
    const defaulted = new MessagesClient({ baseURL: gateway.baseURL, apiKey: KEY });
    await defaulted.create({ model: 'claude-opus-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] });
    expect(off.getFinishedSpans().map((span) => span.name)).toEqual(['chat claude-opus-4-6']);
    trace.disable();
  });

  it('Should record content only with captureContent, and never the key — even when the server echoes it', async () => {
    gateway = await startMockGateway({
      keys: [{ key: KEY, credits: 100 }],
      faults: [{ nth: 1, fault: { type: 'status', status: 500, code: `bad_${KEY}`, message: `echo ${KEY}` } }],
      model: scriptedModel([
        { toolCalls: [{ name: 'add', input: { a: 1, b: 2 } }] },
        { text: `The key was ${KEY}; the sum is 3.` },
      ]),
    });
    const { client, spans } = traced(gateway, { captureContent: true });
    await runAgent({ client, prompt: `Add 1 and 2. My key is ${KEY}.`, tools: [add], maxTokens: 256 });
    const [first] = named(spans(), 'chat claude-opus-4-6');
    expect(String(first?.attributes['gen_ai.input.messages'])).toContain('Add 1 and 2');
    expect(String(first?.attributes['gen_ai.output.messages'])).toContain('tool_use');
    const [tool] = named(spans(), 'execute_tool add');
    expect(tool?.attributes['gen_ai.tool.call.arguments']).toBe('{"a":1,"b":2}');
    expect(tool?.attributes['gen_ai.tool.call.result']).toBe('3');
    const everything = inspect(
      spans().map((span) => ({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        status: span.status,
      })),
      { depth: 10 },
    );
    expect(everything).toContain('[redacted]');
    expect(everything).not.toContain(KEY);
  });
});
