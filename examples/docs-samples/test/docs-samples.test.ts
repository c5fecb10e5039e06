import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const here = fileURLToPath(new URL('..', import.meta.url));
const generated = join(here, '.generated');

/** Names the samples use without defining them, as a reader would have them from the sample before. */
const GLOBALS = `import type { MessagesClient } from '@loopguard/messages';
import type { AnyTool } from '@loopguard/tools';
declare global {
  const client: MessagesClient;
  const weather: AnyTool;
  const deleteFile: AnyTool;
}
export {};
`;

function samples(): Array<{ file: string; index: number; code: string }> {
  const files = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
    ...readdirSync(join(root, 'packages')).map((p) => `packages/${p}/README.md`),
  ];
  const found: Array<{ file: string; index: number; code: string }> = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    let index = 0;
    for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g))
      found.push({ file, index: index++, code: match[1] ?? '' });
  }
  return found;
}

describe('the samples of the docs', () => {
  it('Should type-check every TypeScript sample of README.md, docs/ and each package README', () => {
    const all = samples();
    expect(all.length).toBeGreaterThan(8);
    rmSync(generated, { recursive: true, force: true });
    mkdirSync(generated, { recursive: true });
    writeFileSync(join(generated, 'globals.d.ts'), GLOBALS);
    for (const sample of all) {
      const name = `${sample.file.replace(/[/.]/g, '_')}_${sample.index}.ts`;
      writeFileSync(
        join(generated, name),
        `// from ${sample.file}, sample ${sample.index}\n${sample.code}\nexport {};\n`,
      );
    }
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc', { paths: [root] });
    const result = spawnSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);
});
