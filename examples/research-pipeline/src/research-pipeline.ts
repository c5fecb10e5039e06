/**
 * A scripted multi-step workflow on `@loopguard/workflow`: plan → gather with tools → write a structured report
 * validated by zod. Each step is journaled in a file store, so a re-run after a crash replays what was done
 * instead of paying for it again; the steps share one budget (a file ledger, so a re-run shares it too) and
 * the run id, so the budget's `perRun` caps the whole pipeline. A new topic (or `fresh`) starts a new run.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createBudget, fileLedger } from '@loopguard/budget';
import { MessagesClient } from '@loopguard/messages';
import { defineTool } from '@loopguard/tools';
import { createWorkflowEngine, defineWorkflow, fileStore, type RunRecord } from '@loopguard/workflow';
import { z } from 'zod';

/** The plan: the questions to research. */
export const Plan = z.object({ questions: z.array(z.string()).min(1).max(3) });
/** The report the pipeline writes. */
export const Report = z.object({
  title: z.string(),
  summary: z.string(),
  findings: z.array(z.object({ question: z.string(), answer: z.string() })).min(1),
});

/** What a run produced. */
export interface PipelineState {
  runId: string;
  topic: string;
  status: RunRecord['status'];
  plan?: z.infer<typeof Plan>;
  answers: Record<string, string>;
  report?: z.infer<typeof Report>;
}

/** Options of a pipeline run. */
export interface PipelineOptions {
  baseURL: string;
  apiKey: string;
  topic: string;
  /** The workflow store's directory. */
  storeDir: string;
  /** Where spend is kept (a file ledger). */
  ledgerPath: string;
  /** The budget of the whole pipeline, across re-runs. @default 1 */
  budgetUsd?: number;
  /** Start a new run even when this topic has one. @default false */
  fresh?: boolean;
  /** For tests: throw right after this step is journaled, as a crash would. */
  crashAfter?: 'plan' | 'gather';
  log?: (line: string) => void;
}

const searchNotes = defineTool({
  name: 'search_notes',
  description: 'Search the research notes for a query; returns matching snippets',
  input: z.object({ query: z.string() }),
  execute: ({ query }) => [`Note on "${query}": sources agree it matters.`, `Note on "${query}": costs are falling.`],
});

function pipelineWorkflow(client: MessagesClient, options: PipelineOptions) {
  const log = options.log ?? ((line: string) => console.log(line));
  return defineWorkflow({
    name: 'research-pipeline',
    input: z.object({ topic: z.string().min(1) }),
    output: z.object({ plan: Plan, answers: z.record(z.string(), z.string()), report: Report }),
    run: async (ctx, { topic }) => {
      const planned = await ctx.agent('plan', {
        client,
        prompt: `Plan research on: ${topic}. List up to 3 questions.`,
        output: Plan,
        maxTokens: 1024,
      });
      const plan = Plan.parse(planned.output);
      log(`plan: ${plan.questions.length} question(s)`);
      if (options.crashAfter === 'plan') throw new Error('simulated crash after the plan step');
      const answers: Record<string, string> = {};
      for (const [index, question] of plan.questions.entries()) {
        const found = await ctx.agent(`gather-${index}`, {
          client,
          prompt: `Use search_notes to answer: ${question}`,
          tools: [searchNotes],
          maxTokens: 1024,
        });
        answers[question] = found.text;
      }
      if (options.crashAfter === 'gather') throw new Error('simulated crash after the gather step');
      const notes = Object.entries(answers)
        .map(([q, a]) => `Q: ${q}\nA: ${a}`)
        .join('\n\n');
      const written = await ctx.agent('write', {
        client,
        prompt: `Write a report on ${topic} from these findings:\n\n${notes}`,
        output: Report,
        maxTokens: 2048,
      });
      const report = Report.parse(written.output);
      log(`report: ${report.title}`);
      return { plan, answers, report };
    },
  });
}

/** The run to go on with: this topic's newest, unless `fresh`; else a new run id. */
async function runFor(
  engine: ReturnType<typeof createWorkflowEngine>,
  options: PipelineOptions,
): Promise<{ runId: string; existing?: RunRecord }> {
  const slug =
    options.topic
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 60) || 'topic';
  if (!options.fresh) {
    const existing = (await engine.listRuns()).find(
      (record) => (record.input as { topic?: string }).topic === options.topic,
    );
    if (existing) return { runId: existing.runId, existing };
  }
  return { runId: `research-${slug}-${randomUUID().slice(0, 8)}` };
}

/** Runs the pipeline on `topic`, or resumes this topic's unfinished run; resolves with what the run produced. */
export async function runResearchPipeline(options: PipelineOptions): Promise<PipelineState> {
  const log = options.log ?? ((line: string) => console.log(line));
  const client = new MessagesClient({ apiKey: options.apiKey, baseURL: options.baseURL });
  const budget = createBudget({ limit: { usd: options.budgetUsd ?? 1 }, ledger: fileLedger(options.ledgerPath) });
  client.use(budget);
  const workflow = pipelineWorkflow(client, options);
  const engine = createWorkflowEngine({ store: fileStore(options.storeDir), workflows: [workflow] });
  const { runId, existing } = await runFor(engine, options);
  if (options.fresh) log(`Starting fresh on "${options.topic}" (--fresh): run ${runId}.`);
  else if (existing && existing.status !== 'done')
    log(`Resuming run ${runId} (${existing.status}) on "${options.topic}".`);
  const record =
    existing === undefined
      ? await engine.start(workflow, { topic: options.topic }, { runId })
      : existing.status === 'done'
        ? existing
        : await engine.resume(runId);
  if (record.status !== 'done')
    throw new Error(
      `run ${runId} ended ${record.status}: ${record.error?.message ?? JSON.stringify(record.suspension)}`,
    );
  const spent = await budget.report();
  log(
    `spent ${spent.spent.credits.toFixed(4)} credits ($${spent.spent.usd.toFixed(4)}) of $${spent.limit.usd.toFixed(2)}`,
  );
  const output = record.output as {
    plan: z.infer<typeof Plan>;
    answers: Record<string, string>;
    report: z.infer<typeof Report>;
  };
  return { runId, topic: options.topic, status: record.status, ...output };
}
