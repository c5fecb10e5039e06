/**
 * `pnpm --filter @loopguard/example-official-sdk start`: the official SDK on the mock gateway unless LOOPGUARD_API_KEY is set.
 * @module
 */
import { scriptedModel, startGatewayOrMock } from '@loopguard/mock-gateway';
import { runOfficialSdk } from './official-sdk.js';

const gateway = await startGatewayOrMock({
  model: scriptedModel([
    { text: 'Quantum computers use qubits, which can be 0 and 1 at once.' },
    { text: 'Qubits compute in superposition.' },
  ]),
});
try {
  const { created, streamed } = await runOfficialSdk(gateway);
  console.log(`messages.create: ${created}\nmessages.stream: ${streamed}`);
} finally {
  await gateway.close();
}
