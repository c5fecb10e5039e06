/**
 * The workflow the workflow bench runs: `steps` trivial steps, so what is measured is the journal.
 * @module
 */
import { defineWorkflow } from '@loopguard/workflow';
import { z } from 'zod';

/** A workflow of `steps` steps that each return their number. */
export function benchSteps(steps: number) {
  return defineWorkflow({
    name: 'bench-steps',
    input: z.object({}),
    output: z.number(),
    run: async (ctx) => {
      let sum = 0;
      for (let i = 0; i < steps; i += 1) sum += await ctx.step(`step-${i}`, () => i);
      return sum;
    },
  });
}
