import { ConfigurationError, MessagesClient, type Middleware } from '@loopguard/messages';
import { creditsFor, type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { createBudget } from './budget-guard.js';
import { type CapRaceResult, FAULTS, raceForCap } from './test-support/cap-race.js';

/** Float sums of thousands of small amounts: far below a thousandth of a credit. */
const EPSILON = 1e-9;

let open: MockGateway[] = [];
afterEach(async () => {
  await Promise.all(open.map((gateway) => gateway.close()));
  open = [];
});

/** The promise, asserted on one race: the gateway never billed past the cap, and the ledger never counted less. */
function expectCapHeld(result: CapRaceResult, cap: number): void {
  open.push(result.gateway);
  expect(result.outcomes).not.toContain('untyped');
  // The agents loop until the cap stops them; a few may end on an error their retries could not get past.
  expect(result.outcomes.filter((outcome) => outcome === 'budget_exceeded').length).toBeGreaterThan(
    result.outcomes.length / 2,
  );
  expect(result.billed).toBeGreaterThan(0);
  expect(result.billed).toBeLessThanOrEqual(cap + EPSILON);
  expect(result.totals.spent).toBeGreaterThanOrEqual(result.billed - EPSILON);
  expect(result.totals.spent).toBeLessThanOrEqual(cap + EPSILON);
  // Every reservation settled or released: nothing is left open after the race.
  expect(result.totals.outstanding).toBe(0);
  expect(result.totals.reserved).toBe(0);
  // Reservations are true upper bounds: no settlement ever went past its reservation.
  expect(result.overshoot).toBe(0);
}

describe('the cap holds under each fault alone', () => {
  it.each(Object.entries(FAULTS))(
    'Should keep 24 agents within the cap when %s hits 30%% of requests',
    async (name, fault) => {
      const cap = 12;
      const result = await raceForCap({ agents: 24, cap, seed: name.length, rules: [{ probability: 0.3, fault }] });
      expectCapHeld(result, cap);
      expect(result.gateway.requests.some((request) => request.fault?.type === fault.type)).toBe(true);
    },
  );

  it('Should keep non-streaming agents within a small cap although credits_consumed is rounded to 2 decimals', async () => {
    const cap = 3;
    const exact = new Map<string, { cost: number; reported: number }>();
    const watch: Middleware = {
      afterResponse: ({ callId, message }) => {
        const cost = creditsFor(message.usage.input_tokens, message.usage.output_tokens);
        exact.set(callId, { cost, reported: message.credits_consumed ?? 0 });
      },
    };
    const settled = new Map<string, number>();
    const result = await raceForCap({
      agents: 16,
      cap,
      stream: () => false,
      middleware: watch,
      before: async (budget) => {
        budget.on('settle', ({ reservationId, credits }) => settled.set(reservationId.split(':')[0] ?? '', credits));
      },
    });
    expectCapHeld(result, cap);
    // Some answers reported less than they cost; each was settled at no less than its cost all the same.
    expect([...exact.values()].some(({ cost, reported }) => reported < cost)).toBe(true);
    for (const [callId, { cost }] of exact) expect(settled.get(callId)).toBeGreaterThanOrEqual(cost - EPSILON);
  });

  it('Should keep agents within the cap when the tokenizer counts one token per character', async () => {
    const cap = 12;
    const result = await raceForCap({ agents: 24, cap, gateway: { charactersPerToken: 1 } });
    expectCapHeld(result, cap);
  });

  it('Should keep agents within the cap when responses name a dated model id the price table lacks', async () => {
    const cap = 6;
    const result = await raceForCap({ agents: 12, cap, gateway: { responseModel: 'claude-opus-4-6-20260101' } });
    expectCapHeld(result, cap);
  });
});

describe('the cap holds under every fault together', () => {
  const everyFault = Object.values(FAULTS).map((fault) => ({ probability: 0.03, fault }));

  it.each([1, 2, 3, 4, 5])(
    'Should keep 64 concurrent agents with CJK and base64 text within the cap, seed %i',
    async (seed) => {
      const cap = 30;
      const result = await raceForCap({
        agents: 64,
        cap,
        seed,
        rules: everyFault,
        gateway: { charactersPerToken: 1, responseModel: 'claude-opus-4-6-20260101' },
        stream: (index) => (index + seed) % 3 !== 0,
      });
      expectCapHeld(result, cap);
      expect(result.gateway.requests.filter((request) => request.fault).length).toBeGreaterThan(0);
    },
  );
});

describe("the opt-in estimate (reserve: 'estimate')", () => {
  it('Should stay within its documented bound: the cap plus the under-estimates of the requests settled above their reservation', async () => {
    const cap = 12;
    const result = await raceForCap({
      agents: 64,
      cap,
      gateway: { charactersPerToken: 1 },
      budget: { reserve: 'estimate' },
    });
    open.push(result.gateway);
    // Text at one token per character is under-reserved at ~3 characters per token: why it is opt-in.
    expect(result.overshoot).toBeGreaterThan(0);
    expect(result.billed).toBeLessThanOrEqual(cap + result.overshoot + EPSILON);
    expect(result.totals.spent).toBeGreaterThanOrEqual(result.billed - EPSILON);
    expect(result.totals.outstanding).toBe(0);
  });
});

describe('reconcile(), against the balance of the mock gateway', () => {
  it('Should turn possibly-billed spend into what the gateway billed, never below it', async () => {
    const cap = 12;
    const result = await raceForCap({
      agents: 16,
      cap,
      rules: [
        { probability: 0.15, fault: FAULTS.internal_error as never },
        { probability: 0.15, fault: FAULTS.stall_before_headers as never },
      ],
      before: async (budget) => {
        expect(await budget.reconcile()).toMatchObject({ status: 'baseline' });
      },
    });
    expectCapHeld(result, cap);
    // 500s are counted in full but not billed by the mock: the ledger counts more than the gateway billed.
    expect(result.possiblyBilled).toBeGreaterThan(0);
    expect(result.totals.spent).toBeGreaterThan(result.billed + 0.01);
    const outcome = await result.budget.reconcile({ quietMs: 0 });
    expect(outcome.status).toBe('corrected');
    expect(outcome.correction).toBeLessThan(0);
    expect(outcome.billed).toBeCloseTo(result.billed, 9);
    const spent = await result.budget.spent();
    expect(spent).toBeCloseTo(result.billed, 9);
    expect(spent).toBeGreaterThanOrEqual(result.billed - EPSILON);
    expect(await result.budget.reconcile({ quietMs: 0 })).toMatchObject({ status: 'in_sync', correction: 0 });
  });

  it('Should not lower the ledger while a possibly-billed attempt is recent, nor without a client', async () => {
    const gateway = await startMockGateway({
      faults: [{ nth: 1, fault: { type: 'status', status: 500 } }],
      model: scriptedModel([{ text: 'x' }]),
    });
    open.push(gateway);
    const budget = createBudget({ limit: { credits: 10 } });
    await expect(budget.reconcile()).rejects.toThrow(ConfigurationError);
    await expect(budget.reconcile()).rejects.toThrow(/client\.use\(budget\)/);
    const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL, maxRetries: 0 }).use(budget);
    await budget.reconcile();
    await expect(client.create({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 })).rejects.toThrow();
    expect(await budget.reconcile()).toMatchObject({ status: 'deferred', reason: 'too_recent' });
    expect(await budget.spent()).toBeGreaterThan(0);
  });
});

