/**
 * `RunContext`: what a run's steps share and never change — the options with their defaults filled in, the
 * tool registry and the definitions sent, the final-answer schema, the server-side thread, where events go.
 * @module
 */
import {
  ConfigurationError,
  DEFAULT_PRICES,
  type MessagesClient,
  type PriceTable,
  type ToolDefinition,
} from '@loopguard/messages';
import type { Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { type CompiledInput, compileInput } from '../tools/input-schema.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { FINAL_ANSWER_TOOL, finalAnswerDefinition } from '../turn/final-answer.js';
import { ServerThread } from '../turn/server-thread.js';
import { AGENT_DEFAULTS, type AgentOptions } from './agent-options.js';
import type { AgentEvent } from './agent-types.js';
import type { StopCondition } from './stop-condition.js';

/** @internal The fixed parts of one run. */
export interface RunContext<Output> {
  options: AgentOptions<Output>;
  client: MessagesClient;
  logger: Logger;
  registry: ToolRegistry;
  /** The compiled `output` schema, when the run must end with `final_answer`. */
  output: CompiledInput<Output> | undefined;
  /** The tool definitions each request sends (`final_answer` included). */
  definitions: ToolDefinition[];
  stopWhen: StopCondition[];
  maxTurns: number;
  streaming: boolean;
  turnRetries: number;
  pricing: PriceTable;
  thread: ServerThread;
  emit: (event: AgentEvent<Output>) => void;
  signal: AbortSignal;
  traceContext: Context;
}

/** @internal Fills in the defaults and compiles the tools; throws `ConfigurationError` on a clash of names. */
export function createRunContext<Output>(
  options: AgentOptions<Output>,
  emit: (event: AgentEvent<Output>) => void,
  signal: AbortSignal,
  traceContext: Context,
): RunContext<Output> {
  const registry = options.tools instanceof ToolRegistry ? options.tools : new ToolRegistry(options.tools ?? []);
  const output = options.output ? compileInput<Output>(options.output, FINAL_ANSWER_TOOL) : undefined;
  if (output && registry.get(FINAL_ANSWER_TOOL)) {
    throw new ConfigurationError(`A tool may not be named "${FINAL_ANSWER_TOOL}" when \`output\` is given.`, {
      code: 'invalid_option',
    });
  }
  const definitions = registry.definitions();
  if (output) definitions.push(finalAnswerDefinition(output));
  const stopWhen = options.stopWhen;
  return {
    options,
    client: options.client,
    logger: options.logger ?? options.client.logger,
    registry,
    output,
    definitions,
    stopWhen: stopWhen === undefined ? [] : Array.isArray(stopWhen) ? stopWhen : [stopWhen],
    maxTurns: options.maxTurns ?? AGENT_DEFAULTS.maxTurns,
    streaming: options.stream ?? AGENT_DEFAULTS.stream,
    turnRetries: options.turnRetries ?? AGENT_DEFAULTS.turnRetries,
    pricing: options.pricing ?? DEFAULT_PRICES,
    thread: new ServerThread(options.threads === true),
    emit,
    signal,
    traceContext,
  };
}
