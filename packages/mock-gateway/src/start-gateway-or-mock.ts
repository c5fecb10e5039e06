/**
 * `startGatewayOrMock(options)`: where examples and demos send requests — the real gateway when
 * `LOOPGUARD_API_KEY` is set, otherwise a mock gateway started in-process.
 * @module
 */
import { DEFAULT_MOCK_KEY } from './account/mock-accounts.js';
import { type MockGatewayOptions, startMockGateway } from './start-mock-gateway.js';

/** Where to connect. */
export interface GatewayConnection {
  baseURL: string;
  apiKey: string;
  /** True when this is the embedded mock gateway. */
  mocked: boolean;
  /** Stops the mock gateway (nothing for the real one). */
  close(): Promise<void>;
}

/** The real gateway (env `LOOPGUARD_API_KEY`, `LOOPGUARD_BASE_URL`) or a mock started with `options`. */
export async function startGatewayOrMock(
  options: MockGatewayOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<GatewayConnection> {
  const apiKey = env.LOOPGUARD_API_KEY;
  if (apiKey) {
    return {
      baseURL: env.LOOPGUARD_BASE_URL ?? 'https://api.aivideoapi.ai/v1',
      apiKey,
      mocked: false,
      close: async () => undefined,
    };
  }
  const gateway = await startMockGateway(options);
  const key = options.keys?.[0]?.key ?? DEFAULT_MOCK_KEY;
  return { baseURL: gateway.baseURL, apiKey: key, mocked: true, close: () => gateway.close() };
}
