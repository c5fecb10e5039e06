/**
 * `pnpm --filter @loopguard/example-research-pipeline start [topic] [--fresh]`: runs the pipeline on `topic`,
 * resuming a crashed run of the same topic from ./research-state.json; a new topic, or `--fresh`, starts over.
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
    statePath: 'research-state.json',
    ledgerPath: 'research-spend.jsonl',
  });
  console.log(JSON.stringify(state.report, null, 2));
} catch (error) {
  console.error(`pipeline failed: ${(error as Error).message} (re-run to resume)`);
  process.exitCode = 1;
} finally {
  await gateway.close();
}
