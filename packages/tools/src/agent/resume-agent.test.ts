import { randomBytes } from 'node:crypto';
import { MessagesClient } from '@loopguard/messages';
import { type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentStateError } from '../state/agent-state-error.js';
import { defineTool } from '../tools/define-tool.js';
import { MISSING_RESULT_TEXT } from '../transcript/check-transcript.js';
import type { AgentEvent, AgentState } from './agent-types.js';
import { resumeAgent } from './resume-agent.js';
import { runAgent } from './run-agent.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const secret = randomBytes(32);

/** A gateway whose model first asks to pay alice (a call that needs approval), then answers. */
async function setup() {
  gateway = await startMockGateway({
    model: scriptedModel([
      { toolCalls: [{ name: 'wire_money', input: { to: 'alice', amount: 5 }, id: 'toolu_pay' }] },
      { text: 'Paid.' },
      { text: 'spare' },
    ]),
  });
  const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL, retryBaseDelayMs: 1 });
  const wired: string[] = [];
  const tools = [
    defineTool({
      name: 'wire_money',
      description: 'Sends money',
      input: z.object({ to: z.string(), amount: z.number() }),
      needsApproval: true,
      execute: ({ to }) => {
        wired.push(to);
        return 'sent';
      },
    }),
  ];
  return { client, tools, wired };
}

/** A run stopped awaiting approval, its state as it would come back from a file. */
async function savedState(
  stateSecret?: Uint8Array,
): Promise<{ state: AgentState } & Awaited<ReturnType<typeof setup>>> {
  const context = await setup();
  const first = await runAgent({
    client: context.client,
    prompt: 'Pay alice 5',
    tools: context.tools,
    ...(stateSecret ? { stateSecret } : {}),
  });
  expect(first.stopReason).toBe('awaiting_approval');
  return { ...context, state: JSON.parse(JSON.stringify(first.state)) as AgentState };
}

function refusal(run: () => unknown): AgentStateError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AgentStateError);
    return error as AgentStateError;
  }
  throw new Error('the state was not refused');
}

describe('resumeAgent validates the whole state before anything runs', () => {
  it('Should refuse a pending call the model never made, run nothing and send nothing', async () => {
    const { state, client, tools, wired } = await savedState();
    const requestsBefore = gateway?.requests.length;
    const forged = state.pendingApproval?.toolUses[0] as { input: unknown };
    forged.input = { to: 'mallory', amount: 5000 };
    const error = refusal(() => resumeAgent(state, { client, tools, approvals: { toolu_pay: true } }));
    expect(error.code).toBe('invalid_pending_approval');
    expect(error.message).toContain('pendingApproval.toolUses.0');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(wired).toEqual([]);
    expect(gateway?.requests.length).toBe(requestsBefore);
  });

  it('Should refuse pending tool_use ids that are not those of the pending assistant turn', async () => {
    const { state, client, tools, wired } = await savedState();
    (state.pendingApproval?.toolUses[0] as { id: string }).id = 'toolu_other';
    const error = refusal(() => resumeAgent(state, { client, tools, approvals: { toolu_other: true } }));
    expect(error.code).toBe('invalid_pending_approval');
    expect(wired).toEqual([]);
  });

  it.each([
    ['credits', (state: AgentState) => Object.assign(state, { credits: 'abc' }), 'credits'],
    ['negative usage', (state: AgentState) => Object.assign(state.usage, { input_tokens: -5 }), 'usage.input_tokens'],
    ['a fractional turn', (state: AgentState) => Object.assign(state, { turn: 1.5 }), 'turn'],
    [
      'a role',
      (state: AgentState) => Object.assign(state.messages[0] as object, { role: 'system' }),
      'messages.0.role',
    ],
    ['the version', (state: AgentState) => Object.assign(state, { version: 2 }), 'version'],
  ])('Should refuse a state with tampered %s, naming the field', async (_name, tamper, field) => {
    const { state, client, tools } = await savedState();
    tamper(state);
    const error = refusal(() => resumeAgent(state, { client, tools }));
    expect(error.code).toBe('invalid_state');
    expect(error.issues.some((issue) => issue.startsWith(`${field}:`))).toBe(true);
  });

  it('Should refuse a transcript whose tool_result answers no call', async () => {
    const { state, client, tools } = await savedState();
    state.messages.push(
      { role: 'assistant', content: [{ type: 'text', text: 'hm' }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_nobody', content: 'x' }] },
    );
    const error = refusal(() => resumeAgent(state, { client, tools }));
    expect(error.code).toBe('invalid_transcript');
    expect(error.message).toContain('messages.2.content.0');
  });

  it('Should repair a state cut after a tool_use: an is_error result, reported, the call not run', async () => {
    const { state, client, tools, wired } = await savedState();
    const cut: AgentState = {
      ...state,
      messages: [...state.messages, state.pendingApproval?.assistant as AgentState['messages'][number]],
      pendingApproval: undefined,
    };
    const run = resumeAgent(JSON.parse(JSON.stringify(cut)), { client, tools });
    const events: AgentEvent[] = [];
    for await (const event of run) events.push(event);
    const result = await run;
    expect(result.stopReason).toBe('end_turn');
    expect(wired).toEqual([]);
    const repaired = events.find((event) => event.type === 'transcript_repaired');
    expect(repaired).toMatchObject({
      repairs: [{ type: 'missing_tool_result', messageIndex: 1, toolUseId: 'toolu_pay' }],
    });
    expect(result.messages[2]).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_pay', is_error: true, content: MISSING_RESULT_TEXT }],
    });
  });
});

