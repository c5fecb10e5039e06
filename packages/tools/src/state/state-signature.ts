/**
 * Signed agent states: `signAgentState(state, secret)` adds an HMAC-SHA256 (`node:crypto`) of the state's
 * canonical JSON (keys sorted, `signature` left out); `verifyAgentState` recomputes it and compares in
 * constant time. A state edited outside the process — an approval forged, a transcript or usage changed —
 * no longer verifies, and `resumeAgent` refuses it.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from '@loopguard/messages';
import type { AgentState } from '../agent/agent-types.js';

/** The prefix of a signature: algorithm and version of the canonical form. */
export const STATE_SIGNATURE_PREFIX = 'hmac-sha256:v1:';

/** Shortest secret accepted, in bytes. @default 16 */
export const MIN_STATE_SECRET_BYTES = 16;

/** A secret to sign states with: a string (UTF-8) or bytes, at least {@link MIN_STATE_SECRET_BYTES} long. */
export type StateSecret = string | Uint8Array;

/** JSON with object keys sorted at every level; `undefined` fields left out, as `JSON.stringify` does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Checks a secret; throws `ConfigurationError` naming `stateSecret`. */
export function checkStateSecret(secret: unknown): Buffer {
  const bytes =
    typeof secret === 'string'
      ? Buffer.from(secret, 'utf8')
      : secret instanceof Uint8Array
        ? Buffer.from(secret)
        : undefined;
  if (bytes === undefined || bytes.length < MIN_STATE_SECRET_BYTES) {
    throw new ConfigurationError(
      `\`stateSecret\` must be a string or bytes of at least ${MIN_STATE_SECRET_BYTES} bytes (e.g. crypto.randomBytes(32)); it is not shown.`,
      { code: 'invalid_option' },
    );
  }
  return bytes;
}

function digest(state: AgentState, secret: StateSecret): string {
  const { signature: _signature, ...signed } = state;
  return createHmac('sha256', checkStateSecret(secret)).update(canonicalJson(signed)).digest('hex');
}

/** A copy of `state` carrying `signature`, the HMAC-SHA256 of the rest under `secret`. */
export function signAgentState(state: AgentState, secret: StateSecret): AgentState {
  return { ...state, signature: `${STATE_SIGNATURE_PREFIX}${digest(state, secret)}` };
}

/** True when `state.signature` is the HMAC of the rest of `state` under `secret` (constant-time compare). */
export function verifyAgentState(state: AgentState, secret: StateSecret): boolean {
  const signature = state.signature;
  if (typeof signature !== 'string' || !signature.startsWith(STATE_SIGNATURE_PREFIX)) return false;
  const expected = Buffer.from(digest(state, secret), 'hex');
  const given = Buffer.from(signature.slice(STATE_SIGNATURE_PREFIX.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
