/**
 * The stand-in model of the fault runs: each run's prompt says how many tool turns it wants; the model
 * calls `record` (one or two calls in parallel, sometimes with extra or wrong-typed fields) until then,
 * then answers with text. Deterministic for a given request.
 * @module
 */
import type { MessageParam } from '@loopguard/messages';
import type { ModelResponder } from '@loopguard/mock-gateway';

function toolTurnsSoFar(messages: MessageParam[]): number {
  return messages.filter(
    (m) => m.role === 'user' && Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_result'),
  ).length;
}

/** The prompt of run `index`. */
export function workloadPrompt(index: number): string {
  return `run ${index}: make ${2 + (index % 3)} tool turns`;
}

/** The responder. */
export function workloadModel(): ModelResponder {
  return ({ params }) => {
    const first = params.messages[0];
    const prompt = typeof first?.content === 'string' ? first.content : '';
    const match = /run (\d+): make (\d+) tool turns/.exec(prompt);
    const index = Number(match?.[1] ?? 0);
    const wanted = Number(match?.[2] ?? 1);
    const turn = toolTurnsSoFar(params.messages);
    if (turn >= wanted) return { text: `Run ${index} is done after ${turn} tool turns.` };
    const calls: Array<{ name: string; input: unknown }> = [
      { name: 'record', input: { key: `r${index}t${turn}a`, value: turn } },
    ];
    if ((index + turn) % 2 === 0)
      calls.push({ name: 'record', input: { key: `r${index}t${turn}b`, value: turn + 0.5 } });
    // Some first calls are bad: an extra field (stripped by validation) or a wrong type (refused).
    if (turn === 0 && index % 7 === 0)
      calls[0] = { name: 'record', input: { key: `r${index}x`, value: 1, injected: 'rm -rf /' } };
    if (turn === 0 && index % 11 === 0)
      calls[0] = { name: 'record', input: { key: `r${index}y`, value: 'not a number' } };
    return { text: `Turn ${turn + 1} of run ${index}.`, toolCalls: calls };
  };
}
