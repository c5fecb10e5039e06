/**
 * The fault run: `RUNS` agent runs (tools, several turns, half streaming) against a mock gateway that
 * injects ~20% faults with a fixed seed. Prints one JSON summary line and then must exit by itself: a
 * leaked socket or timer would keep it alive, and the test waiting for it would fail.
 *
 * Usage: node --conditions=@loopguard/source --import tsx src/fault-run.ts [runs] [seed]
 * @module
 */
import { isLoopguardError, MessagesClient } from '@loopguard/messages';
import { startMockGateway } from '@loopguard/mock-gateway';
import { type AgentResult, defineTool, partialResultOf, runAgent } from '@loopguard/tools';
import { z } from 'zod';
import { echoingFaultRules, faultKind } from './fault-plan.js';
import { SecretCapture } from './secret-capture.js';
import { countOrphans } from './transcript-orphans.js';
import { workloadModel, workloadPrompt } from './workload-model.js';

/** The key the suite uses; it must never appear in anything captured. */
export const SECRET_KEY = 'sk-reliability-0123456789abcdef-secret';

const runs = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 20261124);
const CONCURRENCY = 50;

let unhandled = 0;
process.on('unhandledRejection', () => {
  unhandled += 1;
});

const capture = new SecretCapture();
const gateway = await startMockGateway({
  keys: [{ key: SECRET_KEY, credits: 1_000_000 }],
  model: workloadModel(),
  // The 500 and 503 answers echo the key in their error code and message: a real test of redaction.
  faults: { seed, rules: echoingFaultRules(SECRET_KEY) },
  // The summary counts every request and fault.
  maxRecordedRequests: Number.POSITIVE_INFINITY,
  maxRecordedBodyBytes: Number.POSITIVE_INFINITY,
});
const client = new MessagesClient({
  apiKey: SECRET_KEY,
  baseURL: gateway.baseURL,
  maxRetries: 4,
  retryBaseDelayMs: 1,
  idleTimeoutMs: 100,
  timeoutMs: 10_000,
  logger: capture.logger,
  logContent: true,
});

const executions = new Map<string, number>();
let violations = 0;
const makeTool = (run: number) =>
  defineTool({
    name: 'record',
    description: 'Records a value under a key',
    input: z.object({ key: z.string(), value: z.number() }),
    execute: (input, { toolUseId }) => {
      const id = `${run}:${toolUseId}`;
      executions.set(id, (executions.get(id) ?? 0) + 1);
      // The input must be exactly what the schema allows: validated, extras stripped.
      const keys = Object.keys(input).sort().join(',');
      if (keys !== 'key,value' || typeof input.key !== 'string' || typeof input.value !== 'number') violations += 1;
      return `recorded ${input.key}`;
    },
  });

const stops: Record<string, number> = {};
const errors: Record<string, number> = {};
const errorCodes: Record<string, number> = {};
/** Runs that ended in a retryable error: every retry of the client and of the loop was spent on it. */
let exhaustedRetries = 0;
let orphans = 0;
let toolResults = 0;

async function one(index: number): Promise<void> {
  const run = runAgent({
    client,
    prompt: workloadPrompt(index),
    tools: [makeTool(index)],
    stream: index % 2 === 0,
    maxTurns: 10,
  });
  let result: AgentResult | undefined;
  try {
    for await (const event of run) capture.add(event);
    result = await run;
    stops[result.stopReason] = (stops[result.stopReason] ?? 0) + 1;
  } catch (error) {
    capture.add(error);
    const name = isLoopguardError(error) ? error.name : `untyped:${(error as Error).name}`;
    errors[name] = (errors[name] ?? 0) + 1;
    const code = isLoopguardError(error) ? error.code : 'untyped';
    errorCodes[code] = (errorCodes[code] ?? 0) + 1;
    if (isLoopguardError(error) && error.retryable) exhaustedRetries += 1;
    result = partialResultOf(error);
  }
  if (result) {
    orphans += countOrphans(result.messages);
    toolResults += result.steps.reduce((sum, step) => sum + step.toolResults.length, 0);
  }
}

let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < runs) await one(next++);
  }),
);
await gateway.close();

const faults: Record<string, number> = {};
// A 2xx body that is not a message (malformed, or a JSON body cut in half) on a non-streamed request: the
// client must not retry it (it may have been billed), so each may end one run in an InvalidResponseError.
let unretryableFaults = 0;
for (const request of gateway.requests) {
  if (!request.fault) continue;
  faults[faultKind(request.fault)] = (faults[faultKind(request.fault)] ?? 0) + 1;
  const streamed = (request.body as { stream?: boolean } | undefined)?.stream !== false;
  if (!streamed && (request.fault.type === 'malformed' || request.fault.type === 'cut')) unretryableFaults += 1;
}
const summary = {
  runs,
  seed,
  requests: gateway.requests.length,
  faultsInjected: Object.values(faults).reduce((a, b) => a + b, 0),
  faults,
  retries: capture.count('"msg":"retrying request"'),
  turnRetries: capture.count('"msg":"retrying turn"'),
  stops,
  errors,
  errorCodes,
  unretryableFaults,
  exhaustedRetries,
  toolExecutions: [...executions.values()].reduce((a, b) => a + b, 0),
  toolResults,
  duplicates: [...executions.values()].filter((count) => count > 1).length,
  orphans,
  violations,
  unhandledRejections: unhandled,
  capturedChunks: capture.size,
  // Chunks where the echoed key was seen redacted: proof the capture would have seen it.
  redactedEchoes: capture.count('error_for_[redacted]'),
  // What the mock recorded must not hold the key either (headers are redacted; the faults it was told to
  // inject hold the echo, so they are left out).
  keyLeaks:
    capture.occurrences(SECRET_KEY) +
    (JSON.stringify(gateway.requests.map(({ fault: _fault, ...rest }) => rest)).includes(SECRET_KEY) ? 1 : 0),
};
console.log(JSON.stringify(summary));
