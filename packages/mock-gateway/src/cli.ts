#!/usr/bin/env node
/**
 * `loopguard-mock-gateway --port 8787 [--credits N] [--key sk-…] [--short] [--config file.json]`:
 * starts the mock gateway and prints its base URL. `--config` reads `MockGatewayOptions` as JSON (keys, faults, streamForm).
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_MOCK_KEY, type MockGatewayOptions, startMockGateway } from './start-mock-gateway.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
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
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer from 0 to 65535; got "${values.port}".`);
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
const stop = (): void => {
  void gateway.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
