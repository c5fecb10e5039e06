/**
 * `pnpm bench [--quick] [--only <n>] [--out file.json]`: every scenario in one run, so ratios hold on a noisy
 * machine (`--only 1,3` runs just those scenarios, for working on one). Measures loopguard as built
 * (`child-node-args.ts`): `pnpm bench` runs `pnpm build` first.
 * Prints markdown tables and writes `bench/results/latest.json` (machine, Node version, date, every figure).
 * @module
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measuredBuild } from './child-node-args.js';
import { markdownTables, type ReportRow } from './report-table.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, out: { type: 'string' } },
});
const quick = values.quick ?? false;
const only = values.only === undefined ? undefined : new Set(values.only.split(',').map((part) => part.trim()));
if (only && [...only].some((part) => !['1', '2', '3', '4', '5', '6'].includes(part))) {
  process.stderr.write(`bench: --only takes scenario numbers 1 to 6, comma-separated; got "${values.only}".\n`);
  process.exit(2);
}
if (
  measuredBuild === 'dist' &&
  !existsSync(fileURLToPath(new URL('../../packages/messages/dist/index.js', import.meta.url)))
) {
  process.stderr.write('bench: loopguard is measured as built; run `pnpm build` first (`pnpm bench` does).\n');
  process.exit(2);
}
// The scenarios import loopguard: loaded once it is known to be there.
const { largeToolInputScenario } = await import('./scenario-large-tool-input.js');
const { ledgerScenario } = await import('./scenario-ledger.js');
const { loopOverheadScenario } = await import('./scenario-loop-overhead.js');
const { memoryScenario } = await import('./scenario-memory.js');
const { sseDecodingScenario } = await import('./scenario-sse-decoding.js');
const { workflowScenario } = await import('./scenario-workflow.js');
// A partial or quick run never overwrites the latest full one.
const out =
  values.out ??
  fileURLToPath(
    new URL(
      only ? '../results/partial.json' : quick ? '../results/quick.json' : '../results/latest.json',
      import.meta.url,
    ),
  );
const plan = quick
  ? {
      sseMiB: 4,
      sseSmallMiB: 1,
      sseRuns: 3,
      toolKiB: [64, 256] as [number, number],
      toolRuns: 3,
      toolLimitMs: 30_000,
      turns: 30,
      loopRuns: 3,
      memory: [100, 200, 400],
      memorySamples: 1,
      pairs: 2000,
      ledgerRuns: 2,
      ledgerRequests: 100,
      ledgerEntries: 10_000,
      workflowSteps: 200,
      workflowRuns: 3,
      queueRuns: 40,
    }
  : {
      sseMiB: 64,
      sseSmallMiB: 16,
      sseRuns: 5,
      toolKiB: [1024, 4096] as [number, number],
      toolRuns: 3,
      toolLimitMs: 180_000,
      turns: 500,
      loopRuns: 8,
      memory: [500, 1000, 2000],
      memorySamples: 3,
      pairs: 20_000,
      ledgerRuns: 3,
      ledgerRequests: 1000,
      ledgerEntries: 100_000,
      workflowSteps: 1000,
      workflowRuns: 5,
      queueRuns: 300,
    };

const rows: ReportRow[] = [];
const step = async (number: number, name: string, work: () => Promise<ReportRow[]> | ReportRow[]): Promise<void> => {
  if (only && !only.has(String(number))) return;
  const started = performance.now();
  process.stderr.write(`bench: ${name}…`);
  rows.push(...(await work()));
  process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
};

await step(1, 'SSE decoding', () => sseDecodingScenario(plan.sseMiB, plan.sseSmallMiB, plan.sseRuns));
await step(2, 'large tool input', () => largeToolInputScenario(plan.toolKiB, plan.toolRuns, plan.toolLimitMs));
await step(3, 'loop overhead', () => loopOverheadScenario(plan.turns, plan.loopRuns));
await step(4, 'memory', () => memoryScenario(plan.memory, plan.memorySamples, quick));
await step(5, 'ledger', () =>
  ledgerScenario({
    pairs: plan.pairs,
    runs: plan.ledgerRuns,
    requests: plan.ledgerRequests,
    entries: plan.ledgerEntries,
  }),
);
await step(6, 'workflow', () =>
  workflowScenario({ steps: plan.workflowSteps, runs: plan.workflowRuns, queueRuns: plan.queueRuns }),
);

const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  platform: process.platform,
  arch: process.arch,
};
const report = {
  date: new Date().toISOString(),
  node: process.version,
  quick,
  loopguard: measuredBuild,
  ...(only ? { only: [...only] } : {}),
  machine,
  plan,
  rows,
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(
  `## loopguard benchmarks${quick ? ' (quick)' : ''}\n\n${report.date}, Node ${report.node}, ${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, loopguard measured from ${measuredBuild === 'dist' ? 'its build (dist/, as published)' : 'its TypeScript sources through tsx'}\n\n${markdownTables(rows)}\n`,
);
process.stderr.write(`bench: results written to ${out}\n`);
// Contenders given up on may still be running; the report is complete.
process.exit(0);
