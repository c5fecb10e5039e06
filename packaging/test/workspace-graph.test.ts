import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publishOrder, type WorkspacePackage } from '../pack/publish-order.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function packages(): WorkspacePackage[] {
  return readdirSync(join(root, 'packages')).map((directory) => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', directory, 'package.json'), 'utf8'));
    return { directory, manifest };
  });
}

describe('the workspace packages', () => {
  it('Should depend on each other in one direction, devDependencies included (pnpm install warns of a cycle)', () => {
    const order = publishOrder(packages(), { includeDev: true });
    expect(order.map((p) => p.manifest.name)).toContain('@loopguard/messages');
    expect(order[0]?.manifest.name).toBe('@loopguard/messages');
  });

  it('Should find a cycle when there is one (the check above can fail)', () => {
    const cyclic: WorkspacePackage[] = [
      { directory: 'a', manifest: { name: 'a', devDependencies: { b: 'workspace:*' } } },
      { directory: 'b', manifest: { name: 'b', dependencies: { a: 'workspace:*' } } },
    ];
    expect(() => publishOrder(cyclic, { includeDev: true })).toThrow(/cycle: a → b → a|cycle: b → a → b/);
    expect(publishOrder(cyclic, { includeDev: false }).map((p) => p.directory)).toEqual(['a', 'b']);
  });

  it('Should each have the files a user installs: a README, a LICENSE, a default export condition, engines', () => {
    for (const { directory, manifest } of packages()) {
      const files = readdirSync(join(root, 'packages', directory));
      expect(files, directory).toContain('README.md');
      expect(files, directory).toContain('LICENSE');
      expect(manifest.engines?.node, directory).toBe('>=20.19');
      expect(manifest.scripts?.prepack, directory).toBe('tsc -p tsconfig.build.json');
      for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
        const keys = Object.keys(conditions as object);
        expect(keys.at(-1), `${directory} ${subpath}`).toBe('default');
        expect(keys[0], `${directory} ${subpath}`).toBe('@loopguard/source');
      }
    }
  });
});
