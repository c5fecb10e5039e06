import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isRedisServerInstalled } from '@loopguard/budget/redis-server';
import { describe, expect, it } from 'vitest';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
if (!isRedisServerInstalled() && process.env.CI)
  throw new Error('redis-server is not installed, and CI=true: .ci/run installs it.');

describe.skipIf(!isRedisServerInstalled())('example: distributed-workers', () => {
  it('Should run 12 workflow runs through BullMQ on 3 worker processes from one command, offline, and exit 0', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.LOOPGUARD_API_KEY;
    const child = spawn(process.execPath, ['--conditions=@loopguard/source', '--import', 'tsx', 'src/main.ts'], {
      cwd: exampleDir,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('3 workers ready; enqueuing 12 runs');
    expect(stdout).toMatch(/T-12 → bug \(worker \d+\)/);
    expect(stdout).toMatch(/12 of 12 runs done by [1-3] worker process\(es\)/);
  }, 120_000);
});
