/**
 * `AgentTracing`: the OpenTelemetry spans of one agent run, following the GenAI semantic conventions —
 * `invoke_agent {name}` for the run, `execute_tool {tool}` for each tool call as its child; the client adds
 * a `chat {model}` child per request (the loop hands it `context`). Driven by the run's own events, so the
 * loop only passes its events through `observe` and its requests `context`. Content (tool arguments and
 * results) only with the client's `captureContent`; the API key never (every string is scrubbed).
 * @module
 */
import { GEN_AI, GEN_AI_PROVIDER, LOOPGUARD_ATTRIBUTES, type MessagesClient } from '@loopguard/messages';
import {
  type Attributes,
  type Context,
  context as otelContext,
  type Span,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { AgentEvent, AgentResult } from './agent-types.js';

/** Spans of one run: create it as the run starts, feed it every event, end it with the run's outcome. */
export class AgentTracing {
  readonly #client: MessagesClient;
  readonly #span: Span;
  readonly #tools = new Map<string, Span>();
  /** The context requests and tool spans of this run are children of. */
  readonly context: Context;

  /** `parent`: the context the run's span is a child of (a workflow step's). @default the active context */
  constructor(client: MessagesClient, agentName: string, runId: string, model: string, parent?: Context) {
    this.#client = client;
    const attributes: Attributes = {
      [GEN_AI.operationName]: 'invoke_agent',
      [GEN_AI.providerName]: GEN_AI_PROVIDER,
      [GEN_AI.agentName]: agentName,
      [GEN_AI.conversationId]: client.tracer.scrub(runId),
      [GEN_AI.requestModel]: model,
    };
    this.#span = client.tracer.startSpan(`invoke_agent ${agentName}`, attributes, parent);
    this.context = trace.setSpan(parent ?? otelContext.active(), this.#span);
  }

  /** Follows an event of the run: a tool call starts its span, its result ends it, `done` ends the run's. */
  observe(event: AgentEvent<unknown>): void {
    if (!this.#span.isRecording()) return;
    if (event.type === 'tool_call') this.#startTool(event.call.toolUseId, event.call.name, event.call.input);
    else if (event.type === 'tool_result')
      this.#endTool(event.call.toolUseId, event.result.content, event.result.is_error === true, event.outcome);
    else if (event.type === 'done') this.#endRun(event.result);
  }

  /** Ends the run's span (and any tool span left open) when the run rejected with `error`. */
  fail(error: unknown): void {
    for (const [id, span] of this.#tools) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the run ended before the tool did' });
      span.end();
      this.#tools.delete(id);
    }
    const tracer = this.#client.tracer;
    const type = tracer.errorType(error);
    const message = tracer.scrub(error instanceof Error ? error.message : String(error));
    this.#span.setAttribute(GEN_AI.errorType, type);
    this.#span.addEvent('exception', { 'exception.type': type, 'exception.message': message });
    this.#span.setStatus({ code: SpanStatusCode.ERROR, message });
    this.#span.end();
  }

  #startTool(id: string, name: string, input: unknown): void {
    const tracer = this.#client.tracer;
    const attributes: Attributes = {
      [GEN_AI.operationName]: 'execute_tool',
      [GEN_AI.toolName]: name,
      [GEN_AI.toolCallId]: tracer.scrub(id),
      [GEN_AI.toolType]: 'function',
    };
    if (tracer.captureContent) attributes[GEN_AI.toolCallArguments] = tracer.scrub(JSON.stringify(input) ?? '');
    this.#tools.set(id, tracer.startSpan(`execute_tool ${name}`, attributes, this.context));
  }

  #endTool(id: string, content: unknown, isError: boolean, outcome: string): void {
    const span = this.#tools.get(id);
    if (!span) return;
    this.#tools.delete(id);
    const tracer = this.#client.tracer;
    span.setAttribute('loopguard.tool.outcome', outcome);
    if (tracer.captureContent) {
      const text = typeof content === 'string' ? content : (JSON.stringify(content) ?? '');
      span.setAttribute(GEN_AI.toolCallResult, tracer.scrub(text));
    }
    if (isError) {
      span.setAttribute(GEN_AI.errorType, outcome);
      span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    }
    span.end();
  }

  #endRun(result: AgentResult<unknown>): void {
    this.#span.setAttributes({
      [GEN_AI.usageInputTokens]: result.usage.input_tokens,
      [GEN_AI.usageOutputTokens]: result.usage.output_tokens,
      [LOOPGUARD_ATTRIBUTES.creditsTotal]: result.credits,
      [LOOPGUARD_ATTRIBUTES.stopReason]: result.stopReason,
      [LOOPGUARD_ATTRIBUTES.turns]: result.steps.length,
    });
    this.#span.end();
  }
}
