/**
 * The process of one contender: `contender-runner.ts <scenario> <contender>`. Loads that scenario's module of
 * contenders, prints `ready`, then for each line of JSON params on stdin runs the contender once (setting it
 * up first, untimed, for params it has not seen) and prints `{"figures": …}` (or `{"error": …}`).
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
const prepared = new Map<string, () => unknown>();
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  try {
    let work = prepared.get(line);
    if (!work) {
      prepared.clear(); // one setup at a time: the last params' fixtures are let go
      work = await setup(JSON.parse(line) as never);
      prepared.set(line, work);
    }
    const figures = await measureOnce(work);
    process.stdout.write(`${JSON.stringify({ figures })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String((error as Error)?.stack ?? error) })}\n`);
  }
}
process.exit(0);
