/**
 * The mock gateway's command-line options, shared by `loopguard-mock-gateway` and `loopguard mock`: flags
 * (and a JSON config) to `MockGatewayOptions`, and the lines that tell a user where the gateway is.
 * @module
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_MOCK_KEY } from './account/mock-accounts.js';
import type { MockGateway, MockGatewayOptions } from './start-mock-gateway.js';

/** The flags both CLIs accept, as strings the way a command line gives them. */
export interface MockCliFlags {
  port?: string | undefined;
  credits?: string | undefined;
  key?: string | undefined;
  short?: boolean | undefined;
  /** A JSON file of `MockGatewayOptions`; flags win over it. */
  config?: string | undefined;
}

/** A flag that cannot be used: the CLIs print `message` and exit with status 2 (a usage error). */
export class MockCliUsageError extends Error {
  override name = 'MockCliUsageError';
}

/** The default port of the mock gateway's CLIs. */
export const DEFAULT_MOCK_PORT = 8787;

/**
 * Turns flags into gateway options: the config file's options, then `--port` (else the config's `port`, else
 * 8787), `--short` (the short SSE form), `--key` / `--credits` (one account; 1,000 credits by default).
 * Throws `MockCliUsageError` naming the flag for a bad port, credits or config file.
 */
export function mockOptionsFromFlags(flags: MockCliFlags): MockGatewayOptions {
  let options: MockGatewayOptions = {};
  if (flags.config !== undefined) {
    try {
      options = JSON.parse(readFileSync(flags.config, 'utf8')) as MockGatewayOptions;
    } catch (error) {
      throw new MockCliUsageError(`--config: cannot read "${flags.config}" as JSON (${(error as Error).message}).`);
    }
  }
  const port = flags.port !== undefined ? Number(flags.port) : (options.port ?? DEFAULT_MOCK_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new MockCliUsageError(
      `--port (or the config's "port") must be an integer from 0 to 65535; got "${flags.port ?? options.port}".`,
    );
  options.port = port;
  if (flags.short) options.streamForm = 'short';
  if (flags.credits !== undefined || flags.key !== undefined) {
    const credits = flags.credits === undefined ? 1000 : Number(flags.credits);
    if (!Number.isFinite(credits)) throw new MockCliUsageError(`--credits must be a number; got "${flags.credits}".`);
    options.keys = [{ key: flags.key ?? DEFAULT_MOCK_KEY, credits }];
  }
  return options;
}

/** What the CLIs print once the gateway listens: its base URL first, then each key with its credits. */
export function describeMockGateway(gateway: MockGateway): string[] {
  return [
    gateway.baseURL,
    ...[...gateway.accounts.values()].map((account) => `API key: ${account.key} (${account.credits} credits)`),
    'Point a client at it with { baseURL, apiKey } above (e.g. LOOPGUARD_BASE_URL and LOOPGUARD_API_KEY).',
  ];
}
