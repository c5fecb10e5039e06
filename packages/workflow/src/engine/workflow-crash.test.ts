import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStore } from '../stores/file-store.js';
import { crashableWorkflow } from '../test-support/crash-worker.js';
import { createWorkflowEngine } from './workflow-engine.js';
import type { WorkflowHandle } from './workflow-handle.js';

const worker = fileURLToPath(new URL('../test-support/crash-worker.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function crashThenRecover(crashAt: 'step' | 'tool' | 'turn', noRerun = false) {
  gateway = await startMockGateway({
    model: scriptedModel([
      ...[1, 2, 3, 4].map((n) => ({ toolCalls: [{ name: 'mark', input: { n } }] })),
      { text: 'Marked all four.' },
    ]),
    // 'turn': the third request (the agent's turn 3) hangs before its headers, and the process is killed then.
    ...(crashAt === 'turn'
      ? { faults: [{ nth: 3, fault: { type: 'stall' as const, ms: 600_000, beforeHeaders: true } }] }
      : {}),
  });
  const dir = mkdtempSync(join(tmpdir(), 'loopguard-crash-'));
  const storeDir = join(dir, 'store');
  const counts = join(dir, 'counts.txt');
  const args = ['--conditions=@loopguard/source', '--import', 'tsx', worker, storeDir, gateway.baseURL, counts];
  if (noRerun) args.push('noRerun');
  // Not spawnSync: the mock gateway the child talks to runs in this process's event loop.
  const child = spawn(process.execPath, args, {
    cwd: packageDir,
    env: { ...process.env, CRASH_AT: crashAt },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  if (crashAt === 'turn') {
    const g = gateway;
    await expect.poll(() => g.requests.length, { timeout: 30_000, interval: 20 }).toBe(3);
    child.kill('SIGKILL');
  }
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, sig) => resolve(sig)),
  );
  expect(signal, stderr).toBe('SIGKILL');
  const requestsBeforeCrash = gateway.requests.length;
  // The dead owner's lease would run for minutes (a short one could run out under a loaded machine while
  // the owner still lived). The OS says the owner is dead, so its lease is released as a supervisor would:
  // recover() then finds the run orphaned.
  const store = fileStore(storeDir);
  const deadLease = await store.lease('crash-1');
  expect(deadLease?.expiresAt).toBeGreaterThan(Date.now());
  await store.release(deadLease as NonNullable<typeof deadLease>);
  const workflow = crashableWorkflow({ baseURL: gateway.baseURL, countsFile: counts, noRerun });
  const engine = createWorkflowEngine({ store, workflows: [workflow] });
  let handles: WorkflowHandle[] = [];
  await expect
    .poll(
      async () => {
        handles = await engine.recover();
        return handles.length;
      },
      { timeout: 15_000, interval: 100 },
    )
    .toBe(1);
  const lines = () => (existsSync(counts) ? readFileSync(counts, 'utf8').trim().split('\n') : []);
  return { engine, recovered: await (handles[0] as WorkflowHandle), requestsBeforeCrash, lines, gateway };
}

describe('a workflow process SIGKILLed, then recovered by another', () => {
  it('Should replay the steps that finished and run again only the step that was in flight', async () => {
    const { recovered, lines, gateway: g } = await crashThenRecover('step');
    expect(recovered).toMatchObject({ status: 'done', output: 'Marked all four.' });
    const seen = lines().map((line) => line.split(':').slice(0, 2).join(':'));
    expect(seen.filter((line) => line === 'step:one')).toHaveLength(1);
    expect(seen.filter((line) => line === 'step:two')).toHaveLength(2);
    expect(seen.filter((line) => line === 'step:three')).toHaveLength(1);
    expect(g.requests).toHaveLength(5);
  }, 60_000);

  it('Should resume an agent at the turn it was in: no turn requested twice, only the tool call in flight runs again, with its tool_use id', async () => {
    const { recovered, lines, requestsBeforeCrash, gateway: g } = await crashThenRecover('tool');
    expect(recovered).toMatchObject({ status: 'done', output: 'Marked all four.' });
    expect(requestsBeforeCrash).toBe(3);
    expect(g.requests).toHaveLength(5);
    const tools = lines().filter((line) => line.startsWith('tool:'));
    expect(tools.map((line) => line.split(':')[1])).toEqual(['1', '2', '3', '3', '4']);
    const [firstThree, againThree] = tools.filter((line) => line.startsWith('tool:3:'));
    expect(againThree).toBe(firstThree);
  }, 60_000);

  it('Should stop for a human instead of re-running a noRerun tool that was in flight, and go on with the decision', async () => {
    const { engine, recovered, lines, gateway: g } = await crashThenRecover('tool', true);
    expect(recovered).toMatchObject({
      status: 'suspended',
      suspension: { kind: 'approval', name: 'agent', details: { reason: 'may_have_run' } },
    });
    const call = (recovered.suspension as { details: { calls: Array<{ toolUseId: string }> } }).details.calls[0];
    expect(lines().filter((line) => line.startsWith('tool:3:'))).toHaveLength(1);
    const done = await engine.resume('crash-1', { approvals: { [call?.toolUseId as string]: false } });
    expect(done).toMatchObject({ status: 'done' });
    expect(lines().filter((line) => line.startsWith('tool:3:'))).toHaveLength(1);
    expect(g.requests).toHaveLength(5);
    const fourth = g.requests[3]?.body as { messages: Array<{ content: unknown }> };
    expect(JSON.stringify(fourth.messages.at(-1))).toContain('is_error');
  }, 60_000);

  it('Should resume an agent killed while a turn’s request was in flight: that turn is sent again, none before it', async () => {
    const { recovered, lines, requestsBeforeCrash, gateway: g } = await crashThenRecover('turn');
    expect(recovered).toMatchObject({ status: 'done', output: 'Marked all four.' });
    expect(requestsBeforeCrash).toBe(3);
    const sizes = g.requests.map((request) => (request.body as { messages: unknown[] }).messages.length);
    // Turns carry 1, 3, 5, 7 messages: only turn 3 (in flight at the kill) went twice; turns 1 and 2 did not.
    expect(sizes).toEqual([1, 3, 5, 5, 7]);
    // The stalled reply (mark 3) was made by the gateway but never delivered, so its tool never ran.
    const tools = lines().filter((line) => line.startsWith('tool:'));
    expect(tools.map((line) => line.split(':')[1])).toEqual(['1', '2', '4']);
  }, 60_000);
});
