/**
 * `pnpm --filter @loopguard/example-mcp-agent start`: an agent using an MCP server's tools, on the mock
 * gateway unless LOOPGUARD_API_KEY is set.
 * @module
 */
import { scriptedModel, startGatewayOrMock } from '@loopguard/mock-gateway';
import { runMcpAgent } from './mcp-agent.js';

const gateway = await startGatewayOrMock({
  model: scriptedModel([
    {
      text: 'Saving it.',
      toolCalls: [{ name: 'notes_add_note', input: { title: 'Demo', body: 'The demo is on Friday.' } }],
    },
    { text: 'Looking.', toolCalls: [{ name: 'notes_search_notes', input: { word: 'ship' } }] },
    { text: 'Your standup note says to ship the budget reconcile on Thursday; the demo is noted for Friday.' },
  ]),
});
try {
  const result = await runMcpAgent({ baseURL: gateway.baseURL, apiKey: gateway.apiKey });
  console.log(`\n(${result.stopReason}, ${result.steps.length} turns, ${result.credits.toFixed(4)} credits)`);
} finally {
  await gateway.close();
}
