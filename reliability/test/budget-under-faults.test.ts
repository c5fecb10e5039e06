import { createBudget, memoryLedger } from '@loopguard/budget';
import { isLoopguardError, MessagesClient } from '@loopguard/messages';
import { startMockGateway } from '@loopguard/mock-gateway';
import { defineTool, runAgent } from '@loopguard/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FAULT_PROBABILITY, FAULT_RULES } from '../src/fault-plan.js';

describe('reliability: a shared budget under faults', () => {
  it('Should keep 50 concurrent agents within the cap, on a fast or a loaded machine alike, while ~20% of requests fail, every reservation settled or released', async () => {
    const CAP = 4;
    const gateway = await startMockGateway({
      keys: [{ key: 'sk-local-test', credits: 1000 }],
      faults: {
        seed: 99,
        rules: [
          ...FAULT_RULES,
          // The gateway works past the client's time-to-headers limit, and bills; or answers and the answer is lost.
          { probability: FAULT_PROBABILITY, fault: { type: 'stall', ms: 1_000, beforeHeaders: true } },
          { probability: FAULT_PROBABILITY, fault: { type: 'reset', billed: true } },
        ],
      },
      model: () => ({ text: 'Working. '.repeat(15), toolCalls: [{ name: 'echo', input: { text: 'again' } }] }),
    });
    const ledger = memoryLedger();
    const budget = createBudget({ limit: { credits: CAP }, ledger });
    // Reservations are true upper bounds: no settlement may go past its reservation.
    let overshoot = 0;
    budget.on('settle', ({ reserved, credits }) => {
      overshoot += Math.max(0, credits - reserved);
    });
    const client = new MessagesClient({
      apiKey: 'sk-local-test',
      baseURL: gateway.baseURL,
      retryBaseDelayMs: 1,
      headersTimeoutMs: 200,
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
      const spent = gateway.billed();
      expect(gateway.requests.some((r) => r.fault)).toBe(true);
      expect(outcomes.filter((o) => o === 'budget_exceeded').length).toBeGreaterThan(40);
      expect(outcomes).not.toContain('untyped');
      expect(overshoot).toBe(0);
      expect(spent).toBeLessThanOrEqual(CAP + 1e-9);
      const totals = await ledger.totals(Date.now());
      expect(totals.outstanding).toBe(0);
      expect(totals.reserved).toBe(0);
      // Attempts that may have been billed (timeouts, resets, cut answers, 500s) count in full: never less than the gateway billed.
      expect(totals.spent).toBeGreaterThanOrEqual(spent - 1e-9);
      expect(totals.spent).toBeLessThanOrEqual(CAP + 1e-9);
    } finally {
      await gateway.close();
    }
  }, 60_000);
});
