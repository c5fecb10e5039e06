/** A workflow for the `loopguard runs` tests: a step, an approval, a step. */
import { defineWorkflow } from '@loopguard/workflow';
import { z } from 'zod';

export const approvalWorkflow = defineWorkflow({
  name: 'approval-flow',
  input: z.object({ item: z.string() }),
  output: z.string(),
  run: async (ctx, { item }) => {
    const priced = await ctx.step('price', () => `${item}: 12.99`);
    const decision = await ctx.approval('manager', { priced });
    return ctx.step('finish', () => (decision.approved ? `bought ${priced}` : `dropped ${item}`));
  },
});
