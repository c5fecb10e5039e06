/**
 * @loopguard/cli: the `loopguard` command for operators — `credits`, `spend <ledger>`, `mock`.
 * @module
 */
export { type CliIo, processIo } from './cli-io.js';
export { CliUsageError } from './cli-usage-error.js';
export { registerCreditsCommand } from './commands/credits-command.js';
export { registerMockCommand } from './commands/mock-command.js';
export { registerRunsCommand } from './commands/runs-command.js';
export { registerSpendCommand } from './commands/spend-command.js';
export { CLI_VERSION, createProgram } from './create-program.js';
export { EXIT_FAILURE, EXIT_USAGE, main } from './main.js';
export { LedgerNotFoundError, type LedgerSpec, openLedger } from './open-ledger.js';
export { groupSpend, type SpendChartOptions, type SpendGroup, spendChart } from './spend-chart.js';
