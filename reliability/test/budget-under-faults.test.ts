import { createBudget, memoryLedger } from '@loopguard/budget';
import { isLoopguardError, MessagesClient } from '@loopguard/messages';
import { startMockGateway } from '@loopguard/mock-gateway';
import { defineTool, runAgent } from '@loopguard/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FAULT_RULES } from '../src/fault-plan.js';

describe('reliability: a shared budget under faults', () => {
  it('Should keep 50 concurrent agents within the cap while ~20% of requests fail, every reservation settled or released', async () => {
    const CAP = 4;
    const gateway = await startMockGateway({
      keys: [{ key: 'sk-local-test', credits: 1000 }],
      faults: { seed: 99, rules: FAULT_RULES },
      model: () => ({ text: 'Working. '.repeat(15), toolCalls: [{ name: 'echo', input: { text: 'again' } }] }),
    });
    const ledger = memoryLedger();
    const budget = createBudget({ limit: { credits: CAP }, ledger });
    let worst = 0;
    budget.on('settle', ({ reserved, credits }) => {
      worst = Math.max(worst, credits - reserved);
    });
    const client = new MessagesClient({
      apiKey: 'sk-local-test',
      baseURL: gateway.baseURL,
      retryBaseDelayMs: 1,
      idleTimeoutMs: 200,
      maxRetries: 4,
    });
    client.use(budget);
    const echo = defineTool({
      name: 'echo',
      description: 'echoes',
      input: z.object({ text: z.string() }),
      execute: ({ text }) => text,
    });
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          runAgent({ client, prompt: `agent ${i}`, tools: [echo], maxTokens: 60, maxTurns: 100 }).then(
            (result) => result.stopReason,
            (error: unknown) => (isLoopguardError(error) ? error.name : 'untyped'),
          ),
        ),
      );
      const spent = gateway.accounts.get('sk-local-test')?.spent ?? 0;
      expect(gateway.requests.some((r) => r.fault)).toBe(true);
      expect(outcomes.filter((o) => o === 'budget_exceeded').length).toBeGreaterThan(40);
      expect(outcomes).not.toContain('untyped');
      expect(spent).toBeLessThanOrEqual(CAP + Math.max(0, worst));
      const totals = await ledger.totals(Date.now());
      expect(totals.outstanding).toBe(0);
      expect(totals.reserved).toBe(0);
      // Answers that broke off after a 2xx count in full (the gateway may have billed them): never less than the gateway's figure.
      expect(totals.spent).toBeGreaterThanOrEqual(spent - 1e-9);
      expect(totals.spent).toBeLessThanOrEqual(CAP + Math.max(0, worst));
    } finally {
      await gateway.close();
    }
  }, 60_000);
});
