/**
 * `mcpTools(client)`: the tools of a Model Context Protocol server as loopguard tools. Each tool's JSON
 * Schema is sent as its `input_schema` unchanged; a call goes through the MCP client with the run's abort
 * signal and the tool's time limit; an MCP error (an `isError` result, or a failed call) becomes an
 * `is_error` tool result the model can read.
 * @module
 */
import { type AnyTool, defineTool, TOOL_NAME_PATTERN } from '../tools/define-tool.js';
import type { ValidationResult } from '../tools/input-schema.js';
import { ToolDefinitionError } from '../tools/tool-definition-error.js';
import type { McpCallResult, McpClientLike, McpToolListing } from './mcp-client-like.js';
import { mcpResultContent, mcpResultText } from './mcp-result-content.js';

/** Options of `mcpTools`. */
export interface McpToolsOptions {
  /** Put before each tool's name (`github_` → `github_create_issue`), to keep several servers apart. @default '' */
  prefix?: string;
  /** Which of the server's tools to offer: a list of their names, or a predicate. @default every tool */
  include?: readonly string[] | ((tool: McpToolListing) => boolean);
  /** Time limit of one call, in ms (the call is cancelled on the server past it). @default 60_000 */
  timeoutMs?: number;
  /** A call needs human approval first (`runAgent({ approve })`); a function decides per tool. @default false */
  needsApproval?: boolean | ((tool: McpToolListing) => boolean);
}

/** An MCP tool answered with `isError`, or its call failed: the run gets an `is_error` result with this text. */
export class McpToolError extends Error {
  override name = 'McpToolError';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Inputs are checked to be objects; the schema itself is the server's to enforce (it answers `isError`). */
function validateObject(value: unknown): ValidationResult<Record<string, unknown>> {
  return isObject(value) ? { success: true, data: value } : { success: false, issues: ['input must be an object'] };
}

async function listAll(client: McpClientLike): Promise<McpToolListing[]> {
  const tools: McpToolListing[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? undefined : { cursor });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

function included(listing: McpToolListing, include: McpToolsOptions['include']): boolean {
  if (include === undefined) return true;
  return typeof include === 'function' ? include(listing) : include.includes(listing.name);
}

/** Lists the server's tools (every page) and returns them as tools for `runAgent({ tools })`. */
export async function mcpTools(client: McpClientLike, options: McpToolsOptions = {}): Promise<AnyTool[]> {
  const prefix = options.prefix ?? '';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const tools: AnyTool[] = [];
  for (const listing of await listAll(client)) {
    if (!included(listing, options.include)) continue;
    const name = `${prefix}${listing.name}`;
    if (!TOOL_NAME_PATTERN.test(name))
      throw new ToolDefinitionError(
        'name',
        `MCP tool "${listing.name}" cannot be offered as "${name}": tool names must match ^[a-zA-Z0-9_-]{1,64}$ (leave it out with \`include\`).`,
      );
    const approval = options.needsApproval;
    tools.push(
      defineTool({
        name,
        description:
          listing.description?.trim() || listing.title || listing.annotations?.title || `The MCP tool ${listing.name}.`,
        input: { jsonSchema: listing.inputSchema, validate: validateObject },
        timeoutMs,
        needsApproval: typeof approval === 'function' ? approval(listing) : approval === true,
        execute: async (input, context) => {
          let result: McpCallResult;
          try {
            result = (await client.callTool({ name: listing.name, arguments: input }, undefined, {
              signal: context.signal,
              // The tool's own time limit aborts `signal` (which cancels the call on the server); this is
              // only a backstop above it, replacing the MCP client's 60 s default.
              timeout: timeoutMs + 5_000,
            })) as McpCallResult;
          } catch (error) {
            throw new McpToolError(error instanceof Error ? error.message : String(error), { cause: error });
          }
          if (result.isError) throw new McpToolError(mcpResultText(result) || 'the tool reported an error');
          return mcpResultContent(result);
        },
      }),
    );
  }
  return tools;
}