describe('signed states', () => {
  it('Should sign each state and resume a signed one that round-tripped through JSON', async () => {
    const { state, client, tools, wired } = await savedState(secret);
    expect(state.signature).toMatch(/^hmac-sha256:v1:[0-9a-f]{64}$/);
    const resumed = await resumeAgent(state, { client, tools, approvals: { toolu_pay: true }, stateSecret: secret });
    expect(resumed.stopReason).toBe('end_turn');
    expect(wired).toEqual(['alice']);
    expect(resumed.state.signature).toMatch(/^hmac-sha256:v1:/);
  });

  it('Should refuse a signed state edited outside the process, even when the edit is consistent', async () => {
    const { state, client, tools, wired } = await savedState(secret);
    // A consistent forgery: the pending assistant turn and its calls changed together.
    for (const block of [
      state.pendingApproval?.toolUses[0],
      (state.pendingApproval?.assistant.content as object[] | undefined)?.[0],
    ]) {
      (block as { input: unknown }).input = { to: 'mallory', amount: 5000 };
    }
    const error = refusal(() =>
      resumeAgent(state, { client, tools, approvals: { toolu_pay: true }, stateSecret: secret }),
    );
    expect(error.code).toBe('state_signature_invalid');
    expect(wired).toEqual([]);
  });

  it('Should refuse a state with another secret, without a signature, or signed but resumed without a secret', async () => {
    const { state, client, tools } = await savedState(secret);
    expect(refusal(() => resumeAgent(state, { client, tools, stateSecret: randomBytes(32) })).code).toBe(
      'state_signature_invalid',
    );
    const { signature: _dropped, ...unsigned } = state;
    expect(refusal(() => resumeAgent(unsigned as AgentState, { client, tools, stateSecret: secret })).code).toBe(
      'state_signature_missing',
    );
    expect(refusal(() => resumeAgent(state, { client, tools })).code).toBe('state_secret_missing');
  });

  it('Should refuse a secret shorter than 16 bytes, naming stateSecret', async () => {
    const { client, tools } = await setup();
    expect(() => runAgent({ client, prompt: 'Pay alice 5', tools, stateSecret: 'short' })).toThrow(/`stateSecret`/);
    expect(gateway?.requests).toHaveLength(0);
  });
});
