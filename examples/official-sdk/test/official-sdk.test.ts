import { scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { describe, expect, it } from 'vitest';
import { runOfficialSdk } from '../src/official-sdk.js';

describe('example: official-sdk', () => {
  it('Should run the official SDK against the mock gateway with the seed baseURL', async () => {
    const gateway = await startMockGateway({
      model: scriptedModel([{ text: 'first answer' }, { text: 'second answer' }]),
    });
    try {
      expect(await runOfficialSdk({ baseURL: gateway.baseURL, apiKey: 'sk-local-test' })).toEqual({
        created: 'first answer',
        streamed: 'second answer',
      });
      expect(gateway.requests.map((r) => r.path)).toEqual(['/v1/v1/messages', '/v1/v1/messages']);
    } finally {
      await gateway.close();
    }
  });
});
