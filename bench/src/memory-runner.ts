/**
 * The process of one contender's memory measurements: `memory-runner.ts <contender> <baseURL> <turns…>`, run
 * with `--expose-gc`. After a warm-up run of 100 turns, for each number of turns it collects garbage, reads
 * the heap (the baseline), runs that many tool turns against the loop gateway and, inside the last tool call,
 * collects garbage and reads the heap again: what the run holds at that point, over the baseline. Prints
 * `{"<turns>": {"heapBytes": …, "jsonBytes": …, "messages": …}, …}` (`jsonBytes`: the run's transcript).
 * `transcript` builds a transcript of as many turns by hand instead (`build-transcript.ts`) and reads the heap
 * it holds. Contenders: `official-runner`, `runagent-streaming`, `runagent` (stream: false), `transcript`.
 * @module
 */
import v8 from 'node:v8';
import { buildTranscript } from './build-transcript.js';

/** The contenders, by the key the scenario passes. */
export type MemoryContender = 'official-runner' | 'runagent-streaming' | 'runagent' | 'transcript';

const KEY = 'sk-local-test';
const WARMUP_TURNS = 100;
const schema = { type: 'object', properties: { value: { type: 'number' } }, required: ['value'] } as const;

/**
 * Heap in use after a full GC (twice: the first may leave weakly held objects for the second), code spaces
 * left out: compiled code is not what the run holds (the scenario also turns the optimising compiler off, whose
 * metadata lives in old space).
 */
function heldHeap(): number {
  globalThis.gc?.();
  globalThis.gc?.();
  let bytes = 0;
  for (const space of v8.getHeapSpaceStatistics())
    if (!space.space_name.startsWith('code_')) bytes += space.space_used_size;
  return bytes;
}

/** A function of its own, so that no frame of the caller still holds the JSON text when it collects. */
function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/** Runs `turns` turns with `run`; `onCall` is called inside every tool call. Returns the transcript. */
type Runner = (turns: number, onCall: () => void) => Promise<unknown>;

async function loopguard(baseURL: string, stream: boolean): Promise<Runner> {
  const { MessagesClient } = await import('@loopguard/messages');
  const { defineTool, runAgent } = await import('@loopguard/tools');
  const { z } = await import('zod');
  const client = new MessagesClient({ apiKey: KEY, baseURL, maxRetries: 0 });
  return async (turns, onCall) => {
    const record = defineTool({
      name: 'record',
      description: 'records a value',
      input: z.object({ value: z.number() }),
      execute: () => {
        onCall();
        return 'ok';
      },
    });
    const result = await runAgent({
      client,
      prompt: `turns: ${turns}`,
      tools: [record],
      maxTurns: turns + 1,
      maxTokens: 1024,
      stream,
    }).result();
    if (result.steps.length !== turns + 1) throw new Error(`runAgent kept ${result.steps.length} steps`);
    return result.messages;
  };
}

async function officialRunner(baseURL: string): Promise<Runner> {
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const { betaTool } = await import('@anthropic-ai/sdk/helpers/beta/json-schema');
  const client = new Anthropic({ apiKey: KEY, baseURL, maxRetries: 0 });
  return async (turns, onCall) => {
    const runner = client.beta.messages.toolRunner({
      model: 'claude-opus-4-6',
      max_tokens: 1024,
      max_iterations: turns + 1,
      thread: false,
      messages: [{ role: 'user', content: `turns: ${turns}` }],
      tools: [
        betaTool({
          name: 'record',
          description: 'records a value',
          inputSchema: schema,
          run: () => {
            onCall();
            return 'ok';
          },
        }),
      ],
    });
    await runner;
    return runner.params.messages;
  };
}

/** What one measurement found (printed as JSON). */
export interface MemoryFigures {
  /** Heap held at the last tool call (after GC), over the heap before the run. */
  heapBytes: number;
  /** The JSON size of the run's transcript. */
  jsonBytes: number;
  /** Messages in the transcript. */
  messages: number;
}

async function runner(contender: string, baseURL: string): Promise<Runner> {
  if (contender === 'official-runner') return officialRunner(baseURL);
  if (contender === 'runagent-streaming' || contender === 'runagent')
    return loopguard(baseURL, contender === 'runagent-streaming');
  throw new Error(`memory-runner: no contender "${contender}"`);
}

async function measure(run: Runner, turns: number): Promise<MemoryFigures> {
  let calls = 0;
  let heapBytes = Number.NaN;
  const before = heldHeap();
  const transcript = await run(turns, () => {
    calls += 1;
    if (calls === turns) heapBytes = heldHeap() - before;
  });
  if (calls !== turns) throw new Error(`memory-runner: ${calls} tool calls, not ${turns}`);
  return { heapBytes, jsonBytes: jsonBytes(transcript), messages: (transcript as unknown[]).length };
}

function measureTranscript(turns: number): MemoryFigures {
  const before = heldHeap();
  const transcript = buildTranscript(2 * turns);
  const json = jsonBytes(transcript); // as every request serialises it: V8 then holds each string flat
  return { heapBytes: heldHeap() - before, jsonBytes: json, messages: transcript.length };
}

const [contender = '', baseURL = '', ...turnsList] = process.argv.slice(2);
if (!globalThis.gc) throw new Error('memory-runner: run node with --expose-gc');
const run = contender === 'transcript' ? undefined : await runner(contender, baseURL);
// Warm-up: modules loaded, feedback gathered, hot code compiled (feedback and bytecode live on the heap too).
if (run) await run(WARMUP_TURNS, () => {});
else buildTranscript(2 * WARMUP_TURNS);
const figures: Record<string, MemoryFigures> = {};
for (const turns of turnsList.map(Number)) figures[turns] = run ? await measure(run, turns) : measureTranscript(turns);
process.stdout.write(`${JSON.stringify(figures)}\n`);
