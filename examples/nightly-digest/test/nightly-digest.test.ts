import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockGateway } from '@loopguard/mock-gateway';
import { fileStore } from '@loopguard/workflow';
import { describe, expect, it } from 'vitest';
import { BUDGET_EXIT_CODE, runNightlyDigest } from '../src/nightly-digest.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));

describe('example: nightly-digest', () => {
  it('Should stop with exit code 3 at the daily cap and resume the next day', async () => {
    const gateway = await startMockGateway();
    const dir = mkdtempSync(join(tmpdir(), 'digest-'));
    let clock = 1_700_000_000_000;
    const items = Array.from({ length: 20 }, (_, i) => `item ${i}: a short note about something that happened`);
    const options = {
      baseURL: gateway.baseURL,
      apiKey: 'sk-local-test',
      items,
      storeDir: join(dir, 'runs'),
      ledgerPath: join(dir, 'spend.jsonl'),
      dailyCredits: 0.8,
      now: () => clock,
      log: () => undefined,
    };
    try {
      const first = await runNightlyDigest(options);
      expect(first.exitCode).toBe(BUDGET_EXIT_CODE);
      // Clamped to what the cap allows, the run uses the cap instead of stopping with most of it left.
      expect(first.spentToday).toBeGreaterThan(0.8 * 0.75);
      expect(first.spentToday).toBeLessThanOrEqual(0.8);
      expect(first.summarisedNow.length).toBeGreaterThan(0);
      expect(first.remaining).toBe(items.length - first.summarisedNow.length);
      // The cap suspends the run durably instead of failing it.
      expect((await fileStore(options.storeDir).getRun(first.runId))?.status).toBe('budget_exceeded');
      const again = await runNightlyDigest(options);
      expect(again).toMatchObject({
        exitCode: BUDGET_EXIT_CODE,
        summarisedNow: [],
        remaining: first.remaining,
        spentNow: 0,
      });
      clock += 24 * 3_600_000 + 1;
      const nextDay = await runNightlyDigest(options);
      expect(nextDay.summarisedNow[0]).toBe(items[first.summarisedNow.length]);
      expect(nextDay.summarisedNow.length).toBeGreaterThan(0);
      expect(gateway.accounts.get('sk-local-test')?.spent).toBeLessThanOrEqual(0.8 * 2);
    } finally {
      await gateway.close();
    }
  });

  it('Should end its start command at the cap with exit 0 and a cron log of spend and what is left; 3 with --exit-codes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'digest-cli-'));
    const env: NodeJS.ProcessEnv = { ...process.env, DIGEST_DIR: dir };
    delete env.LOOPGUARD_API_KEY;
    const start = (args: string[]) =>
      spawnSync(process.execPath, ['--conditions=@loopguard/source', '--import', 'tsx', 'src/cli.ts', ...args], {
        cwd: exampleDir,
        env,
        encoding: 'utf8',
      });
    const first = start([]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /^digest digest-[0-9a-f]{16}: 12 of 12 item\(s\) to summarise, daily cap 1\.0000 credits/m,
    );
    expect(first.stdout).toMatch(/✓ Support ticket #1000/);
    expect(first.stdout).toMatch(/spent now \d+\.\d{4} credits \(\$\d+\.\d{4}\); today \d+\.\d{4} credits/);
    expect(first.stdout).toMatch(/stopped at the daily cap: \d+ summarised now, \d+ left for the next run/);
    const second = start(['--exit-codes']);
    expect(second.status).toBe(BUDGET_EXIT_CODE);
    expect(second.stdout).toContain('0 summarised now');
  });
});
