/**
 * `loopguard credits`: the balance of the key in `LOOPGUARD_API_KEY`, from `GET {baseURL}/credits`.
 * @module
 */
import { MessagesClient, USD_PER_CREDIT } from '@loopguard/messages';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';

/** Adds `credits [--base-url URL] [--json]` to `program`. The key is read from the environment only. */
export function registerCreditsCommand(program: Command, io: CliIo): void {
  program
    .command('credits')
    .description('print the balance of the key in LOOPGUARD_API_KEY (GET {baseURL}/credits)')
    .option('--base-url <url>', 'the gateway, ending in /v1 (default: LOOPGUARD_BASE_URL, else the gateway)')
    .option('--json', 'print {"credits", "usd"} as JSON')
    .action(async (options: { baseUrl?: string; json?: boolean }) => {
      const client = new MessagesClient({
        ...(options.baseUrl !== undefined ? { baseURL: options.baseUrl } : {}),
        maxRetries: 1,
      });
      const { credits } = await client.getCredits();
      const usd = credits * USD_PER_CREDIT;
      io.out(options.json ? JSON.stringify({ credits, usd }) : `${credits} credits ($${usd.toFixed(4)})`);
    });
}
