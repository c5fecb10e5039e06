/**
 * `pnpm --filter @loopguard/example-research-pipeline start [topic]`: runs or resumes the pipeline; state in ./research-state.json.
 * @module
 */
import { schemaDrivenModel, startGatewayOrMock } from '@loopguard/mock-gateway';
import { runResearchPipeline } from './research-pipeline.js';

const gateway = await startGatewayOrMock({ model: schemaDrivenModel() });
try {
  const state = await runResearchPipeline({
    ...gateway,
    topic: process.argv[2] ?? 'home batteries',
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
