/**
 * Packs every package as a user gets it from the registry, installs the tarballs into a fresh npm project
 * outside the workspace, runs an agent with plain `node` (ESM and require()), runs the `loopguard` binary,
 * and type-checks a user's file with `tsc` under node16 and bundler resolution. Builds what it packs itself
 * (`prepack`), so it needs no step before it. Needs the npm registry for the packages' own dependencies.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publishOrder } from './publish-order.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('../fixture', import.meta.url));
/** In the order they build: each one's types come from the dist of those before it. */
const PACKAGES = publishOrder(
  readdirSync(join(root, 'packages')).map((directory) => ({
    directory,
    manifest: JSON.parse(readFileSync(join(root, 'packages', directory, 'package.json'), 'utf8')),
  })),
  { includeDev: false },
).map((workspacePackage) => workspacePackage.directory);

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${output}`);
  return result.stdout;
}

/** pnpm as this test was started with (`pnpm test`), else the version the README names. */
function pnpm(args: string[], cwd: string): string {
  const execPath = process.env.npm_execpath;
  if (execPath?.includes('pnpm')) return run(process.execPath, [execPath, ...args], cwd);
  return run('npx', ['-y', 'pnpm@9.15.9', ...args], cwd);
}

function tsconfig(module: string, moduleResolution: string): object {
  return {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      module,
      moduleResolution,
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
    },
    files: ['app.ts'],
  };
}

describe('the packages as a user installs them', () => {
  it('Should pack with pnpm, install with npm outside the workspace, run with plain node, and type-check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopguard-pack-'));
    const tarballs = join(dir, 'tarballs');
    mkdirSync(tarballs);
    for (const name of PACKAGES) pnpm(['pack', '--pack-destination', tarballs], join(root, 'packages', name));
    const files = readdirSync(tarballs);
    expect(files).toHaveLength(PACKAGES.length);
    const app = join(dir, 'app');
    mkdirSync(app);
    const dependencies: Record<string, string> = { zod: '^4.1.0', ioredis: '^5.6.1' };
    for (const file of files) {
      const name = `@loopguard/${file.replace(/^loopguard-/, '').replace(/-\d+\.\d+\.\d+\.tgz$/, '')}`;
      dependencies[name] = `file:../tarballs/${file}`;
    }
    const overrides = Object.fromEntries(
      Object.keys(dependencies)
        .filter((name) => name.startsWith('@loopguard/'))
        .map((name) => [name, `$${name}`]),
    );
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'user-app',
        private: true,
        type: 'module',
        dependencies,
        overrides,
        devDependencies: { '@types/node': '^20.19.0' },
      }),
    );
    for (const file of ['app.mjs', 'app.cjs', 'app.ts']) copyFileSync(join(fixture, file), join(app, file));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app);

    // No workspace: protocol was left in any packed manifest, and each package has its dist, README and LICENSE.
    for (const name of PACKAGES) {
      const manifest = readFileSync(join(app, 'node_modules', '@loopguard', name, 'package.json'), 'utf8');
      expect(manifest).not.toContain('workspace:');
      const installed = readdirSync(join(app, 'node_modules', '@loopguard', name));
      expect(installed).toEqual(expect.arrayContaining(['dist', 'README.md', 'LICENSE', 'package.json']));
    }

    const agent = JSON.parse(run(process.execPath, ['app.mjs'], app));
    expect(agent).toMatchObject({ text: 'It is 42.', stopReason: 'end_turn' });
    expect(agent.billed).toBeGreaterThan(0);
    expect(agent.spent).toBeGreaterThanOrEqual(agent.billed);
    expect(JSON.parse(run(process.execPath, ['app.cjs'], app))).toEqual({
      MessagesClient: 'function',
      runAgent: 'function',
      createBudget: 'function',
      startMockGateway: 'function',
    });
    expect(run(process.execPath, [join(app, 'node_modules', '.bin', 'loopguard'), '--help'], app)).toContain('spend');

    const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
    for (const [module, resolution] of [
      ['node16', 'node16'],
      ['esnext', 'bundler'],
    ] as const) {
      writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig(module, resolution)));
      run(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
    }
  }, 600_000);
});
