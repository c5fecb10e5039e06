/**
 * A child process of `keep-shape.test.ts` (run with `--allow-natives-syntax --expose-gc`): for each class a
 * stream makes anew, and for a control class that nothing keeps, optimizes one of its methods, lets every
 * instance made die, runs full garbage collections, and prints whether the method is still optimized.
 * @module
 */
import { AttemptClock } from '../client/attempt-clock.js';
import { BlockParts } from '../stream/block-parts.js';
import { KeptText } from '../stream/kept-text.js';
import { PendingEvent } from '../stream/pending-event.js';
import { StringPieces } from '../stream/string-pieces.js';

// V8's own functions, reachable with `--allow-natives-syntax` (written in strings: not TypeScript syntax).
const status = new Function('f', 'return %GetOptimizationStatus(f)') as (f: unknown) => number;
const prepare = new Function('f', '%PrepareFunctionForOptimization(f)') as (f: unknown) => void;
const optimizeOnNextCall = new Function('f', '%OptimizeFunctionOnNextCall(f)') as (f: unknown) => void;
/** `%GetOptimizationStatus`'s bit for "runs optimized code". */
const OPTIMIZED = 16;

/** A class like `PendingEvent` (fields, then a method reading them), of which no instance is kept. */
class Control {
  bytes: Uint8Array = new Uint8Array(0);
  length = 0;
  endIn(chunk: Uint8Array, start: number): number {
    for (let i = start; i < chunk.length; i += 1) if (chunk[i] === 10 && this.length === 0) return i + 1;
    return -1;
  }
}

const chunk = new TextEncoder().encode('data: {}\n\n');

/** A class, how to make an instance, and a call of the method checked. */
interface Case<T> {
  make: () => T;
  method: (instance: T) => unknown;
  call: (instance: T) => void;
}

/** Whether the method is optimized before, and after full GCs once every instance made died. */
function optimizedAfterGc<T>({ make, method, call }: Case<T>): [boolean, boolean] {
  let instance: T | undefined = make();
  const fn = method(instance);
  prepare(fn);
  call(instance);
  call(instance);
  optimizeOnNextCall(fn);
  call(instance);
  const before = (status(fn) & OPTIMIZED) !== 0;
  instance = undefined;
  // V8 keeps a map optimized code uses for two full collections after its last object died (Node 20.20's
  // V8, `--retain-maps-for-n-gc` 2): four are past that, whether or not V8 counts these as memory-reducing.
  for (let i = 0; i < 4; i += 1) globalThis.gc?.();
  return [before, (status(fn) & OPTIMIZED) !== 0];
}

const clockLimits = { timeoutMs: 60_000, headersTimeoutMs: 60_000, idleTimeoutMs: 60_000 };
/** Erases a case's instance type, so that cases of every class fit one table. */
const of = <T>(testCase: Case<T>): Case<unknown> => testCase as Case<unknown>;

const cases: Record<string, Case<unknown>> = {
  Control: of({ make: () => new Control(), method: (c: Control) => c.endIn, call: (c: Control) => c.endIn(chunk, 0) }),
  PendingEvent: of({
    make: () => new PendingEvent(),
    method: (p: PendingEvent) => p.endIn,
    call: (p: PendingEvent) => p.endIn(chunk, 0),
  }),
  KeptText: of({
    make: () => new KeptText(),
    method: (k: KeptText) => k.pushUtf8,
    call: (k: KeptText) => k.pushUtf8(chunk, 0, 4),
  }),
  StringPieces: of({
    make: () => new StringPieces(),
    method: (s: StringPieces) => s.push,
    call: (s: StringPieces) => s.push('delta'),
  }),
  BlockParts: of({
    make: () => new BlockParts(),
    method: (b: BlockParts) => b.fresh,
    call: (b: BlockParts) => b.fresh(),
  }),
  AttemptClock: of({
    make: () => {
      const clock = new AttemptClock(new AbortController(), clockLimits);
      clock.headersReceived();
      return clock;
    },
    method: (a: AttemptClock) => a.touch,
    call: (a: AttemptClock) => {
      a.touch();
      a.stop();
    },
  }),
};

const results: Record<string, [boolean, boolean]> = {};
for (const [name, testCase] of Object.entries(cases)) results[name] = optimizedAfterGc(testCase);
process.stdout.write(`${JSON.stringify(results)}\n`);
