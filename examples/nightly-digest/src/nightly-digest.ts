/**
 * A budget-capped automation run by cron: summarise the day's items under a daily cap kept in a file
 * ledger. When the cap is reached it saves its progress and stops cleanly with exit code 3; the next
 * run (the next day, once the rolling window has room) picks up where it stopped.
 *
 * Exit codes: 0 every item is done; 3 the daily cap was reached (run again later); 1 an error.
 * @module
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createBudget, fileLedger } from '@loopguard/budget';
import { MessagesClient } from '@loopguard/messages';
import { runAgent } from '@loopguard/tools';

/** Exit code when the daily cap stops the run. */
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
  /** The clock (tests move it a day). @default Date.now */
  now?: () => number;
  log?: (line: string) => void;
}

/** What one run did. */
export interface DigestRun {
  exitCode: 0 | 3;
  summarisedNow: string[];
  remaining: number;
}

/** Runs the digest once. */
export async function runNightlyDigest(options: DigestOptions): Promise<DigestRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  const client = new MessagesClient({ apiKey: options.apiKey, baseURL: options.baseURL });
  const budget = createBudget({
    limit: { credits: Number.MAX_SAFE_INTEGER },
    windows: { daily: { credits: options.dailyCredits } },
    ledger: fileLedger(options.ledgerPath),
    ...(options.now ? { now: options.now } : {}),
  });
  client.use(budget);
  const summaries: Record<string, string> = existsSync(options.progressPath)
    ? JSON.parse(readFileSync(options.progressPath, 'utf8'))
    : {};
  const summarisedNow: string[] = [];
  const save = () => {
    writeFileSync(`${options.progressPath}.tmp`, JSON.stringify(summaries, null, 2));
    renameSync(`${options.progressPath}.tmp`, options.progressPath);
  };
  for (const item of options.items) {
    if (summaries[item] !== undefined) continue;
    const result = await runAgent({
      client,
      prompt: `Summarise in one sentence: ${item}`,
      maxTokens: 200,
      maxTurns: 1,
    });
    if (result.stopReason === 'budget_exceeded') {
      const remaining = options.items.filter((i) => summaries[i] === undefined).length;
      log(`daily cap reached: ${summarisedNow.length} summarised now, ${remaining} left for the next run`);
      return { exitCode: BUDGET_EXIT_CODE, summarisedNow, remaining };
    }
    summaries[item] = result.text;
    summarisedNow.push(item);
    save();
  }
  log(`done: ${summarisedNow.length} summarised now, all ${options.items.length} items complete`);
  return { exitCode: 0, summarisedNow, remaining: 0 };
}
