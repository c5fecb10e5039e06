/**
 * The weather agent: tool calling with streaming, with the seed's `get_current_weather` tool.
 * @module
 */
import { MessagesClient } from '@loopguard/messages';
import { type AgentResult, defineTool, runAgent } from '@loopguard/tools';
import { z } from 'zod';

/** The seed's tool, answered from a fixed table. */
export const getCurrentWeather = defineTool({
  name: 'get_current_weather',
  description: 'Get the current weather in a given location',
  input: z.object({ location: z.string().describe('City and state, e.g. Boston, MA') }),
  execute: ({ location }) => ({ location, temperatureC: location.startsWith('Boston') ? 3 : 18, conditions: 'clear' }),
});

/** Runs the agent on `question`, writing its text as it streams to `write`. */
export async function runWeatherAgent(options: {
  baseURL: string;
  apiKey: string;
  question?: string;
  write?: (text: string) => void;
}): Promise<AgentResult> {
  const client = new MessagesClient({ apiKey: options.apiKey, baseURL: options.baseURL });
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const run = runAgent({
    client,
    prompt: options.question ?? 'What is the weather in Boston today?',
    tools: [getCurrentWeather],
  });
  for await (const event of run) {
    if (event.type === 'text') write(event.delta);
    if (event.type === 'tool_call') write(`\n[tool] ${event.call.name} ${JSON.stringify(event.call.input)}\n`);
    if (event.type === 'tool_result') write(`[result] ${String(event.result.content)}\n`);
  }
  return run;
}
