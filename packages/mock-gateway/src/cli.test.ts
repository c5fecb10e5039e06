import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

async function withCli(args: string[], check: (baseURL: string, output: string) => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, ['--conditions=@loopguard/source', '--import', 'tsx', cli, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    const baseURL = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stdout.on('data', (chunk) => {
        out += String(chunk);
        const line = out.split('\n')[0];
        // The URL, then one line per key: wait for the key line too.
        if (/\n.*API key: .*\n/.test(out) && line) resolve(line.trim());
      });
      child.stderr.on('data', (chunk) => (err += String(chunk)));
      child.once('exit', (code) => reject(new Error(`cli exited ${code}: ${err}`)));
    });
    await check(baseURL, out);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

describe('loopguard-mock-gateway CLI', () => {
  it('Should print its base URL and serve the credits it was given', async () => {
    await withCli(['--port', '0', '--credits', '42.5'], async (baseURL) => {
      expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const response = await fetch(`${baseURL}/credits`, { headers: { authorization: 'Bearer sk-local-test' } });
      expect(await response.json()).toEqual({ credits: 42.5 });
    });
  });

  it('Should read keys from a --config file', async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'mock-cli-')), 'config.json');
    writeFileSync(config, JSON.stringify({ keys: [{ key: 'sk-from-config', credits: 7 }] }));
    await withCli(['--port', '0', '--config', config], async (baseURL) => {
      const ok = await fetch(`${baseURL}/credits`, { headers: { authorization: 'Bearer sk-from-config' } });
      expect(await ok.json()).toEqual({ credits: 7 });
      const unknown = await fetch(`${baseURL}/credits`, { headers: { authorization: 'Bearer sk-local-test' } });
      expect(unknown.status).toBe(401);
    });
  });

  it('Should print the key to use, so a new user need not read the source', async () => {
    await withCli(['--port', '0'], async (_baseURL, output) => {
      expect(output).toContain('API key: sk-local-test (1000 credits)');
    });
  });

  it("Should listen on the config's port when no --port is given", async () => {
    const probe = createServer();
    const port = await new Promise<number>((resolve) =>
      probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)),
    );
    await new Promise((resolve) => probe.close(resolve));
    const config = join(mkdtempSync(join(tmpdir(), 'mock-cli-')), 'config.json');
    writeFileSync(config, JSON.stringify({ port }));
    await withCli(['--config', config], async (baseURL) => {
      expect(baseURL).toBe(`http://127.0.0.1:${port}/v1`);
    });
  });
});
