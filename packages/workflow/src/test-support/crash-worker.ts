/**
 * A workflow process for the crash tests: steps `one` and `two`, an agent step whose `mark` tool writes each
 * call, then `three`. Every execution of a step or tool appends a line to the counts file. With CRASH_AT set
 * (`step` or `tool`), the process SIGKILLs itself in the middle of step `two` or of the agent's third tool call.
 * Its lease is long (10 minutes), so a slow machine never takes the run from it before it dies.
 * Usage: crash-worker.ts <storeDir> <baseURL> <countsFile> [noRerun]
 */
import { appendFileSync } from 'node:fs';
import { MessagesClient } from '@loopguard/messages';
import { defineTool } from '@loopguard/tools';
import { z } from 'zod';
import { defineWorkflow } from '../engine/define-workflow.js';
import { createWorkflowEngine } from '../engine/workflow-engine.js';
import { fileStore } from '../stores/file-store.js';

const crashAt = process.env.CRASH_AT;
const die = () => process.kill(process.pid, 'SIGKILL');

/** The workflow, writing its counts to `countsFile` and talking to the gateway at `baseURL`. */
export function crashableWorkflow(options: { baseURL: string; countsFile: string; noRerun: boolean }) {
  const count = (line: string) => appendFileSync(options.countsFile, `${line}\n`);
  const mark = defineTool({
    name: 'mark',
    description: 'Marks a number',
    input: z.object({ n: z.number() }),
    execute: async ({ n }, context) => {
      count(`tool:${n}:${context.toolUseId}`);
      if (crashAt === 'tool' && n === 3) die();
      return `marked ${n}`;
    },
  });
  return defineWorkflow({
    name: 'crashable',
    input: z.object({}),
    output: z.string(),
    run: async (ctx) => {
      await ctx.step('one', () => count('step:one'));
      await ctx.step('two', async () => {
        count('step:two');
        if (crashAt === 'step') die();
      });
      const agent = await ctx.agent('agent', {
        client: new MessagesClient({ baseURL: options.baseURL, apiKey: 'sk-local-test', maxRetries: 0 }),
        prompt: 'Mark 1 to 4',
        tools: [mark],
        maxTokens: 100,
        ...(options.noRerun ? { noRerun: ['mark'] } : {}),
      });
      await ctx.step('three', () => count('step:three'));
      return agent.text;
    },
  });
}

if (crashAt) {
  const [storeDir = '', baseURL = '', countsFile = '', noRerun] = process.argv.slice(2);
  const workflow = crashableWorkflow({ baseURL, countsFile, noRerun: noRerun === 'noRerun' });
  const engine = createWorkflowEngine({ store: fileStore(storeDir), workflows: [workflow], leaseMs: 600_000 });
  await engine.start(workflow, {}, { runId: 'crash-1' });
}
