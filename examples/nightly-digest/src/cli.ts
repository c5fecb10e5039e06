/**
 * `pnpm --filter @loopguard/example-nightly-digest start`: one cron run. Exit 0 when done, 3 when the daily cap stopped it.
 * @module
 */
import { startGatewayOrMock } from '@loopguard/mock-gateway';
import { runNightlyDigest } from './nightly-digest.js';

const items = Array.from(
  { length: 12 },
  (_, i) => `Support ticket #${1000 + i}: the export button does nothing on Safari.`,
);
const gateway = await startGatewayOrMock();
try {
  const run = await runNightlyDigest({
    ...gateway,
    items,
    progressPath: 'digest-progress.json',
    ledgerPath: 'digest-spend.jsonl',
    dailyCredits: 1,
  });
  process.exitCode = run.exitCode;
} catch (error) {
  console.error(`digest failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await gateway.close();
}