describe('after sending, a reservation is never thrown away', () => {
  it('Should price a response naming another model at the requested one, without throwing', async () => {
    const gateway = await startMockGateway({ responseModel: 'claude-opus-4-6-20260101' });
    open.push(gateway);
    const budget = createBudget({ limit: { credits: 10 } });
    const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL }).use(budget);
    const message = await client.create({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 });
    expect(message.model).toBe('claude-opus-4-6-20260101');
    // Settled at the larger of the rounded credits_consumed and the price of the usage.
    const billed = gateway.billed();
    expect(await budget.spent()).toBeGreaterThanOrEqual(billed);
    expect(await budget.spent()).toBeLessThanOrEqual(Math.max(billed, Math.round(billed * 100) / 100) + EPSILON);
    expect((await budget.report()).perModel['claude-opus-4-6']?.requests).toBe(1);
  });

  it('Should refuse a model without a price before sending, naming pricing', async () => {
    const gateway = await startMockGateway();
    open.push(gateway);
    const budget = createBudget({ limit: { credits: 10 } });
    const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL }).use(budget);
    const error = await client
      .create({ model: 'claude-opus-4-6-20260101', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/`pricing`/);
    expect(gateway.requests).toHaveLength(0);
  });

  it('Should settle in full when a hook after the budget fails on a whole message', async () => {
    const gateway = await startMockGateway({ model: scriptedModel([{ text: 'fine' }]) });
    open.push(gateway);
    const budget = createBudget({ limit: { credits: 10 } });
    const failing: Middleware = {
      afterResponse: () => {
        throw new Error('a logging hook failed');
      },
    };
    const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL }).use(failing).use(budget);
    const settled: Array<{ possiblyBilled: boolean; rule: string }> = [];
    budget.on('settle', ({ possiblyBilled, rule }) => settled.push({ possiblyBilled, rule }));
    await expect(client.create({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 })).rejects.toThrow(
      /logging hook/,
    );
    expect(settled).toEqual([{ possiblyBilled: true, rule: 'completed' }]);
    const report = await budget.report();
    expect(report.outstandingReservations).toBe(0);
    expect(report.spent.credits).toBeGreaterThanOrEqual(gateway.billed());
  });

  it('Should release an attempt that was never sent, and count one that timed out after sending', async () => {
    const gateway = await startMockGateway({
      faults: [{ nth: 1, fault: { type: 'stall', ms: 600_000, beforeHeaders: true } }],
      model: scriptedModel([{ text: 'late' }, { text: 'ok' }]),
    });
    open.push(gateway);
    const budget = createBudget({ limit: { credits: 10 } });
    const client = new MessagesClient({
      apiKey: 'sk-local-test',
      baseURL: gateway.baseURL,
      headersTimeoutMs: 100,
      maxRetries: 0,
    }).use(budget);
    const events: string[] = [];
    budget.on('settle', ({ rule }) => events.push(`settle:${rule}`));
    budget.on('release', ({ rule }) => events.push(`release:${rule}`));
    const stream = client.stream({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 });
    await expect(stream.finalMessage()).rejects.toMatchObject({ code: 'headers_timeout' });
    const aborted = new AbortController();
    aborted.abort();
    await expect(
      client.create({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 }, { signal: aborted.signal }),
    ).rejects.toMatchObject({ name: 'AbortedError' });
    expect(events).toEqual(['settle:no_answer', 'release:no_attempt']);
    expect(gateway.billed()).toBeGreaterThan(0);
    expect(await budget.spent()).toBeGreaterThanOrEqual(gateway.billed());
  });
});
