import { MessagesClient } from '@loopguard/messages';
import { type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgent } from '../agent/run-agent.js';
import { defineTool } from './define-tool.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe('duplicate tool_use ids in one turn', () => {
  it('Should run none of the calls sharing an id, answer the id once with is_error, and run the others', async () => {
    gateway = await startMockGateway({
      model: scriptedModel([
        {
          toolCalls: [
            { name: 'record', input: { value: 'first' }, id: 'toolu_dup' },
            { name: 'record', input: { value: 'other' }, id: 'toolu_other' },
            { name: 'record', input: { value: 'second' }, id: 'toolu_dup' },
          ],
        },
        { text: 'done' },
      ]),
    });
    const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL });
    const ran: string[] = [];
    const tool = defineTool({
      name: 'record',
      description: 'Records a value',
      input: z.object({ value: z.string() }),
      execute: ({ value }) => {
        ran.push(value);
        return `recorded ${value}`;
      },
    });
    const result = await runAgent({ client, prompt: 'record', tools: [tool] });
    expect(result.stopReason).toBe('end_turn');
    expect(ran).toEqual(['other']);
    const answers = result.messages[2]?.content as Array<{ tool_use_id: string; is_error?: boolean; content: string }>;
    expect(answers.map((block) => block.tool_use_id)).toEqual(['toolu_dup', 'toolu_other']);
    expect(answers[0]).toMatchObject({ is_error: true, content: expect.stringContaining('share the id "toolu_dup"') });
    expect(answers[1]).toMatchObject({ content: 'recorded other' });
    expect(result.steps[0]?.toolOutcomes).toEqual(['ok', 'duplicate_id']);
  });
});
