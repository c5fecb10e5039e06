import { scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { describe, expect, it } from 'vitest';
import { runWeatherAgent } from '../src/weather-agent.js';

describe('example: weather-agent', () => {
  it('Should stream the answer after calling get_current_weather', async () => {
    const gateway = await startMockGateway({
      model: scriptedModel([
        { text: 'Checking.', toolCalls: [{ name: 'get_current_weather', input: { location: 'Boston, MA' } }] },
        { text: 'It is 3°C in Boston.' },
      ]),
    });
    try {
      let output = '';
      const result = await runWeatherAgent({
        baseURL: gateway.baseURL,
        apiKey: 'sk-local-test',
        write: (t) => (output += t),
      });
      expect(result.stopReason).toBe('end_turn');
      expect(output).toContain('[tool] get_current_weather {"location":"Boston, MA"}');
      expect(output).toContain('"temperatureC":3');
      expect(output).toContain('It is 3°C in Boston.');
      const sent = gateway.requests[0]?.body as {
        tools: Array<{ name: string; input_schema: unknown }>;
        stream: boolean;
      };
      expect(sent.stream).toBe(true);
      expect(sent.tools[0]?.name).toBe('get_current_weather');
    } finally {
      await gateway.close();
    }
  });
});
