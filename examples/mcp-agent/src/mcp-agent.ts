/**
 * `runMcpAgent`: an agent whose tools come from a Model Context Protocol server — the notebook server of
 * this example, started over stdio — through `mcpTools` from `@loopguard/tools/mcp`.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { MessagesClient } from '@loopguard/messages';
import { type AgentResult, runAgent } from '@loopguard/tools';
import { mcpTools } from '@loopguard/tools/mcp';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const notesServer = fileURLToPath(new URL('./notes-server.ts', import.meta.url));

/** Where to send requests, and where the agent's output goes. */
export interface McpAgentOptions {
  baseURL: string;
  apiKey: string;
  prompt?: string;
  /** @default process.stdout.write */
  write?: (text: string) => void;
}

/** Starts the notebook server, offers its tools as `notes_*`, runs the agent, and stops the server. */
export async function runMcpAgent(options: McpAgentOptions): Promise<AgentResult> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const mcp = new Client({ name: 'loopguard-mcp-agent', version: '1.0.0' });
  await mcp.connect(
    new StdioClientTransport({ command: process.execPath, args: ['--import', 'tsx', notesServer], stderr: 'inherit' }),
  );
  try {
    const tools = await mcpTools(mcp, { prefix: 'notes_' });
    write(`MCP tools: ${tools.map((tool) => tool.name).join(', ')}\n`);
    const run = runAgent({
      client: new MessagesClient({ baseURL: options.baseURL, apiKey: options.apiKey }),
      name: 'notebook',
      prompt: options.prompt ?? 'Note that the demo is on Friday, then tell me what my notes say about shipping.',
      tools,
      maxTokens: 1024,
    });
    for await (const event of run) {
      if (event.type === 'text') write(event.delta);
      if (event.type === 'tool_call') write(`\n[tool] ${event.call.name} ${JSON.stringify(event.call.input)}\n`);
      if (event.type === 'tool_result') {
        const text =
          typeof event.result.content === 'string' ? event.result.content : JSON.stringify(event.result.content);
        write(`[${event.result.is_error ? 'error' : 'result'}] ${text}\n`);
      }
    }
    return await run;
  } finally {
    await mcp.close();
  }
}
