import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockGateway } from '@loopguard/mock-gateway';
import { describe, expect, it } from 'vitest';
import { BUDGET_EXIT_CODE, runNightlyDigest } from '../src/nightly-digest.js';

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
      progressPath: join(dir, 'progress.json'),
      ledgerPath: join(dir, 'spend.jsonl'),
      dailyCredits: 0.8,
      now: () => clock,
      log: () => undefined,
    };
    try {
      const first = await runNightlyDigest(options);
      expect(first.exitCode).toBe(BUDGET_EXIT_CODE);
      expect(first.summarisedNow.length).toBeGreaterThan(0);
      expect(first.remaining).toBe(items.length - first.summarisedNow.length);
      const again = await runNightlyDigest(options);
      expect(again).toEqual({ exitCode: BUDGET_EXIT_CODE, summarisedNow: [], remaining: first.remaining });
      clock += 24 * 3_600_000 + 1;
      const nextDay = await runNightlyDigest(options);
      expect(nextDay.summarisedNow[0]).toBe(items[first.summarisedNow.length]);
      expect(nextDay.summarisedNow.length).toBeGreaterThan(0);
      expect(gateway.accounts.get('sk-local-test')?.spent).toBeLessThanOrEqual(0.8 * 2);
    } finally {
      await gateway.close();
    }
  });
});
