/**
 * Scenario 3: N tool-calling turns against the mock gateway on loopback (in its own process), no delay:
 * ms and CPU ms per turn for a bare `fetch` loop doing the same HTTP (the floor), `runAgent`, the official
 * SDK's tool runner and the AI SDK's `generateText` with tools. Each contender runs in a process of its own,
 * the rounds interleaved. Reference: the floor; lower is better. The streaming `runAgent` row also gives its
 * cost over a bare loop reading the same turns streamed (its note), as an SSE answer is more wire work.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childNodeArgs } from './child-node-args.js';
import { startContenderProcesses } from './contender-process.js';
import { interleavedRounds } from './interleaved-rounds.js';
import { contenders, type LoopOverheadParams, references } from './loop-overhead-contenders.js';
import { leftoverNote, pairedRatio, type Sample, summarise } from './measure.js';
import { noteOf, type ReportRow } from './report-table.js';

/** Starts the loop gateway in its own process (`args`: its flags, e.g. `--no-log`); resolves with its base URL. */
export async function startLoopGateway(args: string[] = []): Promise<{ baseURL: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./loop-gateway.ts', import.meta.url));
  const child = spawn(process.execPath, childNodeArgs(script, args), {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseURL = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk) => resolve(String(chunk).trim()));
    child.once('exit', (code) => reject(new Error(`loop gateway exited ${code}`)));
  });
  return { baseURL, child };
}

/**
 * A row's note: its cost over the floor round by round (the median of its runs ÷ the floor's run of the same
 * round), and for a contender with a floor of its own (`references`), its cost over that floor too.
 */
function overFloors(name: string, sample: Sample, floor: Sample, perTurnOf: (name: string) => Sample): string {
  const byRound = `round by round: ${pairedRatio(sample.samples, floor.samples).toFixed(2)}× the floor`;
  const reference = references[name];
  if (reference === undefined) return byRound;
  const own = perTurnOf(reference);
  const label = reference.split(' (')[0];
  const ratio = (sample.median / own.median).toFixed(2);
  return `${ratio}× ${label}; ${byRound}, ${pairedRatio(sample.samples, own.samples).toFixed(2)}× ${label}`;
}

/** Runs the scenario: `turns` tool turns, `runs` times per contender (interleaved, a process each). */
export async function loopOverheadScenario(turns: number, runs: number): Promise<ReportRow[]> {
  const names = Object.keys(contenders);
  const [{ baseURL, child }, processes] = await Promise.all([
    startLoopGateway(),
    startContenderProcesses('loop-overhead', names),
  ]);
  try {
    const params: LoopOverheadParams = { baseURL, turns };
    const rounds = await interleavedRounds(processes, params, { runs });
    const perTurn = (name: string, figure: 'ms' | 'cpuMs') =>
      summarise((rounds.get(name)?.figures ?? []).map((f) => f[figure] / (turns + 1)));
    const rows: ReportRow[] = [];
    for (const [figure, what, unit] of [
      ['ms', 'wall time per turn', 'ms/turn'],
      ['cpuMs', 'client CPU per turn', 'CPU ms/turn'],
    ] as const) {
      const floor = perTurn(names[0] as string, figure);
      for (const name of names) {
        const sample = perTurn(name, figure);
        const leftover = leftoverNote(rounds.get(name)?.figures ?? []);
        const floors = name === names[0] ? '' : overFloors(name, sample, floor, (other) => perTurn(other, figure));
        const text = noteOf(floors, leftover);
        const note = text ? { note: text } : {};
        rows.push({
          ...note,
          scenario: `3. Loop overhead, ${turns} tool turns: ${what}`,
          contender: name,
          median: sample.median,
          min: sample.min,
          max: sample.max,
          unit,
          ratio: floor.median / sample.median,
          runs: sample.samples,
        });
      }
    }
    return rows;
  } finally {
    for (const contender of processes) contender.close();
    child.kill('SIGTERM');
  }
}
