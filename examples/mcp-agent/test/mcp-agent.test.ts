import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { describe, expect, it } from 'vitest';
import { runMcpAgent } from '../src/mcp-agent.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));

describe('example: mcp-agent', () => {
  it('Should call the MCP server’s tools and send their results (errors included) back to the model', async () => {
    const gateway = await startMockGateway({
      model: scriptedModel([
        { toolCalls: [{ name: 'notes_add_note', input: { title: 'Demo', body: 'Friday' } }] },
        { toolCalls: [{ name: 'notes_search_notes', input: { word: 'unicorn' } }] },
        { toolCalls: [{ name: 'notes_list_notes', input: {} }] },
        { text: 'Two notes.' },
      ]),
    });
    try {
      let output = '';
      const result = await runMcpAgent({
        baseURL: gateway.baseURL,
        apiKey: 'sk-local-test',
        write: (t) => (output += t),
      });
      expect(result.stopReason).toBe('end_turn');
      expect(output).toContain('MCP tools: notes_add_note, notes_list_notes, notes_search_notes');
      expect(output).toContain('[result] [{"type":"text","text":"Saved note 2: Demo"}]');
      expect(output).toContain('[error] Tool "notes_search_notes" failed: McpToolError: No note mentions "unicorn".');
      expect(result.steps[1]?.toolResults[0]?.is_error).toBe(true);
      expect(JSON.stringify(result.steps[2]?.toolResults[0]?.content)).toContain('2. Demo');
      const first = gateway.requests[0]?.body as {
        tools: Array<{ name: string; input_schema: { required?: string[] } }>;
      };
      expect(first.tools.find((tool) => tool.name === 'notes_add_note')?.input_schema.required).toEqual([
        'title',
        'body',
      ]);
    } finally {
      await gateway.close();
    }
  });

  it('Should run from its start command offline and exit 0', () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.LOOPGUARD_API_KEY;
    const ran = spawnSync(process.execPath, ['--conditions=@loopguard/source', '--import', 'tsx', 'src/cli.ts'], {
      cwd: exampleDir,
      env,
      encoding: 'utf8',
    });
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('ship the budget reconcile on Thursday');
    expect(ran.stdout).toContain('(end_turn, 3 turns,');
  });
});
