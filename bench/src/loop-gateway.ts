/**
 * A mock gateway for the loop-overhead scenario, run in its own process so that its CPU is not counted
 * against the contenders. The model calls `record` until the transcript holds the number of tool turns
 * the prompt asks for ("turns: N"), then answers. Prints its base URL. `--no-log`: keep only the last request's
 * record (the memory scenario's long runs send megabytes of transcript a turn).
 * @module
 */
import type { MessageParam } from '@loopguard/messages';
import { startMockGateway } from '@loopguard/mock-gateway';

function toolTurns(messages: MessageParam[]): number {
  let count = 0;
  for (const message of messages)
    if (
      message.role === 'user' &&
      Array.isArray(message.content) &&
      message.content.some((b) => b.type === 'tool_result')
    )
      count += 1;
  return count;
}

const gateway = await startMockGateway({
  keys: [{ key: 'sk-local-test', credits: 1e12 }],
  // The AI SDK's generateText sends no `stream` field; answer as Anthropic's API does, so every contender can run.
  streamByDefault: false,
  ...(process.argv.includes('--no-log') ? { maxRecordedRequests: 1 } : {}),
  model: ({ params }) => {
    const first = params.messages[0];
    const prompt = typeof first?.content === 'string' ? first.content : JSON.stringify(first?.content ?? '');
    const wanted = Number(/turns: (\d+)/.exec(prompt)?.[1] ?? 1);
    const done = toolTurns(params.messages);
    return done >= wanted
      ? { text: `done after ${done} turns` }
      : { toolCalls: [{ name: 'record', input: { value: done } }] };
  },
});
console.log(gateway.baseURL);
process.on('SIGTERM', () => void gateway.close().then(() => process.exit(0)));
