/**
 * `WorkflowTracing`: OpenTelemetry spans of workflow runs, through `@opentelemetry/api` only (a no-op without an
 * SDK) — `workflow {name}` per execution of a run, `step {name}` per primitive that runs (replayed ones are
 * events of the run's span), and an agent step's `invoke_agent` span as the step's child. The GenAI
 * conventions define no workflow spans; attributes are loopguard's (`loopguard.workflow.*`, `loopguard.step.*`)
 * plus `gen_ai.conversation.id` (the run id, which the run's agents and requests carry too).
 * @module
 */
import { GEN_AI, TRACER_NAME } from '@loopguard/messages';
import {
  type Context,
  INVALID_SPAN_CONTEXT,
  context as otelContext,
  type Span,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';

const NO_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Tracing of an engine: `false` turns it off. */
export type WorkflowTracingOptions = { tracerProvider?: TracerProvider } | false;

/** Starts and ends the spans of runs and steps. */
export class WorkflowTracing {
  readonly #tracer: Tracer | undefined;

  constructor(options: WorkflowTracingOptions | undefined) {
    this.#tracer =
      options === false ? undefined : (options?.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
  }

  /** The span of one execution of a run, and the context its steps are children of. */
  run(workflow: string, runId: string, resumed: boolean): { span: Span; context: Context } {
    const span = this.#tracer
      ? this.#tracer.startSpan(`workflow ${workflow}`, {
          attributes: {
            'loopguard.workflow.name': workflow,
            'loopguard.workflow.run_id': runId,
            'loopguard.workflow.resumed': resumed,
            [GEN_AI.conversationId]: runId,
          },
        })
      : NO_SPAN;
    return { span, context: trace.setSpan(otelContext.active(), span) };
  }

  /** The span of a primitive that runs now, a child of the run's. */
  step(parent: Context, name: string, kind: string): { span: Span; context: Context } {
    const span = this.#tracer
      ? this.#tracer.startSpan(
          `step ${name}`,
          { attributes: { 'loopguard.step.name': name, 'loopguard.step.kind': kind } },
          parent,
        )
      : NO_SPAN;
    return { span, context: trace.setSpan(parent, span) };
  }

  /** Ends a span: an `error` sets status ERROR; a suspension is an attribute, not an error. */
  end(span: Span, outcome: { error?: unknown; suspended?: string; status?: string }): void {
    if (outcome.suspended !== undefined) span.setAttribute('loopguard.suspended', outcome.suspended);
    if (outcome.status !== undefined) span.setAttribute('loopguard.workflow.status', outcome.status);
    if (outcome.error !== undefined) {
      const error = outcome.error;
      const code = (error as { code?: unknown } | null)?.code;
      const type = typeof code === 'string' ? code : error instanceof Error ? error.name : 'Error';
      span.setAttribute(GEN_AI.errorType, type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    }
    span.end();
  }
}
