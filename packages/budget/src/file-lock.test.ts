import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock } from './file-lock.js';
import { LedgerError } from './ledger-error.js';
import { spawnTsChild } from './test-support/spawn-ts-child.js';

const CHILD = './lock-child.ts';

describe('withFileLock', () => {
  it('Should let one holder in at a time while 6 processes contend, and let them all through after the holder is SIGKILLed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopguard-lock-'));
    const lockPath = join(dir, 'ledger.locks');
    const holder = spawnTsChild(CHILD, ['hold', lockPath]);
    await holder.waitFor('holding');
    // Every contender finds the lock held, then all find its holder dead at once: the stale-takeover race.
    const rounds = 150;
    const contenders = Array.from({ length: 6 }, () => spawnTsChild(CHILD, ['count', lockPath, dir, String(rounds)]));
    await holder.kill();
    const codes = await Promise.all(contenders.map((child) => child.exited));
    const outputs = contenders.map((child) => child.output());
    expect(outputs.join('')).not.toContain('violation');
    expect(codes).toEqual(Array(6).fill(0));
    expect(Number(readFileSync(join(dir, 'counter'), 'utf8'))).toBe(6 * rounds);
    // Old generations are cleaned up: the lock directory stays small.
    expect(readdirSync(lockPath).length).toBeLessThan(8);
  }, 120_000);

  it('Should fail with ledger_busy naming the holder when a live holder keeps the lock past the wait limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopguard-lock-'));
    const lockPath = join(dir, 'ledger.locks');
    const holder = spawnTsChild(CHILD, ['hold', lockPath]);
    try {
      await holder.waitFor('holding');
      const error = await withFileLock(lockPath, () => 'never', 200).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LedgerError);
      expect((error as LedgerError).code).toBe('ledger_busy');
      expect((error as Error).message).toContain(`pid ${holder.pid}`);
    } finally {
      await holder.kill();
    }
    expect(await withFileLock(lockPath, () => 'taken over')).toBe('taken over');
  }, 60_000);

  it('Should free the lock when the work throws, and refuse a lock path that is a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopguard-lock-'));
    const lockPath = join(dir, 'l.locks');
    await expect(
      withFileLock(lockPath, () => {
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await withFileLock(lockPath, () => 'free again', 500)).toBe('free again');
    writeFileSync(join(dir, 'plain'), 'x');
    await expect(withFileLock(join(dir, 'plain'), () => 'never')).rejects.toMatchObject({ code: 'ledger_not_a_file' });
  });
});
