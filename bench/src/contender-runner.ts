/**
 * The process of one contender: `contender-runner.ts <scenario> <contender>`. Loads that scenario's module of
 * contenders and prints `ready`; then, for each line on stdin, `{"prepare": params}` sets the contender up for
 * those params (untimed; the module's `setupsKept` set-ups are held at once, one by default) and prints
 * `{"prepared": true}`, and `{"run": params}` runs it once (set up first if need be), prints `{"ran": true}`
 * as soon as it is measured (the parent's time limit stops there) and `{"figures": …}` once the process is idle
 * again — or `{"error": …}`.
 * @module
 */
import { createInterface } from 'node:readline';
import type { ContenderScenario, ContenderTable } from './contender-process.js';
import { measureOnce } from './measure.js';

/** A scenario's module of contenders; `setupsKept`: how many params' set-ups a process holds at once (default 1). */
interface ContenderModule {
  contenders: ContenderTable<never>;
  setupsKept?: number;
}

const modules: Record<ContenderScenario, () => Promise<ContenderModule>> = {
  'sse-decoding': () => import('./sse-decoding-contenders.js'),
  'large-tool-input': () => import('./large-tool-input-contenders.js'),
  'loop-overhead': () => import('./loop-overhead-contenders.js'),
};

const [scenario = '', name = ''] = process.argv.slice(2);
const load = modules[scenario as ContenderScenario];
const loaded = load ? await load() : undefined;
const setup = loaded?.contenders[name];
if (!setup) {
  process.stderr.write(`contender-runner: no contender "${name}" in scenario "${scenario}"\n`);
  process.exit(2);
}
const kept = Math.max(1, loaded?.setupsKept ?? 1);
/** Set-ups by their params' JSON, oldest first. */
const prepared = new Map<string, () => unknown>();
const workFor = async (params: unknown): Promise<() => unknown> => {
  const key = JSON.stringify(params);
  const ready = prepared.get(key);
  if (ready) return ready;
  // Past `kept` set-ups, the oldest one's fixtures are let go before the next is made.
  while (prepared.size >= kept) prepared.delete(prepared.keys().next().value as string);
  const work = await setup(params as never);
  prepared.set(key, work);
  return work;
};
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  try {
    const request = JSON.parse(line) as { prepare?: unknown; run?: unknown };
    if ('prepare' in request) {
      await workFor(request.prepare);
      process.stdout.write(`${JSON.stringify({ prepared: true })}\n`);
    } else {
      const work = await workFor(request.run);
      const figures = await measureOnce(work, () => process.stdout.write(`${JSON.stringify({ ran: true })}\n`));
      process.stdout.write(`${JSON.stringify({ figures })}\n`);
    }
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String((error as Error)?.stack ?? error) })}\n`);
  }
}
process.exit(0);
