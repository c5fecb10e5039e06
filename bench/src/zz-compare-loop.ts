// scratch (not committed)
import { type MessageParam, MessagesClient } from '@loopguard/messages';
import { defineTool, runAgent } from '@loopguard/tools';
import { z } from 'zod';
import { startLoopGateway } from './scenario-loop-overhead.js';
const { baseURL, child } = await startLoopGateway();
const KEY = 'sk-local-test';
const schema = { type: 'object', properties: { value: { type: 'number' } }, required: ['value'] } as const;
const N = Number(process.argv[2] ?? 200);
async function floor(turns: number) {
  const messages: MessageParam[] = [{ role: 'user', content: `turns: ${turns}` }];
  const tools = [{ name: 'record', description: 'records a value', input_schema: schema }];
  for (;;) {
    const response = await fetch(`${baseURL}/messages`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude-opus-4-6', max_tokens: 1024, stream: false, messages, tools }) });
    const message = (await response.json()) as { content: Array<{ type: string; id?: string }>; stop_reason: string };
    messages.push({ role: 'assistant', content: message.content as MessageParam['content'] });
    if (message.stop_reason !== 'tool_use') return;
    messages.push({ role: 'user', content: message.content.filter((b) => b.type === 'tool_use').map((b) => ({ type: 'tool_result' as const, tool_use_id: b.id as string, content: 'ok' })) });
  }
}
const record = defineTool({ name: 'record', description: 'records a value', input: z.object({ value: z.number() }), execute: () => 'ok' });
const client = new MessagesClient({ apiKey: KEY, baseURL, maxRetries: 0 });
const agent = (stream: boolean) => runAgent({ client, prompt: `turns: ${N}`, tools: [record], maxTurns: N + 1, maxTokens: 1024, stream }).result();
const only = process.argv[4]; const contenders: Array<[string, () => Promise<unknown>]> = ([['floor', () => floor(N)], ['create', () => agent(false)], ['stream', () => agent(true)]] as Array<[string, () => Promise<unknown>]>).filter(([n]) => !only || n === only || n === 'floor');
const cpu = new Map<string, number[]>();
for (const [, w] of contenders) await w();
for (let r = 0; r < Number(process.argv[3] ?? 5); r++) for (const [name, w] of contenders) {
  const c = process.cpuUsage(); await w(); const u = process.cpuUsage(c);
  (cpu.get(name) ?? cpu.set(name, []).get(name)!).push((u.user + u.system) / 1000 / N);
}
const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const f = med(cpu.get('floor')!);
for (const [name, a] of cpu) console.log(name, med(a).toFixed(3), 'cpu ms/turn', (med(a) / f).toFixed(2) + '×');
child.kill();
