/**
 * The process of one contender: `contender-runner.ts <scenario> <contender>`. Loads that scenario's module of
 * contenders and prints `ready`; then, for each line on stdin, `{"prepare": params}` sets the contender up for
 * those params (untimed) and prints `{"prepared": true}`, and `{"run": params}` runs it once (set up first if
 * need be) and prints `{"figures": …}` — or `{"error": …}`.
 * @module
 */
import { createInterface } from 'node:readline';
import type { ContenderScenario, ContenderTable } from './contender-process.js';
import { measureOnce } from './measure.js';

const modules: Record<ContenderScenario, () => Promise<{ contenders: ContenderTable<never> }>> = {
  'sse-decoding': () => import('./sse-decoding-contenders.js'),
  'large-tool-input': () => import('./large-tool-input-contenders.js'),
  'loop-overhead': () => import('./loop-overhead-contenders.js'),
};

const [scenario = '', name = ''] = process.argv.slice(2);
const load = modules[scenario as ContenderScenario];
const setup = load ? (await load()).contenders[name] : undefined;
if (!setup) {
  process.stderr.write(`contender-runner: no contender "${name}" in scenario "${scenario}"\n`);
  process.exit(2);
}
let prepared: { key: string; work: () => unknown } | undefined;
const workFor = async (params: unknown): Promise<() => unknown> => {
  const key = JSON.stringify(params);
  if (prepared?.key !== key) {
    prepared = undefined; // one setup at a time: the last params' fixtures are let go first
    prepared = { key, work: await setup(params as never) };
  }
  return prepared.work;
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
      process.stdout.write(`${JSON.stringify({ figures: await measureOnce(work) })}\n`);
    }
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String((error as Error)?.stack ?? error) })}\n`);
  }
}
process.exit(0);
