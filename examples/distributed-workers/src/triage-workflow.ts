/**
 * The workflow the workers run: load a ticket, classify it with an agent, file it.
 * @module
 */
import type { MessagesClient } from '@loopguard/messages';
import { defineWorkflow } from '@loopguard/workflow';
import { z } from 'zod';

/** The triage workflow, sending its agent's requests through `client`. */
export function triageWorkflow(client: MessagesClient) {
  return defineWorkflow({
    name: 'triage',
    input: z.object({ ticket: z.string() }),
    output: z.object({ ticket: z.string(), label: z.string(), worker: z.number() }),
    run: async (ctx, { ticket }) => {
      const text = await ctx.step('load', () => `Ticket ${ticket}: the export button does nothing on Safari.`);
      const answer = await ctx.agent('classify', {
        client,
        prompt: `Label this ticket in one word: ${text}`,
        maxTokens: 32,
      });
      const worker = await ctx.step('file', () => process.pid);
      return { ticket, label: answer.text.trim(), worker };
    },
  });
}
