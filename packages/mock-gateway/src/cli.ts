#!/usr/bin/env node
/**
 * `loopguard-mock-gateway --port 8787 [--credits N] [--key sk-…] [--short] [--config file.json]`:
 * starts the mock gateway and prints its base URL (first line), then each key with its credits.
 * `--config` reads `MockGatewayOptions` as JSON (port, keys, faults, streamForm); flags win over it.
 * The port is `--port`, else the config's `port`, else 8787. (`loopguard mock` does the same.)
 * @module
 */
import { parseArgs } from 'node:util';
import { describeMockGateway, MockCliUsageError, mockOptionsFromFlags } from './mock-cli-options.js';
import { startMockGateway } from './start-mock-gateway.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    credits: { type: 'string' },
    key: { type: 'string' },
    short: { type: 'boolean', default: false },
    config: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(
    'Usage: loopguard-mock-gateway [--port 8787] [--credits N] [--key sk-...] [--short] [--config file.json]',
  );
  process.exit(0);
}

let options: ReturnType<typeof mockOptionsFromFlags>;
try {
  options = mockOptionsFromFlags(values);
} catch (error) {
  if (!(error instanceof MockCliUsageError)) throw error;
  console.error(error.message);
  process.exit(2);
}
const gateway = await startMockGateway(options);
for (const line of describeMockGateway(gateway)) console.log(line);
const stop = (): void => {
  void gateway.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
