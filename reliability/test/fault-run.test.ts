import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const reliabilityDir = fileURLToPath(new URL('..', import.meta.url));

interface Summary {
  runs: number;
  requests: number;
  faultsInjected: number;
  faults: Record<string, number>;
  retries: number;
  turnRetries: number;
  stops: Record<string, number>;
  errors: Record<string, number>;
  toolExecutions: number;
  duplicates: number;
  orphans: number;
  violations: number;
  unhandledRejections: number;
  capturedChunks: number;
  keyLeaks: number;
}

/** Runs the fault run in its own process; it must print its summary and exit by itself (no leaked sockets or timers). */
function faultRun(runs: number): Promise<Summary> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@loopguard/source', '--import', 'tsx', 'src/fault-run.ts', String(runs)],
      {
        cwd: reliabilityDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let printedAt = 0;
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      if (stdout.includes('\n') && printedAt === 0) printedAt = Date.now();
    });
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const leakTimer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `the fault run did not exit by itself ${printedAt ? 'after printing its summary (a leaked socket or timer)' : ''}: ${stderr}`,
        ),
      );
    }, 90_000);
    child.once('exit', (code) => {
      clearTimeout(leakTimer);
      if (code !== 0) return reject(new Error(`fault run exited ${code}: ${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Summary);
    });
  });
}

describe('reliability: 1,000 agent runs under ~20% injected faults', () => {
  it('Should lose nothing: no tool run twice, no orphan tool_use, no unhandled rejection, no leaked key, and exit by itself', async () => {
    const summary = await faultRun(1000);
    console.log(`reliability summary: ${JSON.stringify(summary)}`);
    expect(summary.runs).toBe(1000);
    const share = summary.faultsInjected / summary.requests;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    for (const kind of ['status_500', 'status_503', 'status_429', 'reset', 'cut', 'stall', 'malformed']) {
      expect(summary.faults[kind], kind).toBeGreaterThan(0);
    }
    const ended =
      Object.values(summary.stops).reduce((a, b) => a + b, 0) +
      Object.values(summary.errors).reduce((a, b) => a + b, 0);
    expect(ended).toBe(1000);
    expect(Object.keys(summary.stops)).toEqual(['end_turn']);
    for (const name of Object.keys(summary.errors)) expect(name).not.toMatch(/^untyped:/);
    expect(summary.retries).toBeGreaterThan(0);
    expect(summary.duplicates).toBe(0);
    expect(summary.orphans).toBe(0);
    expect(summary.violations).toBe(0);
    expect(summary.unhandledRejections).toBe(0);
    expect(summary.capturedChunks).toBeGreaterThan(10_000);
    expect(summary.keyLeaks).toBe(0);
  }, 120_000);
});
