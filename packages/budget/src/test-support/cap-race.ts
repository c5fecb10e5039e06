/**
 * A race for one cap, for the tests of the cap's promise: agents that would loop forever share one budget
 * against a real mock gateway with faults, and the race reports what the gateway billed beside what the
 * ledger counted.
 * @module
 */
import { type ClientOptions, isLoopguardError, MessagesClient, type Middleware } from '@loopguard/messages';
import { type FaultRule, type MockGateway, type MockGatewayOptions, startMockGateway } from '@loopguard/mock-gateway';
import { defineTool, runAgent } from '@loopguard/tools';
import { z } from 'zod';
import { type BudgetGuard, createBudget } from '../budget-guard.js';
import type { BudgetOptions } from '../budget-options.js';
import type { LedgerTotals } from '../ledger.js';
import { memoryLedger } from '../memory-ledger.js';

/** Text that tokenizes at about one token per character: CJK, base64 and code. */
export const HARSH_TEXTS = [
  '量子计算使用量子比特，它们可以同时处于多个状态。请继续工作，直到任务完成。',
  Buffer.from(Array.from({ length: 240 }, (_, i) => (i * 7919 + 13) % 256)).toString('base64'),
  'for(let i=0;i<n;i++){a[i]^=b[(i*31)&255];}/*0x7f*/ '.repeat(3),
];

/** The faults a real network produces, each alone, in the order the suite tries them. */
export const FAULTS: Record<string, FaultRule['fault']> = {
  // Stalls outlast the race (they end when the gateway closes): the client's limits always fire first.
  stall_before_headers: { type: 'stall', ms: 600_000, beforeHeaders: true },
  stall_after_first_event: { type: 'stall', ms: 600_000, afterEvents: 1 },
  reset_after_billing: { type: 'reset', billed: true },
  reset_before_work: { type: 'reset' },
  cut_stream: { type: 'cut', afterEvents: 3 },
  malformed_stream: { type: 'malformed', afterEvents: 2 },
  internal_error: { type: 'status', status: 500 },
  upstream_error: { type: 'status', status: 503 },
  rate_limited: { type: 'status', status: 429, retryAfterSeconds: 0 },
};

/** What a race is run with. */
export interface CapRaceOptions {
  agents: number;
  cap: number;
  seed?: number;
  rules?: FaultRule[];
  gateway?: Omit<MockGatewayOptions, 'faults' | 'model' | 'keys'>;
  budget?: Omit<BudgetOptions, 'limit' | 'ledger'>;
  /** Which agents stream (the others send non-streaming requests, whose `credits_consumed` is rounded). */
  stream?: (index: number) => boolean;
  /** A middleware installed before the budget, e.g. to look at each message. */
  middleware?: Middleware;
  /** Runs before the agents start, e.g. to take a reconcile baseline. */
  before?: (budget: BudgetGuard) => Promise<void>;
}

/** What a race ended with. */
export interface CapRaceResult {
  gateway: MockGateway;
  budget: BudgetGuard;
  /** Each agent's stop reason, or the name of the typed error it failed with (`untyped` if none). */
  outcomes: string[];
  /** Credits the gateway billed. */
  billed: number;
  totals: LedgerTotals;
  /** Settlements above their reservation (what `reserve: 'estimate'` may under-reserve), summed. */
  overshoot: number;
  possiblyBilled: number;
}

const CLIENT: ClientOptions = {
  apiKey: 'sk-local-test',
  retryBaseDelayMs: 1,
  maxRetries: 3,
  // Far below every stall, so a stalled attempt always times out; far above what a loaded machine needs
  // to answer, so an attempt that is not stalled does not.
  headersTimeoutMs: 2_000,
  idleTimeoutMs: 2_000,
};

const echo = defineTool({
  name: 'echo',
  description: 'echoes its text',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text.slice(0, 40),
});

/** Runs one race; the caller closes `result.gateway`. */
export async function raceForCap(options: CapRaceOptions): Promise<CapRaceResult> {
  const gateway = await startMockGateway({
    ...options.gateway,
    keys: [{ key: 'sk-local-test', credits: 1_000_000 }],
    faults: { seed: options.seed ?? 1, rules: options.rules ?? [] },
    // Short replies (under max_tokens even at one token per character), so agents loop until the cap stops them.
    model: ({ requestNumber }) => ({
      text: `${HARSH_TEXTS[requestNumber % HARSH_TEXTS.length]?.slice(0, 8)} ${requestNumber % 100}`,
      toolCalls: [
        { name: 'echo', input: { text: HARSH_TEXTS[(requestNumber + 1) % HARSH_TEXTS.length]?.slice(0, 12) } },
      ],
    }),
  });
  const ledger = memoryLedger();
  const budget = createBudget({ ...options.budget, limit: { credits: options.cap }, ledger });
  let overshoot = 0;
  budget.on('settle', ({ credits, reserved }) => {
    overshoot += Math.max(0, credits - reserved);
  });
  const client = new MessagesClient({ ...CLIENT, baseURL: gateway.baseURL });
  if (options.middleware) client.use(options.middleware);
  client.use(budget);
  await options.before?.(budget);
  const outcomes = await Promise.all(
    Array.from({ length: options.agents }, (_, index) =>
      runAgent({
        client,
        prompt: `Agent ${index}: ${HARSH_TEXTS[index % HARSH_TEXTS.length]}`,
        tools: [echo],
        maxTokens: 60,
        maxTurns: 200,
        stream: options.stream?.(index) ?? index % 2 === 0,
      }).then(
        (result) => result.stopReason,
        (error: unknown) => (isLoopguardError(error) ? error.name : 'untyped'),
      ),
    ),
  );
  const report = await budget.report();
  return {
    gateway,
    budget,
    outcomes,
    billed: gateway.billed(),
    totals: await ledger.totals(Date.now()),
    overshoot,
    possiblyBilled: report.possiblyBilled.credits,
  };
}
