/**
 * A scripted multi-step workflow: plan → gather with tools → write a structured report validated by zod.
 * The steps share one budget (a file ledger, so a re-run shares it too); the state is saved after each
 * step, and a re-run after a crash resumes from it instead of paying again for what was done.
 * @module
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createBudget, fileLedger } from '@loopguard/budget';
import { MessagesClient } from '@loopguard/messages';
import { defineTool, runAgent } from '@loopguard/tools';
import { z } from 'zod';

/** The plan: the questions to research. */
export const Plan = z.object({ questions: z.array(z.string()).min(1).max(3) });
/** The report the pipeline writes. */
export const Report = z.object({
  title: z.string(),
  summary: z.string(),
  findings: z.array(z.object({ question: z.string(), answer: z.string() })).min(1),
});

/** What is saved after each step. */
export interface PipelineState {
  topic: string;
  step: 'plan' | 'gather' | 'write' | 'done';
  plan?: z.infer<typeof Plan>;
  answers: Record<string, string>;
  report?: z.infer<typeof Report>;
}

/** Options of a pipeline run. */
export interface PipelineOptions {
  baseURL: string;
  apiKey: string;
  topic: string;
  /** Where the state is saved (JSON). */
  statePath: string;
  /** Where spend is kept (a file ledger). */
  ledgerPath: string;
  /** The budget of the whole pipeline, across re-runs. @default 1 */
  budgetUsd?: number;
  /** Start over even when a saved state for this topic exists. @default false */
  fresh?: boolean;
  /** For tests: throw right after this step is saved, as a crash would. */
  crashAfter?: 'plan' | 'gather';
  log?: (line: string) => void;
}

const searchNotes = defineTool({
  name: 'search_notes',
  description: 'Search the research notes for a query; returns matching snippets',
  input: z.object({ query: z.string() }),
  execute: ({ query }) => [`Note on "${query}": sources agree it matters.`, `Note on "${query}": costs are falling.`],
});

function save(path: string, state: PipelineState): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${path}.tmp`, path);
}

/**
 * The saved state when it is for this topic and no fresh start was asked for; otherwise a new one (the old
 * file is replaced at the first save).
 */
function loadState(options: PipelineOptions, log: (line: string) => void): PipelineState {
  const fresh: PipelineState = { topic: options.topic, step: 'plan', answers: {} };
  if (!existsSync(options.statePath)) return fresh;
  const saved = JSON.parse(readFileSync(options.statePath, 'utf8')) as PipelineState;
  if (options.fresh) {
    log(`Starting fresh on "${options.topic}" (--fresh): the saved state is replaced.`);
    return fresh;
  }
  if (saved.topic !== options.topic) {
    log(`The saved state is for "${saved.topic}"; starting fresh on "${options.topic}".`);
    return fresh;
  }
  return saved;
}

/** Runs (or resumes) the pipeline; resolves with the final state. */
export async function runResearchPipeline(options: PipelineOptions): Promise<PipelineState> {
  const log = options.log ?? ((line: string) => console.log(line));
  const client = new MessagesClient({ apiKey: options.apiKey, baseURL: options.baseURL });
  const budget = createBudget({ limit: { usd: options.budgetUsd ?? 1 }, ledger: fileLedger(options.ledgerPath) });
  client.use(budget);
  const state = loadState(options, log);
  if (state.step !== 'plan') log(`Resuming at step "${state.step}" from ${options.statePath}.`);
  const ensure = <T>(result: { stopReason: string; output: T | undefined }, what: string): T => {
    if (result.output === undefined)
      throw new Error(`The ${what} step ended with "${result.stopReason}" and no valid output.`);
    return result.output;
  };

  if (state.step === 'plan') {
    const result = await runAgent({
      client,
      prompt: `Plan research on: ${state.topic}. List up to 3 questions.`,
      output: Plan,
      maxTokens: 1024,
    });
    state.plan = ensure(result, 'plan');
    state.step = 'gather';
    save(options.statePath, state);
    log(`plan: ${state.plan.questions.length} question(s)`);
    if (options.crashAfter === 'plan') throw new Error('simulated crash after the plan step');
  }
  if (state.step === 'gather') {
    for (const question of state.plan?.questions ?? []) {
      if (state.answers[question] !== undefined) continue;
      const result = await runAgent({
        client,
        prompt: `Use search_notes to answer: ${question}`,
        tools: [searchNotes],
        maxTokens: 1024,
      });
      state.answers[question] = result.text;
      save(options.statePath, state);
      log(`gathered: ${question}`);
    }
    state.step = 'write';
    save(options.statePath, state);
    if (options.crashAfter === 'gather') throw new Error('simulated crash after the gather step');
  }
  if (state.step === 'write') {
    const notes = Object.entries(state.answers)
      .map(([q, a]) => `Q: ${q}\nA: ${a}`)
      .join('\n\n');
    const result = await runAgent({
      client,
      prompt: `Write a report on ${state.topic} from these findings:\n\n${notes}`,
      output: Report,
      maxTokens: 2048,
    });
    state.report = ensure(result, 'write');
    state.step = 'done';
    save(options.statePath, state);
    log(`report: ${state.report.title}`);
  }
  const report = await budget.report();
  log(
    `spent ${report.spent.credits.toFixed(4)} credits ($${report.spent.usd.toFixed(4)}) of $${report.limit.usd.toFixed(2)}`,
  );
  return state;
}
