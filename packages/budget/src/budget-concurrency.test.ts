import { MessagesClient } from '@loopguard/messages';
import { type MockGateway, startMockGateway } from '@loopguard/mock-gateway';
import { defineTool, runAgent } from '@loopguard/tools';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type BudgetGuard, createBudget } from './budget-guard.js';
import type { Ledger } from './ledger.js';
import { memoryLedger } from './memory-ledger.js';
import { redisLedger } from './redis-ledger.js';
import { type RedisServer, startRedisServer } from './redis-server.js';
import { redisSkipReason } from './test-support/redis-skip-reason.js';

const AGENTS = 50;
const CAP = 3;
const echo = defineTool({
  name: 'echo',
  description: 'echoes',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/** Watches a budget: the sum of the amounts by which settled costs went past their reservations (none: they are bounds). */
function watchOvershoot(budget: BudgetGuard, overshoot: { value: number }): void {
  budget.on('settle', ({ reserved, credits }) => {
    overshoot.value += Math.max(0, credits - reserved);
  });
}

/** 50 agents that would loop forever race for one cap; `makeBudget(i)` gives agent i its guard. */
async function race(makeBudget: (index: number) => BudgetGuard) {
  // Every reply is close to max_tokens (60): text and a tool call, forever.
  gateway = await startMockGateway({
    keys: [{ key: 'sk-local-test', credits: 1000 }],
    model: () => ({ text: 'Still working: '.padEnd(190, '.'), toolCalls: [{ name: 'echo', input: { text: 'more' } }] }),
  });
  const worst = { value: 0 };
  const budgets: BudgetGuard[] = [];
  const runs = Array.from({ length: AGENTS }, (_, index) => {
    const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway?.baseURL });
    const budget = makeBudget(index);
    budgets.push(budget);
    watchOvershoot(budget, worst);
    client.use(budget);
    return runAgent({ client, prompt: `Agent ${index}: keep going`, tools: [echo], maxTokens: 60, maxTurns: 100 });
  });
  const results = await Promise.all(runs);
  return { results, budgets, worst: worst.value, spentAtGateway: gateway.accounts.get('sk-local-test')?.spent ?? 0 };
}

describe('the concurrency promise, in memory', () => {
  it(`Should keep ${AGENTS} concurrent agents sharing one cap within it`, async () => {
    const ledger = memoryLedger();
    const { results, budgets, worst, spentAtGateway } = await race(() =>
      createBudget({ limit: { credits: CAP }, ledger }),
    );
    expect(results.every((result) => result.stopReason === 'budget_exceeded')).toBe(true);
    expect(worst).toBe(0);
    expect(spentAtGateway).toBeLessThanOrEqual(CAP + 1e-9);
    expect(spentAtGateway).toBeGreaterThan(CAP * 0.8);
    const totals = await ledger.totals(Date.now());
    expect(totals.outstanding).toBe(0);
    expect(totals.spent).toBeCloseTo(spentAtGateway, 8);
    expect(await budgets[0]?.remaining()).toBeLessThan(CAP * 0.2);
  });
});

const skip = redisSkipReason();

describe.skipIf(skip !== undefined)('the concurrency promise, on Redis', () => {
  let server: RedisServer;
  const ledgers: Ledger[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(ledgers.map((ledger) => ledger.close()));
    await server?.stop();
  });

  it(`Should keep ${AGENTS} agents, each with its own connection, within one cap`, async () => {
    const key = `race-${Date.now()}`;
    const { results, worst, spentAtGateway } = await race(() => {
      const ledger = redisLedger({ url: server.url, key, create: true });
      ledgers.push(ledger);
      return createBudget({ limit: { credits: CAP }, ledger });
    });
    expect(results.every((result) => result.stopReason === 'budget_exceeded')).toBe(true);
    expect(worst).toBe(0);
    expect(spentAtGateway).toBeLessThanOrEqual(CAP + 1e-9);
    expect(spentAtGateway).toBeGreaterThan(CAP * 0.8);
    const totals = await (ledgers[0] as Ledger).totals(Date.now());
    expect(totals.outstanding).toBe(0);
    expect(totals.spent).toBeCloseTo(spentAtGateway, 8);
  });
});
