/**
 * `pnpm --filter @loopguard/example-research-pipeline start [topic] [--fresh]`: runs the pipeline on `topic`,
 * resuming this topic's unfinished run from the workflow store ./research-runs; a new topic, or `--fresh`, starts a new run.
 * @module
 */
import { schemaDrivenModel, startGatewayOrMock } from '@loopguard/mock-gateway';
import { runResearchPipeline } from './research-pipeline.js';

const gateway = await startGatewayOrMock({ model: schemaDrivenModel() });
try {
  const state = await runResearchPipeline({
    ...gateway,
    topic: process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 'home batteries',
    fresh: process.argv.includes('--fresh'),
    storeDir: 'research-runs',
    ledgerPath: 'research-spend.jsonl',
  });
  console.log(JSON.stringify(state.report, null, 2));
} catch (error) {
  console.error(`pipeline failed: ${(error as Error).message} (re-run to resume)`);
  process.exitCode = 1;
} finally {
  await gateway.close();
}
