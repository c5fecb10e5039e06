/**
 * Property test of the event log (kept compactly, events made again by each reader): seeded random runs against the mock
 * gateway — several tool calls a turn finishing out of order, tools that throw, unknown tools, invalid input,
 * duplicate ids, approvals (stopping `awaiting_approval`, then resumed), `approve` callbacks, final answers,
 * server threads, faults (cut streams, 5xx) retried, budget stops, `max_turns` — read by iterators begun before
 * the run, after random events (some reading slowly, so they lag inside a turn), and
 * after it ended; meanwhile user code assigns a step's fields (calls, results, usage, credits, response,
 * outcomes, duration) and serialises steps (JSON, structuredClone, Object.keys, spread). Every iterator must
 * give exactly the events emitted (recorded by a spy on `EventLog.prototype.push`), in order, sharing their
 * objects, with the values they had when emitted. Deterministic: a fixed list of seeds.
 */
import { LoopguardError, MessagesClient } from '@loopguard/messages';
import { createSeededRandom } from '@loopguard/messages/internal';
import { type MockGateway, type ScriptedReply, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { asEmitted, keyOrder, type Loose } from '../test-support/emitted-events.js';
import { defineTool } from '../tools/define-tool.js';
import type { AgentRun } from './agent-run.js';
import type { AgentEvent, AgentResult } from './agent-types.js';
import { EventLog } from './event-log.js';
import { resumeAgent } from './resume-agent.js';
import { runAgent } from './run-agent.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await gateway?.close();
  gateway = undefined;
});

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const chance = (rng: Rng, p: number) => rng() < p;
const ticks = async (n: number) => {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

interface Read {
  events: AgentEvent[];
  error?: unknown;
}

async function collect(iterable: AsyncIterable<AgentEvent>, rng: Rng | undefined): Promise<Read> {
  const events: AgentEvent[] = [];
  try {
    for await (const event of iterable) {
      events.push(event);
      // A slow reader: it lags behind, inside a turn while later ones are logged.
      if (rng && chance(rng, 0.5)) await ticks(int(rng, 1, 4));
    }
  } catch (error) {
    return { events, error };
  }
  return { events };
}

function tools() {
  return [
    defineTool({
      name: 'record',
      description: 'records a value (later values finish first)',
      input: z.object({ value: z.number() }),
      execute: async ({ value }) => {
        await ticks(Math.max(0, 6 - value));
        return `recorded ${value}`;
      },
    }),
    defineTool({
      name: 'boom',
      description: 'throws',
      input: z.object({}),
      execute: async () => {
        await ticks(1);
        throw new Error('boom');
      },
    }),
    defineTool({
      name: 'pay',
      description: 'needs approval',
      input: z.object({ amount: z.number() }),
      needsApproval: (input) => input.amount > 2,
      execute: ({ amount }) => `paid ${amount}`,
    }),
  ];
}

interface Plan {
  replies: ScriptedReply[];
  output: boolean;
  stream: boolean;
  threads: boolean;
  thinking: boolean;
  maxTurns: number;
  toolConcurrency: number;
  faults: Array<{ nth: number; fault: { type: 'cut'; afterEvents: number } | { type: 'status'; status: number } }>;
  budgetAt: number | undefined;
  approve: boolean;
}

function plan(rng: Rng): Plan {
  const output = chance(rng, 0.25);
  const turns = int(rng, 1, 5);
  const replies: ScriptedReply[] = [];
  let id = 0;
  for (let turn = 1; turn <= turns; turn += 1) {
    const calls: Array<{ name: string; input: unknown; id: string }> = [];
    for (let n = int(rng, 0, 4); n > 0; n -= 1) {
      const kind = pick(rng, ['record', 'record', 'record', 'boom', 'missing', 'invalid', 'pay', 'dup', 'final']);
      const callId = `toolu_${turn}_${id++}`;
      if (kind === 'record') calls.push({ name: 'record', input: { value: int(rng, 0, 6) }, id: callId });
      if (kind === 'boom') calls.push({ name: 'boom', input: {}, id: callId });
      if (kind === 'missing') calls.push({ name: 'missing', input: {}, id: callId });
      if (kind === 'invalid') calls.push({ name: 'record', input: { value: 'x' }, id: callId });
      if (kind === 'pay') calls.push({ name: 'pay', input: { amount: int(rng, 1, 4) }, id: callId });
      if (kind === 'dup' && calls.length > 0) calls.push({ ...(calls[calls.length - 1] as (typeof calls)[number]) });
      if (kind === 'final' && output)
        calls.push({ name: 'final_answer', input: chance(rng, 0.5) ? { city: 'Oslo' } : { city: 3 }, id: callId });
    }
    const reply: Loose = {};
    if (chance(rng, 0.4)) reply.thinking = `thinking ${turn}`;
    if (chance(rng, 0.8)) reply.text = `text of turn ${turn} `.repeat(int(rng, 1, 3));
    if (calls.length > 0) reply.toolCalls = calls;
    else if (reply.text === undefined) reply.text = 'ok';
    replies.push(reply as ScriptedReply);
  }
  // The run ends: a text reply, or a valid final answer; and spares, for retries of turns and forced answers.
  const last = output
    ? { toolCalls: [{ name: 'final_answer', input: { city: 'Bergen' }, id: 'toolu_final' }] }
    : { text: 'done' };
  for (let i = 0; i < 4; i += 1) replies.push({ ...last });
  const faults: Plan['faults'] = [];
  if (chance(rng, 0.3)) faults.push({ nth: int(rng, 1, 4), fault: { type: 'cut', afterEvents: int(rng, 2, 9) } });
  if (chance(rng, 0.2))
    faults.push({ nth: int(rng, 1, 4), fault: { type: 'status', status: pick(rng, [500, 529, 503]) } });
  return {
    replies,
    output,
    stream: chance(rng, 0.75),
    threads: chance(rng, 0.3),
    thinking: chance(rng, 0.3),
    maxTurns: chance(rng, 0.3) ? int(rng, 1, 4) : 20,
    toolConcurrency: int(rng, 1, 4),
    faults,
    budgetAt: chance(rng, 0.15) ? int(rng, 2, 5) : undefined,
    approve: chance(rng, 0.4),
  };
}

/** Assigns some of a step's fields, or only reads and serialises it (as user code might between events). */
function touchStep(rng: Rng, step: Extract<AgentEvent, { type: 'turn_end' }>['step']): void {
  const mutable = step as unknown as Loose;
  for (let n = int(rng, 1, 4); n > 0; n -= 1) {
    switch (int(rng, 0, 11)) {
      case 0:
        step.toolCalls = [...step.toolCalls].reverse();
        break;
      case 1:
        step.toolCalls = [];
        break;
      case 2:
        step.toolResults = [];
        break;
      case 3:
        step.usage = { input_tokens: 1, output_tokens: 2 };
        break;
      case 4:
        step.credits = 42;
        break;
      case 5:
        step.response = { ...step.response, usage: { input_tokens: 5, output_tokens: 5 } };
        break;
      case 6:
        step.toolOutcomes = step.toolOutcomes.map(() => 'error');
        break;
      case 7:
        step.durationMs = 3;
        break;
      case 8:
        JSON.stringify(step);
        break;
      case 9:
        structuredClone(step);
        break;
      case 10:
        Object.keys(step);
        ({ ...step });
        break;
      default:
        mutable.toolResults = [...step.toolResults];
    }
  }
}

interface Watch {
  emitted: AgentEvent[];
  asWhenEmitted: Loose[];
  mids: Array<Promise<Read>>;
}

/** Records every event logged; begins iterators after random events; touches steps after random turn ends. */
function watch(rng: Rng, current: () => AgentRun | undefined): Watch {
  const watched: Watch = { emitted: [], asWhenEmitted: [], mids: [] };
  const push = EventLog.prototype.push;
  const steps: Array<Extract<AgentEvent, { type: 'turn_end' }>['step']> = [];
  vi.spyOn(EventLog.prototype, 'push').mockImplementation(function (this: EventLog<unknown>, event) {
    watched.emitted.push(event);
    watched.asWhenEmitted.push(asEmitted(event));
    push.call(this, event);
    const run = current();
    if (run && chance(rng, 0.15))
      watched.mids.push(collect(run, chance(rng, 0.5) ? createSeededRandom(int(rng, 1, 1e9)) : undefined));
    if (event.type === 'turn_end') steps.push(event.step);
    // A step of this turn or an earlier one, touched now (another turn may be open).
    if (steps.length > 0 && chance(rng, 0.3)) touchStep(rng, pick(rng, steps));
  });
  return watched;
}

async function expectReplays(
  rng: Rng,
  start: () => AgentRun,
  context: string,
): Promise<{ result?: AgentResult; emitted: AgentEvent[] }> {
  let run: AgentRun | undefined;
  const watched = watch(rng, () => run);
  run = start();
  const live = collect(run, undefined);
  const slow = collect(run, createSeededRandom(int(rng, 1, 1e9)));
  const settled = await run.then(
    (result) => ({ result, error: undefined as unknown }),
    (error: unknown) => ({ result: undefined, error }),
  );
  const reads = [
    await live,
    await slow,
    ...(await Promise.all(watched.mids)),
    await collect(run, undefined),
    await collect(run, createSeededRandom(7)),
  ];
  vi.restoreAllMocks();
  const { emitted, asWhenEmitted } = watched;
  for (const [number, read] of reads.entries()) {
    const where = `${context}, reader ${number}`;
    expect(read.error, where).toBe(settled.error);
    expect(read.events.length, where).toBe(emitted.length);
    expect(read.events, where).toStrictEqual(emitted);
    expect(keyOrder(read.events), where).toEqual(keyOrder(emitted));
    expect(read.events.map(asEmitted), where).toStrictEqual(asWhenEmitted);
    read.events.forEach((event, index) => {
      const original = emitted[index] as Loose;
      for (const key of ['step', 'call', 'result', 'outcome', 'usage', 'repairs', 'error'])
        if (key in original) expect((event as Loose)[key], `${where}, event ${index} ${key}`).toBe(original[key]);
    });
  }
  return { result: settled.result, emitted };
}

const SEEDS = Array.from({ length: Number(process.env.ATTACK_SEEDS ?? 200) }, (_, i) => i + 1);

describe('AgentRun iterators against the events emitted', () => {
  it('Should give every iterator, begun at any moment, the events emitted, however steps are assigned', async () => {
    const stops = new Set<string>();
    let turnsEnded = 0;
    const kinds: Record<string, number> = {};
    for (const seed of SEEDS) {
      const rng = createSeededRandom(seed * 104729 + 3);
      const p = plan(rng);
      gateway = await startMockGateway({
        model: scriptedModel(p.replies),
        ...(p.faults.length > 0 ? { faults: p.faults } : {}),
      });
      const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL, retryBaseDelayMs: 1 });
      let requests = 0;
      if (p.budgetAt !== undefined) {
        const budgetAt = p.budgetAt;
        client.use({
          beforeRequest: () => {
            requests += 1;
            if (requests >= budgetAt) throw new LoopguardError('cap reached', { code: 'budget_exceeded' });
            return undefined;
          },
        });
      }
      const common = {
        client,
        tools: tools(),
        stream: p.stream,
        threads: p.threads,
        thinking: p.thinking,
        maxTurns: p.maxTurns,
        toolConcurrency: p.toolConcurrency,
        ...(p.output ? { output: z.object({ city: z.string() }) } : {}),
        ...(p.approve
          ? { approve: (call: { input: unknown }) => ((call.input as { amount: number }).amount ?? 0) % 2 === 0 }
          : {}),
      };
      const context = `seed ${seed}: ${JSON.stringify(p)}`;
      const first = await expectReplays(rng, () => runAgent({ ...common, prompt: 'go' }), context);
      turnsEnded += first.emitted.filter((event) => event.type === 'turn_end').length;
      for (const event of first.emitted) {
        const key = event.type === 'tool_result' ? `tool_result ${event.outcome}` : event.type;
        kinds[key] = (kinds[key] ?? 0) + 1;
      }
      stops.add(String(first.result?.stopReason ?? 'rejected'));
      if (first.result?.stopReason === 'awaiting_approval') {
        const state = JSON.parse(JSON.stringify(first.result.state));
        const approvals = Object.fromEntries(
          (state.pending?.toolUses ?? []).map((block: { id: string }) => [block.id, chance(rng, 0.5)]),
        );
        const { approve: _approve, ...rest } = common;
        const second = await expectReplays(
          rng,
          () => resumeAgent(state, { ...rest, approvals }),
          `${context} (resumed)`,
        );
        stops.add(`resumed ${String(second.result?.stopReason ?? 'rejected')}`);
      }
      await gateway.close();
      gateway = undefined;
    }
    // The schedule did what it is for: runs ending every way, many turns.
    if (SEEDS.length >= 60) {
      for (const reason of ['end_turn', 'awaiting_approval', 'max_turns', 'budget_exceeded'])
        expect(
          [...stops].some((stop) => stop.includes(reason)),
          [...stops].join(', '),
        ).toBe(true);
      expect(turnsEnded).toBeGreaterThan(100);
      for (const kind of [
        'tool_result error',
        'tool_result unknown_tool',
        'tool_result duplicate_id',
        'tool_result invalid_input',
        'turn_retry',
        'thinking',
      ])
        expect(kinds[kind] ?? 0, kind).toBeGreaterThan(0);
    }
  }, 120_000);
});
