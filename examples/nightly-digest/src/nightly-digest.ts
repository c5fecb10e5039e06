/**
 * A budget-capped automation run by cron, on `@loopguard/workflow`: summarise a set of items under a daily cap
 * kept in a file ledger. Each item is an agent step of one durable run (journaled in a file store), so a run
 * that reaches the cap **suspends** (`budget_exceeded`) instead of failing, and the next invocation — the
 * next day, once the rolling window has room — resumes it where it stopped; nothing summarised is paid for
 * again. Requests are clamped to what the cap still allows (`onExceed: 'clamp'`), so a run uses the cap rather
 * than stopping while most of it is left. Every line it prints is meant for a cron log.
 * @module
 */
import { createHash } from 'node:crypto';
import { createBudget, fileLedger } from '@loopguard/budget';
import { MessagesClient, USD_PER_CREDIT } from '@loopguard/messages';
import { createWorkflowEngine, defineWorkflow, fileStore } from '@loopguard/workflow';
import { z } from 'zod';

/** The exit status `--exit-codes` gives a run the daily cap stopped. */
export const BUDGET_EXIT_CODE = 3;

/** Options of one invocation. */
export interface DigestOptions {
  baseURL: string;
  apiKey: string;
  items: string[];
  /** The workflow store's directory. */
  storeDir: string;
  ledgerPath: string;
  /** The daily cap, in credits. */
  dailyCredits: number;
  /** Output tokens of one summary at most (fewer when the cap is near). @default 120 */
  maxTokens?: number;
  /** The clock of the budget's daily window (tests move it a day). @default Date.now */
  now?: () => number;
  log?: (line: string) => void;
}

/** What one invocation did. */
export interface DigestRun {
  /** 0: every item is done; 3: the daily cap suspended the run. */
  exitCode: 0 | 3;
  runId: string;
  summarisedNow: string[];
  remaining: number;
  /** Credits this invocation spent. */
  spentNow: number;
  /** Credits spent in the last 24 hours (this invocation and earlier ones). */
  spentToday: number;
}

const credits = (value: number): string => `${value.toFixed(4)} credits ($${(value * USD_PER_CREDIT).toFixed(4)})`;
const short = (text: string, length = 72): string => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

function digestWorkflow(client: MessagesClient, maxTokens: number) {
  return defineWorkflow({
    name: 'nightly-digest',
    input: z.object({ items: z.array(z.string()).min(1) }),
    output: z.record(z.string(), z.string()),
    run: async (ctx, { items }) => {
      const summaries: Record<string, string> = {};
      for (const [index, item] of items.entries()) {
        const result = await ctx.agent(`item-${index}`, {
          client,
          prompt: `Summarise in one sentence: ${item}`,
          maxTokens,
          maxTurns: 1,
        });
        summaries[item] = result.text;
      }
      return summaries;
    },
  });
}

/** Runs the digest once: starts the run of these items, or resumes it. */
export async function runNightlyDigest(options: DigestOptions): Promise<DigestRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  const client = new MessagesClient({ apiKey: options.apiKey, baseURL: options.baseURL });
  const ledger = fileLedger(options.ledgerPath);
  client.use(
    createBudget({
      limit: { credits: Number.MAX_SAFE_INTEGER },
      windows: { daily: { credits: options.dailyCredits } },
      onExceed: 'clamp',
      minOutputTokens: 32,
      ledger,
      now,
    }),
  );
  const store = fileStore(options.storeDir);
  const workflow = digestWorkflow(client, options.maxTokens ?? 120);
  const engine = createWorkflowEngine({ store, workflows: [workflow] });
  // The same items are the same run: an invocation goes on with it until it is done.
  const runId = `digest-${createHash('sha256').update(JSON.stringify(options.items)).digest('hex').slice(0, 16)}`;
  const existing = await engine.getRun(runId);
  const journaled = existing ? (await store.journal(runId)).filter((entry) => entry.kind === 'agent').length : 0;
  log(
    `digest ${runId}: ${options.items.length - journaled} of ${options.items.length} item(s) to summarise, daily cap ${credits(options.dailyCredits)}`,
  );
  const handle =
    existing === undefined ? engine.start(workflow, { items: options.items }, { runId }) : engine.resume(runId);
  const summarisedNow: string[] = [];
  let spentNow = 0;
  for await (const event of handle) {
    if (event.type !== 'agent' || event.event.type !== 'done' || event.event.result.stopReason === 'budget_exceeded')
      continue;
    const item = options.items[Number(event.name.slice('item-'.length))] as string;
    summarisedNow.push(item);
    spentNow += event.event.result.credits;
    log(`  ✓ ${short(item, 48)} → ${short(event.event.result.text)} (${event.event.result.credits.toFixed(4)} cr)`);
  }
  const record = await handle;
  const spentToday = (await ledger.totals(now())).daily;
  await ledger.close();
  const remaining =
    options.items.length - (await store.journal(runId)).filter((entry) => entry.kind === 'agent').length;
  log(`spent now ${credits(spentNow)}; today ${credits(spentToday)} of ${credits(options.dailyCredits)}`);
  if (record.status === 'done') {
    log(`done: ${summarisedNow.length} summarised now, all ${options.items.length} items complete (run ${runId})`);
    return { exitCode: 0, runId, summarisedNow, remaining: 0, spentNow, spentToday };
  }
  if (record.status !== 'budget_exceeded')
    throw new Error(`run ${runId} ended ${record.status}: ${record.error?.message ?? ''}`);
  log(
    `stopped at the daily cap: ${summarisedNow.length} summarised now, ${remaining} left for the next run (run ${runId} suspended)`,
  );
  return { exitCode: BUDGET_EXIT_CODE, runId, summarisedNow, remaining, spentNow, spentToday };
}
