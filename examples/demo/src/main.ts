/**
 * The loopguard demo: a travel assistant with three tools answers a question that needs several tool
 * calls (two in parallel), streaming its text, showing each tool call as it happens, under a budget.
 * Without LOOPGUARD_API_KEY it plays a scripted scenario on the mock gateway, in-process.
 * @module
 */
import { createBudget } from '@loopguard/budget';
import { isLoopguardError, MessagesClient } from '@loopguard/messages';
import { scriptedModel, startGatewayOrMock } from '@loopguard/mock-gateway';
import { runAgent } from '@loopguard/tools';
import { QUESTION, SCENARIO } from './scenario.js';
import { Terminal } from './terminal.js';
import { calculator, convertUnits, getCurrentWeather } from './travel-tools.js';

async function main(): Promise<void> {
  const terminal = new Terminal();
  const gateway = await startGatewayOrMock({ model: scriptedModel(SCENARIO), eventDelayMs: 15 });
  const client = new MessagesClient({ apiKey: gateway.apiKey, baseURL: gateway.baseURL });
  terminal.line(
    gateway.mocked
      ? `No LOOPGUARD_API_KEY: playing a scripted scenario on the embedded mock gateway at ${gateway.baseURL}.`
      : `Using the gateway at ${gateway.baseURL} (LOOPGUARD_API_KEY is set).`,
  );
  const budget = createBudget({ limit: { usd: 1 }, perRun: { usd: 0.5 } });
  client.use(budget);
  terminal.line(`\nQ: ${QUESTION}\n`);
  const running = new Set<string>();
  const run = runAgent({
    client,
    prompt: QUESTION,
    tools: [getCurrentWeather, convertUnits, calculator],
    maxTokens: 1024,
  });
  try {
    for await (const event of run) {
      switch (event.type) {
        case 'turn_start':
          terminal.line(`── turn ${event.turn}`);
          break;
        case 'text':
          terminal.text(event.delta);
          break;
        case 'tool_call':
          running.add(event.call.toolUseId);
          terminal.line(`→ ${event.call.name}(${JSON.stringify(event.call.input)})`);
          terminal.spin(`running ${running.size} tool call(s)…`);
          break;
        case 'tool_result': {
          running.delete(event.call.toolUseId);
          if (running.size === 0) terminal.stopSpinner();
          else terminal.spin(`running ${running.size} tool call(s)…`);
          const mark = event.result.is_error ? '✗' : '✓';
          terminal.line(
            `${mark} ${event.call.name} → ${String(event.result.content)} (${Math.round(event.durationMs)} ms)`,
          );
          break;
        }
        default:
          break;
      }
    }
    const result = await run;
    terminal.stopSpinner();
    const report = await budget.report();
    terminal.line('');
    terminal.line('── budget');
    terminal.line(`stop reason: ${result.stopReason}`);
    terminal.line(
      `turns: ${result.steps.length}, tokens: ${result.usage.input_tokens} in / ${result.usage.output_tokens} out`,
    );
    terminal.line(`spent: ${report.spent.credits.toFixed(4)} credits ($${report.spent.usd.toFixed(4)})`);
    terminal.line(
      `left of the $${report.limit.usd.toFixed(2)} cap: ${report.remaining.credits.toFixed(2)} credits ($${report.remaining.usd.toFixed(4)})`,
    );
    if (result.stopReason !== 'end_turn') process.exitCode = 1;
  } finally {
    terminal.stopSpinner();
    await gateway.close();
  }
}

main().catch((error: unknown) => {
  const name = isLoopguardError(error) ? error.name : 'Error';
  console.error(`\ndemo failed: ${name}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
