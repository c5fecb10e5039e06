import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileLedger, type Ledger, redisLedger } from '@loopguard/budget';
import { isRedisServerInstalled, type RedisServer, startRedisServer } from '@loopguard/budget/redis-server';
import { type MockGateway, startMockGateway } from '@loopguard/mock-gateway';
import { createWorkflowEngine, fileStore, redisStore } from '@loopguard/workflow';
import { afterEach, describe, expect, it } from 'vitest';
import { approvalWorkflow } from './test-support/approval-workflow.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'sk-cli-test-0123456789';

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete childEnv[name];
  return spawn(process.execPath, ['--conditions=@loopguard/source', '--import', 'tsx', 'src/cli-entry.ts', ...args], {
    cwd: packageDir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function loopguard(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const child = start(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gateway(): Promise<MockGateway> {
  const g = await startMockGateway({ keys: [{ key: KEY, credits: 250.5 }] });
  cleanups.push(() => g.close());
  return g;
}

/** Two runs on two models over two days, one settlement only possibly billed, one reservation still open. */
async function fill(ledger: Ledger): Promise<void> {
  const day1 = Date.UTC(2026, 10, 23, 12);
  const now = Date.now();
  const limits = {};
  await ledger.reserve({
    id: 'a',
    runId: 'nightly-1',
    amount: 5,
    minimum: 5,
    limits,
    now: day1,
    model: 'claude-opus-4-6',
  });
  await ledger.settle('a', 4, day1, { model: 'claude-opus-4-6' });
  await ledger.reserve({ id: 'b', runId: 'nightly-2', amount: 3, minimum: 3, limits, now, model: 'claude-sonnet-4-5' });
  await ledger.settle('b', 3, now, { model: 'claude-sonnet-4-5', possiblyBilled: true });
  await ledger.reserve({ id: 'c', runId: 'nightly-2', amount: 2, minimum: 2, limits, now, model: 'claude-opus-4-6' });
}

describe('loopguard (the binary)', () => {
  it('Should print help with exit 0, and exit 2 for an unknown command, a missing argument or a bad value', async () => {
    const help = await loopguard(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['credits', 'spend', 'mock']) expect(help.stdout).toContain(command);
    const unknown = await loopguard(['bogus']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'bogus'");
    const missing = await loopguard(['spend']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'ledger'");
    const badTop = await loopguard(['spend', 'x.jsonl', '--top', '0']);
    expect(badTop.status).toBe(2);
    expect(badTop.stderr).toContain('--top');
  });

  it('Should print the balance of the key from the environment, as text and JSON, never the key', async () => {
    const g = await gateway();
    const text = await loopguard(['credits', '--base-url', g.baseURL], { LOOPGUARD_API_KEY: KEY });
    expect(text).toMatchObject({ status: 0, stdout: '250.5 credits ($1.2525)\n' });
    const json = await loopguard(['credits', '--base-url', g.baseURL, '--json'], { LOOPGUARD_API_KEY: KEY });
    expect(JSON.parse(json.stdout)).toEqual({ credits: 250.5, usd: 1.2525 });
    const noKey = await loopguard(['credits', '--base-url', g.baseURL], { LOOPGUARD_API_KEY: undefined });
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain('LOOPGUARD_API_KEY');
    const wrong = await loopguard(['credits', '--base-url', g.baseURL], { LOOPGUARD_API_KEY: 'sk-not-a-known-key-42' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('invalid_api_key');
    for (const ran of [text, json, noKey, wrong])
      expect(ran.stdout + ran.stderr).not.toContain('sk-not-a-known-key-42');
    for (const ran of [text, json, noKey, wrong]) expect(ran.stdout + ran.stderr).not.toContain(KEY);
  });

  it('Should chart a file ledger by day, run and model, print the same report as JSON, and never create a ledger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopguard-cli-'));
    const path = join(dir, 'spend.jsonl');
    const ledger = fileLedger(path);
    await fill(ledger);
    const expected = await ledger.report(Date.now());
    await ledger.close();
    const chart = await loopguard(['spend', path]);
    expect(chart.status).toBe(0);
    expect(chart.stdout).toContain('spent 7.0000 cr ($0.0350), of which possibly billed 3.0000 cr');
    expect(chart.stdout).toContain('reserved 2.0000 cr ($0.0100) in 1 open reservation(s)');
    expect(chart.stdout).toMatch(/2026-11-23\s+█+\s+4\.0000 cr/);
    expect(chart.stdout).toMatch(/nightly-1\s+█{30}\s+4\.0000 cr/);
    expect(chart.stdout).toMatch(/claude-sonnet-4-5\s+█+\s+3\.0000 cr \(\$0\.0150\)\s+\(3\.0000 possibly billed\)/);
    const json = await loopguard(['spend', path, '--json']);
    const report = JSON.parse(json.stdout);
    expect(report.totals).toMatchObject({ spent: expected.totals.spent, reserved: 2, possiblyBilled: 3 });
    expect(report.rows).toEqual(expected.rows);
    expect(report.byRun.map((g: { key: string }) => g.key)).toEqual(['nightly-1', 'nightly-2']);
    const absent = join(dir, 'absent.jsonl');
    const none = await loopguard(['spend', absent]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('No ledger at');
    expect(existsSync(absent)).toBe(false);
  });

  it.skipIf(!isRedisServerInstalled() && !process.env.CI)(
    'Should chart a Redis ledger by URL and key, and fail (exit 1) on a key that holds no ledger',
    async () => {
      const server: RedisServer = await startRedisServer();
      cleanups.push(() => server.stop());
      const ledger = redisLedger({ url: server.url, key: 'cli-test', create: true });
      await fill(ledger);
      await ledger.close();
      const json = await loopguard(['spend', server.url, '--key', 'cli-test', '--json']);
      expect(json.status).toBe(0);
      expect(JSON.parse(json.stdout).totals).toMatchObject({ spent: 7, reserved: 2, possiblyBilled: 3 });
      const none = await loopguard(['spend', server.url, '--key', 'nothing-here']);
      expect(none.status).toBe(1);
      expect(none.stderr).toContain('ledger_uninitialized');
    },
  );

  it('Should start the mock gateway, print its URL and key, serve them, and stop on SIGTERM with exit 0', async () => {
    const child = start(['mock', '--port', '0', '--key', KEY, '--credits', '42']);
    let stdout = '';
    child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', () => stdout.includes('API key') && resolve());
      void closed.then(() => reject(new Error('the mock exited before printing its key')));
    });
    const [baseURL] = stdout.split('\n');
    expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(stdout).toContain(`API key: ${KEY} (42 credits)`);
    const balance = await fetch(`${baseURL}/credits`, { headers: { 'x-api-key': KEY } });
    expect(await balance.json()).toEqual({ credits: 42 });
    child.kill('SIGTERM');
    expect(await closed).toBe(0);
    const bad = await loopguard(['mock', '--port', '99999']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--port');
  });

  it('Should list and show the runs of a file store, and resume a suspended one with an approval', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'loopguard-cli-runs-')), 'runs');
    const engine = createWorkflowEngine({ store: fileStore(store), workflows: [approvalWorkflow] });
    expect(await engine.start(approvalWorkflow, { item: 'lamp' }, { runId: 'buy-1' })).toMatchObject({
      status: 'suspended',
    });
    const list = await loopguard(['runs', 'list', '--store', store]);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^buy-1 {2}approval-flow {2}suspended \(approval: manager\)/);
    const show = await loopguard(['runs', 'show', 'buy-1', '--store', store]);
    expect(show.stdout).toContain('0. step price');
    expect(show.stdout).toContain('"details":{"priced":"lamp: 12.99"}');
    const badStatus = await loopguard(['runs', 'list', '--store', store, '--status', 'sleeping']);
    expect(badStatus.status).toBe(2);
    const module = join(packageDir, 'src', 'test-support', 'approval-workflow.ts');
    const resumed = await loopguard([
      'runs',
      'resume',
      'buy-1',
      '--store',
      store,
      '--workflows',
      module,
      '--approve',
      'manager=true',
    ]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^buy-1 {2}approval-flow {2}done/);
    expect((await fileStore(store).getRun('buy-1'))?.output).toBe('bought lamp: 12.99');
    const none = await loopguard(['runs', 'show', 'nope', '--store', store]);
    expect(none.status).toBe(1);
  });

  it.skipIf(!isRedisServerInstalled() && !process.env.CI)(
    'Should list the runs of a Redis store by URL and prefix',
    async () => {
      const server = await startRedisServer();
      cleanups.push(() => server.stop());
      const store = redisStore({ url: server.url, prefix: 'cli:' });
      cleanups.push(() => store.close());
      const engine = createWorkflowEngine({ store, workflows: [approvalWorkflow] });
      expect(await engine.start(approvalWorkflow, { item: 'desk' }, { runId: 'buy-r' })).toMatchObject({
        status: 'suspended',
      });
      const list = await loopguard([
        'runs',
        'list',
        '--store',
        server.url,
        '--prefix',
        'cli:',
        '--status',
        'suspended',
      ]);
      expect(list.status, list.stderr).toBe(0);
      expect(list.stdout).toMatch(/^buy-r {2}approval-flow {2}suspended \(approval: manager\)/);
    },
  );
});
