/**
 * `pnpm --filter @loopguard/example-weather-agent start`: the weather agent, on the mock gateway unless LOOPGUARD_API_KEY is set.
 * @module
 */
import { scriptedModel, startGatewayOrMock } from '@loopguard/mock-gateway';
import { runWeatherAgent } from './weather-agent.js';

const gateway = await startGatewayOrMock({
  model: scriptedModel([
    { text: 'Let me look that up.', toolCalls: [{ name: 'get_current_weather', input: { location: 'Boston, MA' } }] },
    { text: 'It is 3°C and clear in Boston today.' },
  ]),
});
try {
  const result = await runWeatherAgent({ baseURL: gateway.baseURL, apiKey: gateway.apiKey });
  console.log(`\n(${result.stopReason}, ${result.steps.length} turns, ${result.credits.toFixed(4)} credits)`);
} finally {
  await gateway.close();
}
