/**
 * One OS process of the multi-process budget run: `AGENTS` concurrent agents share one cap through a file or
 * Redis ledger, against the mock gateway the test started. Each agent starts runs until one ends with
 * `budget_exceeded`; a run that fails (a ledger unreachable while Redis restarts, a request that failed after
 * its retries) is followed by a new one. Prints "ready" once loaded and waits for a line on stdin before its
 * agents start (so that every process starts at once, however long each took to load: one that loaded late
 * found the cap nearly spent), prints "progress" after its third settlement, then one JSON summary line when
 * every agent is done.
 *
 * Usage: node --conditions=@loopguard/source --import tsx src/budget-worker.ts <ledger JSON> <baseURL> <key> <cap> <worker>
 * where the ledger JSON is `{"kind":"file","path":…}` or `{"kind":"redis","url":…,"key":…}`.
 * @module
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBudget, fileLedger, isLedgerError, type Ledger, redisLedger } from '@loopguard/budget';
import { isLoopguardError, MessagesClient } from '@loopguard/messages';
import { defineTool, runAgent } from '@loopguard/tools';
import { z } from 'zod';

/** Agents per process. */
export const AGENTS = 16;

const [ledgerJson = '{}', baseURL = '', apiKey = '', capText = '0', workerText = '0'] = process.argv.slice(2);
const spec = JSON.parse(ledgerJson) as { kind: 'file'; path: string } | { kind: 'redis'; url: string; key: string };
/** Runs that had a ledger call fail (their open reservation, if any, is counted once its lease runs out). */
const ledgerFailedRuns = new Set<string>();
const ledger = observed(spec.kind === 'file' ? fileLedger(spec.path) : redisLedger({ url: spec.url, key: spec.key }));

/** The ledger, noting the run of every call that fails (a settle or release the guard could not make). */
function observed(inner: Ledger): Ledger {
  const runOf = new Map<string, string>();
  const noting = async <T>(id: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (isLedgerError(error)) ledgerFailedRuns.add(runOf.get(id) ?? id);
      throw error;
    }
  };
  return {
    reserve: (request) => {
      runOf.set(request.id, request.runId);
      return noting(request.id, () => inner.reserve(request));
    },
    settle: (id, credits, now, detail) => noting(id, () => inner.settle(id, credits, now, detail)),
    release: (id) => noting(id, () => inner.release(id)),
    totals: (now) => inner.totals(now),
    report: (now) => inner.report(now),
    close: () => inner.close(),
  };
}
const budget = createBudget({ limit: { credits: Number(capText) }, ledger });
const client = new MessagesClient({
  apiKey,
  baseURL,
  maxRetries: 3,
  retryBaseDelayMs: 1,
  idleTimeoutMs: 150,
  timeoutMs: 5000,
});
client.use(budget);
const echo = defineTool({
  name: 'echo',
  description: 'echoes',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

let settlements = 0;
budget.on('settle', () => {
  settlements += 1;
  if (settlements === 3) console.log('progress');
});

const stops: Record<string, number> = {};
const errors: Record<string, number> = {};

async function agent(index: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const runId = `w${workerText}-a${index}-${attempt}`;
    try {
      const result = await runAgent({
        client,
        prompt: `worker ${workerText} agent ${index}`,
        tools: [echo],
        maxTokens: 60,
        maxTurns: 1000,
        runId,
        stream: index % 2 === 0,
      });
      stops[result.stopReason] = (stops[result.stopReason] ?? 0) + 1;
      if (result.stopReason === 'budget_exceeded') return;
    } catch (error) {
      const name = isLoopguardError(error) ? error.name : `untyped:${(error as Error).name}`;
      errors[name] = (errors[name] ?? 0) + 1;
      if (isLedgerError(error)) await sleep(50);
    }
  }
}

// Every process starts its agents together: the parent writes a line once all of them are ready.
console.log('ready');
await once(process.stdin, 'data');
process.stdin.destroy();

await Promise.all(Array.from({ length: AGENTS }, (_, index) => agent(index)));
await budget.close();
console.log(
  JSON.stringify({ worker: Number(workerText), stops, errors, ledgerFailedRuns: [...ledgerFailedRuns], settlements }),
);
