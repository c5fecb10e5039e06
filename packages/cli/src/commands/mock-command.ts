/**
 * `loopguard mock`: starts the mock gateway and prints its URL and key, until SIGINT or SIGTERM.
 * @module
 */
import {
  describeMockGateway,
  type MockCliFlags,
  MockCliUsageError,
  mockOptionsFromFlags,
  startMockGateway,
} from '@loopguard/mock-gateway';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';

/** Adds `mock [--port P] [--key K] [--credits N] [--short] [--config F]` to `program`. */
export function registerMockCommand(program: Command, io: CliIo): void {
  program
    .command('mock')
    .description('start the mock gateway on loopback and print its base URL and API key (Ctrl-C stops it)')
    .option('--port <port>', "the port (default: the config's port, else 8787; 0 picks a free one)")
    .option('--key <key>', 'the API key it accepts (default: sk-local-test)')
    .option('--credits <n>', "the key's balance (default: 1000)")
    .option('--short', 'answer with the short SSE form')
    .option('--config <file>', 'MockGatewayOptions as JSON (keys, faults, …); flags win over it')
    .action(async (flags: MockCliFlags) => {
      let options: ReturnType<typeof mockOptionsFromFlags>;
      try {
        options = mockOptionsFromFlags(flags);
      } catch (error) {
        throw error instanceof MockCliUsageError ? new CliUsageError(error.message) : error;
      }
      const gateway = await startMockGateway(options);
      for (const line of describeMockGateway(gateway)) io.out(line);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await gateway.close();
    });
}
