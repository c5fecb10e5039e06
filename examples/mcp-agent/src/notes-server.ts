/**
 * A small Model Context Protocol server over stdio: a notebook with `add_note`, `list_notes` and
 * `search_notes`, kept in memory for the life of the process. Built on the official SDK's `McpServer`; any
 * MCP server (filesystem, GitHub, a database) plugs into the agent the same way.
 * @module
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const notes: Array<{ id: number; title: string; body: string }> = [
  { id: 1, title: 'Standup', body: 'Ship the budget reconcile on Thursday.' },
];
const server = new McpServer({ name: 'notes', version: '1.0.0' });
server.registerTool(
  'add_note',
  { description: 'Adds a note to the notebook', inputSchema: { title: z.string().min(1), body: z.string() } },
  async ({ title, body }) => {
    const note = { id: notes.length + 1, title, body };
    notes.push(note);
    return { content: [{ type: 'text', text: `Saved note ${note.id}: ${title}` }] };
  },
);
server.registerTool('list_notes', { description: 'Lists every note title' }, async () => ({
  content: [{ type: 'text', text: notes.map((note) => `${note.id}. ${note.title}`).join('\n') }],
}));
server.registerTool(
  'search_notes',
  { description: 'Finds notes whose title or body contains a word', inputSchema: { word: z.string().min(1) } },
  async ({ word }) => {
    const found = notes.filter((note) => `${note.title} ${note.body}`.toLowerCase().includes(word.toLowerCase()));
    if (found.length === 0) return { isError: true, content: [{ type: 'text', text: `No note mentions "${word}".` }] };
    return {
      content: [{ type: 'text', text: found.map((note) => `${note.id}. ${note.title}: ${note.body}`).join('\n') }],
    };
  },
);
await server.connect(new StdioServerTransport());
