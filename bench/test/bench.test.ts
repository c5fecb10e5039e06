import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const benchDir = fileURLToPath(new URL('..', import.meta.url));

describe('pnpm bench --quick', () => {
  it('Should run every scenario with every contender and write results/quick.json, leaving latest.json (the full run) as it was; no timing asserted', () => {
    const out = join(benchDir, 'results', 'quick.json');
    const latest = join(benchDir, 'results', 'latest.json');
    rmSync(out, { force: true });
    const latestBefore = existsSync(latest) ? readFileSync(latest, 'utf8') : undefined;
    const result = spawnSync(
      process.execPath,
      ['--expose-gc', '--conditions=@loopguard/source', '--import', 'tsx', 'src/main.ts', '--quick'],
      {
        cwd: benchDir,
        encoding: 'utf8',
        timeout: 240_000,
      },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(latest) ? readFileSync(latest, 'utf8') : undefined).toBe(latestBefore);
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      node: string;
      quick: boolean;
      loopguard: string;
      machine: { cpus: number };
      rows: Array<{ scenario: string; contender: string; median: number; note?: string; runs?: number[] }>;
    };
    expect(report.quick).toBe(true);
    // Started on the sources (no build in the test suite): the report says so, and so does its header.
    expect(report.loopguard).toBe('source');
    // The loop rows keep every run, and each but the floor reads itself against the floor round by round.
    const loopRows = report.rows.filter((row) => row.scenario.startsWith('3. Loop overhead'));
    for (const row of loopRows) expect(row.runs).toHaveLength(3);
    expect(loopRows.filter((row) => row.note?.includes('round by round:'))).toHaveLength(loopRows.length - 2);
    expect(result.stdout).toContain('loopguard measured from its TypeScript sources through tsx');
    expect(report.node).toBe(process.version);
    const scenarios = new Set(report.rows.map((row) => row.scenario.split(',')[0]?.split(':')[0]));
    for (const prefix of [
      '1. SSE decoding',
      '2. Large tool input',
      '3. Loop overhead',
      '4. Memory of a long run',
      '5. Ledger',
    ]) {
      expect(
        [...scenarios].some((s) => s?.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
    const contenders = new Set(report.rows.map((row) => row.contender));
    for (const name of [
      'eventsource-parser + JSON.parse (reference)',
      'official SDK messages.stream',
      'AI SDK streamText',
      'official SDK tool runner (thread: false)',
      'official SDK tool runner (threads, its default)',
      'AI SDK generateText with tools',
      'loopguard runAgent (stream: false)',
      'bare fetch loop, streamed (floor of streaming)',
      'official SDK tool runner (thread: false, reference)',
      'loopguard runAgent (streaming, its default; keeps steps)',
    ]) {
      expect(contenders.has(name), name).toBe(true);
    }
    // Memory: every contender's heap at the last tool call was read, at each size.
    const memoryRows = report.rows.filter((row) => / tool turns: heap held at the last tool call/.test(row.scenario));
    expect(new Set(memoryRows.map((row) => row.scenario)).size).toBe(3);
    for (const row of memoryRows) expect(Number.isFinite(row.median), row.contender).toBe(true);
    const capRows = report.rows.filter((row) => row.scenario.startsWith('5. Ledger: reserve + settle until the cap'));
    for (const row of capRows.filter((r) => Number.isFinite(r.median))) expect(row.contender).toMatch(/overshoot 0$/);
    const overheadRows = report.rows.filter((row) => row.scenario.startsWith('5. Ledger: per-request overhead'));
    expect(new Set(overheadRows.map((row) => row.contender))).toContain('no budget (reference)');
    expect(result.stdout).toContain('### 3. Loop overhead');
    // The streaming runAgent row also gives its cost over the streamed floor.
    const streamingRow = report.rows.find((row) => row.contender === 'loopguard runAgent (streaming)');
    expect((streamingRow as { note?: string } | undefined)?.note).toMatch(
      /^\d+\.\d\d× bare fetch loop, streamed; round by round: \d+\.\d\d× the floor, \d+\.\d\d× bare fetch loop, streamed$/,
    );
    const journalRows = report.rows.filter((row) => row.scenario.startsWith('6. Workflow: journal cost per step'));
    expect(journalRows.map((row) => row.contender.split(',')[0])).toEqual(
      expect.arrayContaining(['bare await (reference)', 'memoryStore', 'fileStore (fsync per entry)']),
    );
  }, 300_000);
});
