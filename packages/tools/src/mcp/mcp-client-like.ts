/**
 * `McpClientLike`: what `mcpTools` calls on a Model Context Protocol client — the two methods of the
 * official SDK's `Client` (`@modelcontextprotocol/sdk/client/index.js`) it needs, described structurally so
 * `@loopguard/tools` needs no MCP dependency: pass the SDK's `Client`, connected over stdio or Streamable HTTP.
 * @module
 */

/** A tool as an MCP server lists it. */
export interface McpToolListing {
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  /** A JSON Schema of an object. */
  inputSchema: { type: 'object'; [key: string]: unknown };
  annotations?:
    | { title?: string | undefined; readOnlyHint?: boolean | undefined; destructiveHint?: boolean | undefined }
    | undefined;
}

/** One content item of an MCP tool result. */
export type McpContent =
  | { type: 'text'; text: string }
  | { type: 'image'; data: string; mimeType: string }
  | { type: 'audio'; data: string; mimeType: string }
  | { type: 'resource'; resource: { uri: string; mimeType?: string | undefined; text?: string; blob?: string } }
  | { type: 'resource_link'; uri: string; name: string; mimeType?: string | undefined }
  | { type: string; [key: string]: unknown };

/** An MCP tool result. */
export interface McpCallResult {
  content?: McpContent[] | undefined;
  structuredContent?: unknown;
  isError?: boolean | undefined;
  [key: string]: unknown;
}

/** The MCP client methods `mcpTools` uses (the SDK's `Client` has them). */
export interface McpClientLike {
  listTools(params?: { cursor?: string }): Promise<{ tools: McpToolListing[]; nextCursor?: string | undefined }>;
  callTool(
    params: { name: string; arguments?: Record<string, unknown> },
    resultSchema?: undefined,
    options?: { signal?: AbortSignal; timeout?: number },
  ): Promise<unknown>;
}
