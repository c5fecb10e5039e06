/**
 * `billReply(context, account, message)`: charges an account the exact cost of a message, once the reply is
 * made — as a gateway bills the work done even when the answer never reaches the client.
 * @module
 */
import type { Message } from '@loopguard/messages';
import type { MockAccount } from '../account/mock-account.js';
import { creditsFor } from '../account/pricing.js';
import type { GatewayContext } from '../gateway-context.js';

/** Charges `account` for `message`'s usage; returns the credits charged, unrounded. */
export function billReply(context: GatewayContext, account: MockAccount, message: Message): number {
  const cost = creditsFor(message.usage.input_tokens, message.usage.output_tokens);
  account.charge(cost, context.now());
  return cost;
}
