/**
 * Each contender in a process of its own: `startContenderProcesses` starts one child per contender
 * (`contender-runner.ts`), which loads only that contender's library and runs nothing else; the parent asks
 * each in turn for one measured run, so contenders interleave round by round and never share a heap, a JIT
 * or a garbage collector.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { childNodeArgs } from './child-node-args.js';
import type { RunFigures } from './measure.js';

/** The scenarios whose contenders run in processes of their own (a module of contenders each). */
export type ContenderScenario = 'sse-decoding' | 'large-tool-input' | 'loop-overhead';

/** What a contender module exports: for each contender, in report order, a setup that returns one run's work. */
export type ContenderTable<Params> = Record<string, (params: Params) => Promise<() => unknown> | (() => unknown)>;

/** A run stopped at the time limit the bench set; `afterMs` is how long it had been running. */
export interface StoppedRun {
  stoppedAfterMs: number;
}

/** One contender's process. */
export interface ContenderProcess {
  readonly name: string;
  /** Whether a run was stopped at its time limit (the process is then gone). */
  readonly stopped: boolean;
  /** Sets the contender up for `params` (libraries loaded, fixtures read), untimed and without a limit. */
  prepare(params: unknown): Promise<void>;
  /**
   * Runs the contender once with `params` (set up first if `prepare` was not called with them) and resolves
   * with what the run cost; past `limitMs` the process is killed and this resolves a `StoppedRun`.
   */
  run(params: unknown, limitMs?: number): Promise<RunFigures | StoppedRun>;
  /** Ends the process. */
  close(): void;
}

const runner = fileURLToPath(new URL('./contender-runner.ts', import.meta.url));

async function startContenderProcess(scenario: ContenderScenario, name: string): Promise<ContenderProcess> {
  const child: ChildProcess = spawn(process.execPath, childNodeArgs(runner, [scenario, name]), {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> });
  /** Lines the child wrote that nobody asked for yet (a run writes two: `ran`, then its figures). */
  const unread: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  let failed: ((error: Error) => void) | undefined;
  let dead = false;
  lines.on('line', (line) => {
    const resolve = waiting;
    waiting = undefined;
    if (resolve) resolve(line);
    else unread.push(line);
  });
  child.once('exit', (code, signal) => {
    dead = true;
    failed?.(new Error(`bench: the process of "${name}" exited (${code ?? signal})`));
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const line = unread.shift();
      if (line !== undefined) return resolve(line);
      waiting = resolve;
      failed = reject;
    });
  if ((await next()) !== 'ready') throw new Error(`bench: the process of "${name}" did not start`);
  let stoppedAfterMs: number | undefined;
  const ask = (request: { prepare: unknown } | { run: unknown }) => {
    if (dead) throw new Error(`bench: the process of "${name}" is gone`);
    const answer = next();
    child.stdin?.write(`${JSON.stringify(request)}\n`);
    return answer;
  };
  const reply = (line: string) => {
    const parsed = JSON.parse(line) as { figures?: RunFigures; prepared?: true; ran?: true; error?: string };
    if (parsed.error !== undefined) throw new Error(`bench: "${name}" failed: ${parsed.error}`);
    return parsed;
  };
  return {
    name,
    get stopped() {
      return stoppedAfterMs !== undefined;
    },
    async prepare(params) {
      reply(await ask({ prepare: params }));
    },
    async run(params, limitMs) {
      const sent = performance.now();
      const answer = ask({ run: params });
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<StoppedRun>((resolve) => {
        if (limitMs === undefined) return;
        timer = setTimeout(() => {
          stoppedAfterMs = performance.now() - sent;
          failed = undefined;
          child.kill('SIGKILL');
          resolve({ stoppedAfterMs });
        }, limitMs);
      });
      try {
        // The limit covers the run, not the wait for its leftover work after (`waitForIdle`, before the figures).
        const ran = await Promise.race([answer, limit]);
        if (typeof ran !== 'string') return ran;
        clearTimeout(timer);
        const first = reply(ran);
        const { figures } = first.ran ? reply(await next()) : first;
        if (!figures) throw new Error(`bench: "${name}" answered no figures`);
        return figures;
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      failed = undefined;
      if (!dead) child.kill('SIGTERM');
    },
  };
}

/** Starts one process per contender (all at once; they idle until asked). */
export async function startContenderProcesses(
  scenario: ContenderScenario,
  names: readonly string[],
): Promise<ContenderProcess[]> {
  const started = await Promise.allSettled(names.map((name) => startContenderProcess(scenario, name)));
  const processes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    for (const contender of processes) contender.close();
    throw failure.reason;
  }
  return processes;
}
