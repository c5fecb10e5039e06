/**
 * `pnpm --filter @loopguard/example-nightly-digest start [--exit-codes]`: one cron run. Reaching the daily cap
 * is an expected end, not a failure: the run says so and exits 0, so `pnpm` and cron do not report a crash.
 * With `--exit-codes` (for a cron wrapper that acts on it) it exits 3 at the cap. An error exits 1. Runs and spend
 * are kept in `DIGEST_DIR` (default: the working directory).
 * @module
 */
import { join } from 'node:path';
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
    storeDir: join(process.env.DIGEST_DIR ?? '.', 'digest-runs'),
    ledgerPath: join(process.env.DIGEST_DIR ?? '.', 'digest-spend.jsonl'),
    dailyCredits: 1,
  });
  process.exitCode = process.argv.includes('--exit-codes') ? run.exitCode : 0;
} catch (error) {
  console.error(`digest failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await gateway.close();
}
