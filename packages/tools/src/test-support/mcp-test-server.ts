/**
 * A Model Context Protocol server for the tests, on the official SDK's `McpServer` over stdio (or Streamable
 * HTTP with `--http`, printing its URL): `add` (typed input), `fail` (answers isError), `picture` (an image
 * and a text resource), `wait` (runs until cancelled, then says so on stderr) and `dotted.name` (a name the
 * API refuses).
 */
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function build(): McpServer {
  const server = new McpServer({ name: 'loopguard-test', version: '1.0.0' });
  server.registerTool(
    'add',
    { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  server.registerTool('fail', { description: 'Always fails', inputSchema: { why: z.string() } }, async ({ why }) => ({
    isError: true,
    content: [{ type: 'text', text: `refused: ${why}` }],
  }));
  server.registerTool('picture', { description: 'A picture and a note' }, async () => ({
    content: [
      { type: 'image', data: PIXEL, mimeType: 'image/png' },
      { type: 'resource', resource: { uri: 'note://1', mimeType: 'text/plain', text: 'a note' } },
    ],
  }));
  server.registerTool('wait', { description: 'Waits until cancelled' }, async (extra) => {
    process.stderr.write('wait: started\n');
    await new Promise<void>((resolve) => extra.signal.addEventListener('abort', () => resolve(), { once: true }));
    process.stderr.write('wait: cancelled\n');
    return { content: [{ type: 'text', text: 'cancelled' }] };
  });
  server.registerTool('dotted.name', { description: 'A name with a dot' }, async () => ({ content: [] }));
  return server;
}

if (process.argv.includes('--http')) {
  const http = createServer(async (request, response) => {
    const server = build();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on('close', () => void transport.close().then(() => server.close()));
    await server.connect(transport);
    await transport.handleRequest(request, response);
  });
  http.listen(0, '127.0.0.1', () => {
    const address = http.address();
    if (address && typeof address === 'object') process.stdout.write(`http://127.0.0.1:${address.port}/mcp\n`);
  });
} else {
  await build().connect(new StdioServerTransport());
}
