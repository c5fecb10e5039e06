/**
 * @loopguard/tools/mcp: the tools of Model Context Protocol servers as loopguard tools (`mcpTools`). Bring
 * the official `@modelcontextprotocol/sdk` client; this entry point imports nothing from it.
 * @module
 */
export type { McpCallResult, McpClientLike, McpContent, McpToolListing } from './mcp-client-like.js';
export { mcpResultContent, mcpResultText } from './mcp-result-content.js';
export { McpToolError, type McpToolsOptions, mcpTools } from './mcp-tools.js';
