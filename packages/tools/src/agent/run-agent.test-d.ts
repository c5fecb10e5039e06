import { MessagesClient, type ToolUseBlock } from '@loopguard/messages';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../tools/define-tool.js';
import type { AgentEvent, AgentResult, AgentStopReason } from './agent-types.js';
import { runAgent } from './run-agent.js';

const client = new MessagesClient({ apiKey: 'sk-test-0123456789abcdef', baseURL: 'http://127.0.0.1:1/v1' });

describe('runAgent types', () => {
  it('Should type result.output from the output schema', () => {
    const run = runAgent({ client, prompt: 'x', output: z.object({ city: z.string(), days: z.number() }) });
    expectTypeOf(run).resolves.toEqualTypeOf<AgentResult<{ city: string; days: number }>>();
    expectTypeOf<Awaited<typeof run>['output']>().toEqualTypeOf<{ city: string; days: number } | undefined>();
  });

  it('Should type a tool execute input from its zod schema, and refuse a wrong one', () => {
    defineTool({
      name: 'forecast',
      description: 'x',
      input: z.object({ city: z.string() }),
      execute: (input) => {
        expectTypeOf(input).toEqualTypeOf<{ city: string }>();
        return 'ok';
      },
    });
    // @ts-expect-error: runAgent needs a client
    runAgent({ prompt: 'x' });
  });

  it('Should narrow events by type and list the stop reasons, error included', () => {
    const event = {} as AgentEvent;
    if (event.type === 'tool_call') expectTypeOf(event.call.input).toBeUnknown();
    if (event.type === 'done') expectTypeOf(event.result.stopReason).toEqualTypeOf<AgentStopReason>();
    expectTypeOf<'error'>().toExtend<AgentStopReason>();
    expectTypeOf<ToolUseBlock['id']>().toBeString();
  });
});
