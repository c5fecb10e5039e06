/**
 * `loopguard runs list | show <id> | resume <id>`: the workflow runs of a file or Redis store — what is suspended and
 * why, a run's journal, and resuming one (with approvals) from the workflows a module exports.
 * @module
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createWorkflowEngine,
  fileStore,
  type RunRecord,
  redisStore,
  type Workflow,
  type WorkflowStore,
} from '@loopguard/workflow';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';

const STATUSES = ['running', 'suspended', 'budget_exceeded', 'failed', 'done'] as const;

/** The store `--store` names: a `redis://` URL (with `--prefix`), else a fileStore directory. */
function storeOf(options: { store: string; prefix?: string }): WorkflowStore {
  if (/^rediss?:\/\//.test(options.store))
    return redisStore({ url: options.store, ...(options.prefix ? { prefix: options.prefix } : {}) });
  return fileStore(options.store);
}

function describeRun(record: RunRecord): string {
  const why = record.suspension
    ? ` (${record.suspension.kind}: ${record.suspension.name}${record.suspension.kind === 'sleep' ? ` until ${new Date(record.suspension.until).toISOString()}` : ''})`
    : record.error
      ? ` (${record.error.code ?? record.error.name}: ${record.error.message})`
      : '';
  return `${record.runId}  ${record.workflow}  ${record.status}${why}  updated ${new Date(record.updatedAt).toISOString()}`;
}

/** `name=true|false` pairs to an approvals map. */
function approvalsOf(pairs: string[]): Record<string, boolean> {
  const approvals: Record<string, boolean> = {};
  for (const pair of pairs) {
    const match = /^(.+)=(true|false)$/.exec(pair);
    if (!match) throw new CliUsageError(`--approve takes name=true or name=false; got "${pair}".`);
    approvals[match[1] as string] = match[2] === 'true';
  }
  return approvals;
}

/** The workflows a module exports (every export that looks like one). */
async function workflowsOf(modulePath: string): Promise<Workflow[]> {
  const exports = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, unknown>;
  const found = Object.values(exports).filter(
    (value): value is Workflow =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Workflow).run === 'function' &&
      typeof (value as Workflow).name === 'string',
  );
  if (found.length === 0)
    throw new CliUsageError(`--workflows: ${modulePath} exports no workflow (defineWorkflow results).`);
  return found;
}

/** Adds `runs list`, `runs show <id>` and `runs resume <id>` to `program`. */
export function registerRunsCommand(program: Command, io: CliIo): void {
  const runs = program.command('runs').description('the workflow runs of a file or Redis store: list, show, resume');
  runs
    .command('list')
    .description('list runs, newest first')
    .requiredOption('--store <dir|url>', 'a fileStore directory, or a redisStore URL (redis://host:port/db)')
    .option('--prefix <prefix>', "a redisStore's key prefix (default: loopguard:workflow:)")
    .option('--status <status>', `only runs in this status (${STATUSES.join(', ')})`)
    .option('--json', 'print the records as JSON')
    .action(async (options: { store: string; prefix?: string; status?: string; json?: boolean }) => {
      if (options.status !== undefined && !(STATUSES as readonly string[]).includes(options.status))
        throw new CliUsageError(`--status must be one of ${STATUSES.join(', ')}; got "${options.status}".`);
      const store = storeOf(options);
      const records = await store
        .listRuns({ status: options.status as RunRecord['status'] | undefined })
        .finally(() => store.close());
      if (options.json) io.out(JSON.stringify(records, null, 2));
      else if (records.length === 0) io.out('(no runs)');
      else for (const record of records) io.out(describeRun(record));
    });
  runs
    .command('show')
    .description("a run's record and journal")
    .argument('<runId>')
    .requiredOption('--store <dir|url>', 'a fileStore directory, or a redisStore URL (redis://host:port/db)')
    .option('--prefix <prefix>', "a redisStore's key prefix (default: loopguard:workflow:)")
    .option('--json', 'print { record, journal } as JSON')
    .action(async (runId: string, options: { store: string; prefix?: string; json?: boolean }) => {
      const store = storeOf(options);
      const found = await Promise.all([store.getRun(runId), store.journal(runId).catch(() => [])]).finally(() =>
        store.close(),
      );
      const [record, journal] = found;
      if (!record) throw new Error(`No run ${runId} in ${options.store}.`);
      if (options.json) {
        io.out(JSON.stringify({ record, journal }, null, 2));
        return;
      }
      io.out(describeRun(record));
      if (record.suspension) io.out(`suspended: ${JSON.stringify(record.suspension)}`);
      for (const entry of journal)
        io.out(`  ${entry.index}. ${entry.kind} ${entry.name}  ${new Date(entry.at).toISOString()}`);
    });
  runs
    .command('resume')
    .description('resume a suspended or failed run, with the workflows a module exports')
    .argument('<runId>')
    .requiredOption('--store <dir|url>', 'a fileStore directory, or a redisStore URL (redis://host:port/db)')
    .option('--prefix <prefix>', "a redisStore's key prefix (default: loopguard:workflow:)")
    .requiredOption('--workflows <module>', 'a JavaScript module exporting the workflows (defineWorkflow results)')
    .option('--approve <name=true|false...>', 'approvals: an approval name, or an agent tool call id')
    .action(
      async (runId: string, options: { store: string; prefix?: string; workflows: string; approve?: string[] }) => {
        const approvals = approvalsOf(options.approve ?? []);
        const store = storeOf(options);
        const engine = createWorkflowEngine({ store, workflows: await workflowsOf(options.workflows) });
        const record = await Promise.resolve(engine.resume(runId, { approvals })).finally(() => store.close());
        io.out(describeRun(record));
        if (record.status === 'failed') throw new Error(`run ${runId} failed`);
      },
    );
}
