import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MessagesClient } from '@loopguard/messages';
import { type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgent } from '../agent/run-agent.js';
import type { AnyTool } from '../tools/define-tool.js';
import { ToolDefinitionError } from '../tools/tool-definition-error.js';
import { McpToolError, mcpTools } from './mcp-tools.js';

const server = fileURLToPath(new URL('../test-support/mcp-test-server.ts', import.meta.url));
const KEY = 'sk-mcp-test-0123456789';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function stdioClient(): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--conditions=@loopguard/source', '--import', 'tsx', server],
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const client = new Client({ name: 'loopguard-test', version: '1.0.0' });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return { client, stderr: () => stderr };
}

async function gateway(replies: Parameters<typeof scriptedModel>[0]): Promise<MockGateway> {
  const g = await startMockGateway({ keys: [{ key: KEY, credits: 100 }], model: scriptedModel(replies) });
  cleanups.push(() => g.close());
  return g;
}

describe('mcpTools over stdio (the SDK’s own server and client)', () => {
  it('Should offer the server’s tools with their JSON Schemas unchanged, and refuse a name the API cannot take', async () => {
    const { client } = await stdioClient();
    const { tools: listed } = await client.listTools();
    await expect(mcpTools(client)).rejects.toThrow(ToolDefinitionError);
    await expect(mcpTools(client)).rejects.toThrow(/dotted\.name/);
    const tools = await mcpTools(client, { include: (tool) => tool.name !== 'dotted.name', prefix: 'srv_' });
    expect(tools.map((tool) => tool.name)).toEqual(['srv_add', 'srv_fail', 'srv_picture', 'srv_wait']);
    // The schema exactly as the server listed it ($schema included).
    const schema = listed.find((tool) => tool.name === 'add')?.inputSchema;
    expect(schema).toHaveProperty('$schema');
    expect(tools[0]?.definition()).toEqual({ name: 'srv_add', description: 'Adds two numbers', input_schema: schema });
  });

  it('Should run calls inside runAgent: results back to the model, an MCP error as an is_error result', async () => {
    const { client } = await stdioClient();
    const tools = await mcpTools(client, { include: ['add', 'fail', 'picture'] });
    const g = await gateway([
      {
        toolCalls: [
          { name: 'add', input: { a: 2, b: 40 } },
          { name: 'fail', input: { why: 'no' } },
          { name: 'add', input: { a: 'two' } },
          { name: 'picture', input: {} },
        ],
      },
      { text: 'Done.' },
    ]);
    const result = await runAgent({
      client: new MessagesClient({ baseURL: g.baseURL, apiKey: KEY }),
      prompt: 'Go',
      tools,
      maxTokens: 256,
    });
    expect(result.stopReason).toBe('end_turn');
    const [ok, failed, invalid, picture] = result.steps[0]?.toolResults ?? [];
    expect(ok?.is_error).toBeFalsy();
    expect(JSON.stringify(ok?.content)).toContain('42');
    expect(failed?.is_error).toBe(true);
    expect(JSON.stringify(failed?.content)).toContain('refused: no');
    expect(JSON.stringify(failed?.content)).toContain(McpToolError.name);
    expect(invalid?.is_error).toBe(true);
    expect(picture?.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: expect.any(String) } },
      { type: 'text', text: 'note://1:\na note' },
    ]);
    // What the model got back is what the gateway received in the next request.
    const second = g.requests.filter((r) => r.path.endsWith('/messages'))[1]?.body as { messages: unknown[] };
    expect(JSON.stringify(second.messages.at(-1))).toContain('refused: no');
  });

  it('Should cancel the call on the server when the run is aborted, and answer a timed-out call with a timeout result', async () => {
    const { client, stderr } = await stdioClient();
    const [wait] = await mcpTools(client, { include: ['wait'] });
    const g = await gateway([{ toolCalls: [{ name: 'wait', input: {} }] }]);
    const run = runAgent({
      client: new MessagesClient({ baseURL: g.baseURL, apiKey: KEY }),
      prompt: 'Wait',
      tools: [wait as AnyTool],
      maxTokens: 256,
    });
    // Abort only once the server runs the call, so the cancellation has something to cancel on any machine.
    await expect.poll(stderr, { timeout: 15_000 }).toContain('wait: started');
    run.abort();
    const result = await run;
    expect(result.stopReason).toBe('aborted');
    await expect.poll(stderr, { timeout: 15_000 }).toContain('wait: cancelled');

    const [timed] = await mcpTools(client, { include: ['wait'], timeoutMs: 100 });
    const g2 = await gateway([{ toolCalls: [{ name: 'wait', input: {} }] }, { text: 'Gave up.' }]);
    const second = await runAgent({
      client: new MessagesClient({ baseURL: g2.baseURL, apiKey: KEY }),
      prompt: 'Wait',
      tools: [timed as AnyTool],
      maxTokens: 256,
    });
    expect(second.steps[0]?.toolOutcomes).toEqual(['timeout']);
  }, 60_000);
});

describe('mcpTools over Streamable HTTP', () => {
  it('Should list and call the same tools through an HTTP server on loopback', async () => {
    const child = spawn(process.execPath, ['--conditions=@loopguard/source', '--import', 'tsx', server, '--http'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(async () => {
      child.kill('SIGTERM');
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk) => {
        out += String(chunk);
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', () => reject(new Error('the MCP HTTP server exited')));
    });
    const client = new Client({ name: 'loopguard-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    cleanups.push(() => client.close());
    const [add] = await mcpTools(client, { include: ['add'] });
    const output = await add?.execute(
      { a: 1, b: 2 },
      {
        signal: new AbortController().signal,
        toolUseId: 'toolu_1',
        turn: 1,
        logger: new MessagesClient({ apiKey: KEY }).logger,
      },
    );
    expect(output).toEqual([{ type: 'text', text: '3' }]);
  });
});
