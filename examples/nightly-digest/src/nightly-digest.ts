/**
 * A budget-capped automation run by cron: summarise the day's items under a daily cap kept in a file
 * ledger. Requests are clamped to what the cap still allows (`onExceed: 'clamp'`), so the run uses the
 * cap rather than stopping while most of it is left; when not even a short summary fits, it saves its
 * progress and stops cleanly. The next run (the next day, once the rolling window has room) picks up where
 * it stopped. Every line it prints is meant for a cron log: one per item, then what was spent and what is left.
 * @module
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createBudget, fileLedger } from '@loopguard/budget';
import { MessagesClient, USD_PER_CREDIT } from '@loopguard/messages';
import { runAgent } from '@loopguard/tools';

/** The exit status `--exit-codes` gives a run the daily cap stopped. */
export const BUDGET_EXIT_CODE = 3;

/** Options of one run. */
export interface DigestOptions {
  baseURL: string;
  apiKey: string;
  items: string[];
  progressPath: string;
  ledgerPath: string;
  /** The daily cap, in credits. */
  dailyCredits: number;
  /** Output tokens of one summary at most (fewer when the cap is near). @default 120 */
  maxTokens?: number;
  /** The clock (tests move it a day). @default Date.now */
  now?: () => number;
  log?: (line: string) => void;
}

/** What one run did. */
export interface DigestRun {
  /** 0: every item is done; 3: the daily cap stopped the run. */
  exitCode: 0 | 3;
  summarisedNow: string[];
  remaining: number;
  /** Credits this run spent. */
  spentNow: number;
  /** Credits spent in the last 24 hours (this run and earlier ones). */
  spentToday: number;
}

const credits = (value: number): string => `${value.toFixed(4)} credits ($${(value * USD_PER_CREDIT).toFixed(4)})`;
const short = (text: string, length = 72): string => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

/** Runs the digest once. */
export async function runNightlyDigest(options: DigestOptions): Promise<DigestRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  const client = new MessagesClient({ apiKey: options.apiKey, baseURL: options.baseURL });
  const ledger = fileLedger(options.ledgerPath);
  const budget = createBudget({
    limit: { credits: Number.MAX_SAFE_INTEGER },
    windows: { daily: { credits: options.dailyCredits } },
    onExceed: 'clamp',
    minOutputTokens: 32,
    ledger,
    now,
  });
  client.use(budget);
  const summaries: Record<string, string> = existsSync(options.progressPath)
    ? JSON.parse(readFileSync(options.progressPath, 'utf8'))
    : {};
  const summarisedNow: string[] = [];
  let spentNow = 0;
  const save = () => {
    writeFileSync(`${options.progressPath}.tmp`, JSON.stringify(summaries, null, 2));
    renameSync(`${options.progressPath}.tmp`, options.progressPath);
  };
  const pending = options.items.filter((item) => summaries[item] === undefined);
  log(
    `digest: ${pending.length} of ${options.items.length} item(s) to summarise, daily cap ${credits(options.dailyCredits)}`,
  );
  let stopped = false;
  for (const item of pending) {
    const result = await runAgent({
      client,
      prompt: `Summarise in one sentence: ${item}`,
      maxTokens: options.maxTokens ?? 120,
      maxTurns: 1,
    });
    if (result.stopReason === 'budget_exceeded') {
      stopped = true;
      break;
    }
    summaries[item] = result.text;
    summarisedNow.push(item);
    spentNow += result.credits;
    save();
    log(`  ✓ ${short(item, 48)} → ${short(result.text)} (${result.credits.toFixed(4)} cr)`);
  }
  const spentToday = (await ledger.totals(now())).daily;
  await ledger.close();
  const remaining = options.items.filter((item) => summaries[item] === undefined).length;
  log(`spent now ${credits(spentNow)}; today ${credits(spentToday)} of ${credits(options.dailyCredits)}`);
  if (stopped) {
    log(`stopped at the daily cap: ${summarisedNow.length} summarised now, ${remaining} left for the next run`);
    return { exitCode: BUDGET_EXIT_CODE, summarisedNow, remaining, spentNow, spentToday };
  }
  log(
    `done: ${summarisedNow.length} summarised now, all ${options.items.length} items complete (${options.progressPath})`,
  );
  return { exitCode: 0, summarisedNow, remaining: 0, spentNow, spentToday };
}
