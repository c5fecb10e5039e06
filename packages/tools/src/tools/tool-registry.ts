/**
 * `ToolRegistry`: the tools of a run by name, the `tools[]` to send, and running a turn's tool_use blocks
 * to one tool_result each, in order, with bounded concurrency (p-limit).
 * @module
 */
import type { ToolDefinition, ToolUseBlock } from '@loopguard/messages';
import pLimit from 'p-limit';
import { pino } from 'pino';
import type { AnyTool, Tool } from './define-tool.js';
import { runToolCall, type ToolCallContext, type ToolCallReport } from './run-tool-call.js';
import { ToolDefinitionError } from './tool-definition-error.js';

/** Options of `registry.run`. */
export interface RegistryRunOptions extends Partial<ToolCallContext> {
  /** Calls of one turn run at most this many at a time. @default 4 */
  concurrency?: number;
  /** Called as each call starts and ends. */
  onCallStart?: (block: ToolUseBlock) => void;
  onCallEnd?: (block: ToolUseBlock, report: ToolCallReport) => void;
}

/** The tools of a run. Names are unique. */
export class ToolRegistry {
  readonly #tools = new Map<string, Tool>();

  constructor(tools: ReadonlyArray<AnyTool> = []) {
    for (const tool of tools) this.add(tool);
  }

  /** Adds a tool; throws `ToolDefinitionError` naming `name` for a duplicate. */
  add(tool: AnyTool): this {
    if (typeof tool !== 'object' || tool === null || typeof tool.definition !== 'function') {
      throw new ToolDefinitionError('tools', 'A registry takes tools made by defineTool().');
    }
    if (this.#tools.has(tool.name)) {
      throw new ToolDefinitionError(
        'name',
        `Duplicate tool name "${tool.name}": every tool of a registry needs its own name.`,
      );
    }
    this.#tools.set(tool.name, tool as Tool);
    return this;
  }

  /** The tool of `name`, if any. */
  get(name: string): Tool | undefined {
    return this.#tools.get(name);
  }

  /** The tools by name. */
  get tools(): ReadonlyMap<string, Tool> {
    return this.#tools;
  }

  /** The `tools` array to send. */
  definitions(): ToolDefinition[] {
    return [...this.#tools.values()].map((tool) => tool.definition());
  }

  /** Runs the blocks; resolves one report per block, in the blocks' order. Never rejects. */
  async runWithReports(blocks: readonly ToolUseBlock[], options: RegistryRunOptions = {}): Promise<ToolCallReport[]> {
    const concurrency = Math.max(1, options.concurrency ?? 4);
    const context: ToolCallContext = {
      signal: options.signal ?? new AbortController().signal,
      turn: options.turn ?? 1,
      logger: options.logger ?? pino({ level: 'silent' }),
      approve: options.approve,
      decisions: options.decisions,
    };
    const runOne = async (block: ToolUseBlock): Promise<ToolCallReport> => {
      options.onCallStart?.(block);
      const report = await runToolCall(block, this.#tools, context);
      options.onCallEnd?.(block, report);
      return report;
    };
    // No more calls than the limit (a turn's usual case): they all start at once, in order, as p-limit would
    // start them, without a limiter made per turn.
    if (blocks.length <= concurrency) return Promise.all(blocks.map(runOne));
    const limit = pLimit(concurrency);
    return Promise.all(blocks.map((block) => limit(() => runOne(block))));
  }

  /** Runs the blocks; resolves one tool_result per tool_use, in order. */
  async run(blocks: readonly ToolUseBlock[], options: RegistryRunOptions = {}) {
    return (await this.runWithReports(blocks, options)).map((report) => report.result);
  }
}
