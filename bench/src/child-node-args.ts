/**
 * How the bench starts its processes, and which loopguard they load. `pnpm bench` builds the packages first
 * and measures them as published: every process imports the built `dist/` (tsc's output), as a user's code
 * does. Started with `--conditions=@loopguard/source` (as the test suite's `--quick` run is, with no build),
 * the bench and every child it starts load the TypeScript sources through tsx instead; tsx's transform names
 * every closure it makes at run time (an `Object.defineProperty` of `name` per closure), work no user pays,
 * so figures from such a run are not comparable with the peers'.
 * @module
 */

const SOURCE_CONDITION = '--conditions=@loopguard/source';

/** Which loopguard this process (and every child it starts) loads: `'dist'` (as published) or `'source'`. */
export const measuredBuild: 'dist' | 'source' = process.execArgv.includes(SOURCE_CONDITION) ? 'source' : 'dist';

/**
 * Node's arguments for a bench child running `script`: GC exposed, the bench's own TypeScript imported through
 * tsx, and loopguard loaded as this process loads it (`measuredBuild`).
 */
export function childNodeArgs(script: string, args: string[]): string[] {
  const condition = measuredBuild === 'source' ? [SOURCE_CONDITION] : [];
  return ['--expose-gc', ...condition, '--import', 'tsx', script, ...args];
}
