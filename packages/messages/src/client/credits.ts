/**
 * Reads a credits balance leniently: the gateway's `GET /credits` body shape is not documented.
 * @module
 */
import { InvalidResponseError } from '../errors/errors.js';

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** The balance in a `/credits` body: a numeric `credits`, `balance`, `data.credits` or `data.balance`. */
export function readCredits(body: string, requestId?: string): { credits: number; raw: unknown } {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new InvalidResponseError('The /credits response is not JSON.', { code: 'invalid_response', requestId });
  }
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const data = (typeof record.data === 'object' && record.data !== null ? record.data : {}) as Record<string, unknown>;
  const credits =
    asNumber(record.credits) ??
    asNumber(record.balance) ??
    asNumber(data.credits) ??
    asNumber(data.balance) ??
    asNumber(raw);
  if (credits === undefined) {
    throw new InvalidResponseError(
      'The /credits response has no numeric `credits`, `balance` or `data.credits` field.',
      { code: 'invalid_response', requestId },
    );
  }
  return { credits, raw };
}
