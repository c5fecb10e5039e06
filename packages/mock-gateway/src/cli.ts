#!/usr/bin/env node
/**
 * `loopguard-mock-gateway --port 8787 [--credits N] [--key sk-…] [--short] [--config file.json]`:
 * starts the mock gateway and prints its base URL (first line), then each key with its credits.
 * `--config` reads `MockGatewayOptions` as JSON (port, keys, faults, streamForm); flags win over it.
 * The port is `--port`, else the config's `port`, else 8787.
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_MOCK_KEY, type MockGatewayOptions, startMockGateway } from './start-mock-gateway.js';

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

const options: MockGatewayOptions = values.config
  ? (JSON.parse(readFileSync(values.config, 'utf8')) as MockGatewayOptions)
  : {};
const port = values.port !== undefined ? Number(values.port) : (options.port ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    `--port (or the config's "port") must be an integer from 0 to 65535; got "${values.port ?? options.port}".`,
  );
  process.exit(2);
}
options.port = port;
if (values.short) options.streamForm = 'short';
if (values.credits !== undefined || values.key !== undefined) {
  const credits = values.credits === undefined ? 1000 : Number(values.credits);
  if (!Number.isFinite(credits)) {
    console.error(`--credits must be a number; got "${values.credits}".`);
    process.exit(2);
  }
  options.keys = [{ key: values.key ?? DEFAULT_MOCK_KEY, credits }];
}
const gateway = await startMockGateway(options);
console.log(gateway.baseURL);
for (const account of gateway.accounts.values()) {
  console.log(`API key: ${account.key} (${account.credits} credits)`);
}
console.log('Point a client at it with { baseURL, apiKey } above (e.g. LOOPGUARD_BASE_URL and LOOPGUARD_API_KEY).');
const stop = (): void => {
  void gateway.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
