import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LedgerError } from './budget-exceeded-error.js';
import { fileLedger } from './file-ledger.js';

const child = fileURLToPath(new URL('./test-support/file-ledger-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

function runChild(args: string[], untilLine: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ['--conditions=@loopguard/source', '--import', 'tsx', child, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    process_.stderr.on('data', (chunk) => (stderr += String(chunk)));
    process_.stdout.on('data', (chunk) => {
      if (String(chunk).includes(untilLine)) {
        resolve({
          pid: process_.pid as number,
          kill: () =>
            new Promise<void>((done) => {
              if (process_.exitCode !== null) return done();
              process_.once('exit', () => done());
              process_.kill('SIGKILL');
            }),
        });
      }
    });
    process_.once('exit', (code) => {
      if (code !== 0) reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
}

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'loopguard-ledger-')), 'spend.jsonl');
const limits = { total: 10 };

describe('fileLedger', () => {
  it('Should share spend with another process and survive a restart', async () => {
    const path = tempFile();
    const ledger = fileLedger(path);
    const now = Date.now();
    expect(await ledger.reserve({ id: 'a', runId: 'r', amount: 2, minimum: 2, now, limits })).toEqual({
      ok: true,
      granted: 2,
    });
    await ledger.settle('a', 1.5, now);
    await runChild(['spend', path, '3', 'other'], 'spent');
    const totals = await ledger.totals(Date.now());
    expect(totals.spent).toBeCloseTo(4.5, 10);
    expect(totals.perRun).toEqual({ r: 1.5, other: 3 });
    const restarted = fileLedger(path);
    expect((await restarted.totals(Date.now())).hourly).toBeCloseTo(4.5, 10);
    expect(await restarted.reserve({ id: 'b', runId: 'r', amount: 6, minimum: 6, now, limits })).toEqual({
      ok: false,
      reason: 'limit',
      available: 5.5,
    });
  });

  it("Should count a killed writer's open reservation as spent, never lose it", async () => {
    const path = tempFile();
    const ledger = fileLedger(path);
    const writer = await runChild(['hang', path, '4'], 'reserved');
    expect((await ledger.totals(Date.now())).reserved).toBe(4);
    await writer.kill();
    const totals = await ledger.totals(Date.now());
    expect(totals.reserved).toBe(0);
    expect(totals.spent).toBe(4);
    expect(totals.outstanding).toBe(0);
  });

  it('Should cut a torn last line left by a crash, and refuse a corrupt line elsewhere', async () => {
    const path = tempFile();
    const ledger = fileLedger(path);
    await ledger.settle('x', 1, Date.now());
    appendFileSync(path, '{"op":"settle","id":"y","cred');
    const repaired = fileLedger(path);
    expect((await repaired.totals(Date.now())).spent).toBe(1);
    await repaired.settle('z', 2, Date.now());
    expect((await fileLedger(path).totals(Date.now())).spent).toBe(3);
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);

    const corrupt = tempFile();
    writeFileSync(
      corrupt,
      '{"op":"header","format":"loopguard-ledger","version":1}\nnot json at all\n{"op":"release","id":"q"}\n',
    );
    const refused = fileLedger(corrupt);
    await expect(refused.totals(Date.now())).rejects.toBeInstanceOf(LedgerError);
    await expect(refused.totals(Date.now())).rejects.toThrow(/line 2/);
    expect(readFileSync(corrupt, 'utf8')).toContain('not json at all');
  });

  it('Should keep rolling windows from the file', async () => {
    const path = tempFile();
    const start = 50_000_000;
    const ledger = fileLedger(path);
    await ledger.settle('old', 5, start);
    await ledger.settle('new', 2, start + 3_000_000);
    const later = fileLedger(path);
    const totals = await later.totals(start + 3_700_000);
    expect(totals.hourly).toBe(2);
    expect(totals.daily).toBe(7);
    const refused = await later.reserve({
      id: 'w',
      runId: 'r',
      amount: 2,
      minimum: 2,
      now: start + 3_700_000,
      limits: { hourly: 3 },
    });
    expect(refused).toEqual({ ok: false, reason: 'window', available: 1 });
  });
});
