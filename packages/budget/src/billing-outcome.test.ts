import { describe, expect, it } from 'vitest';
import { type BilledAttempt, type BillingRule, type BillingVerdict, billingOutcome } from './billing-outcome.js';

const sent = (fields: Partial<BilledAttempt>): BilledAttempt => ({
  requestSent: true,
  status: undefined,
  errorCode: undefined,
  completed: false,
  ...fields,
});

/** The outcome table of docs/budgets.md, row by row. */
const table: Array<[string, BilledAttempt | undefined, BillingVerdict, BillingRule]> = [
  ['no attempt made (a beforeRequest refused)', undefined, 'not_billed', 'no_attempt'],
  ['aborted before sending', { ...sent({ errorCode: 'aborted' }), requestSent: false }, 'not_billed', 'not_sent'],
  ['connection refused', { ...sent({ errorCode: 'connection_error' }), requestSent: false }, 'not_billed', 'not_sent'],
  ['a whole message', sent({ status: 200, completed: true }), 'billed', 'completed'],
  ['400 invalid_request', sent({ status: 400, errorCode: 'invalid_request' }), 'not_billed', 'client_error'],
  ['401 invalid_api_key', sent({ status: 401, errorCode: 'invalid_api_key' }), 'not_billed', 'client_error'],
  ['402 insufficient_credits', sent({ status: 402, errorCode: 'insufficient_credits' }), 'not_billed', 'client_error'],
  ['404 model_not_found', sent({ status: 404, errorCode: 'model_not_found' }), 'not_billed', 'client_error'],
  ['429 rate_limit_exceeded', sent({ status: 429, errorCode: 'rate_limit_exceeded' }), 'not_billed', 'client_error'],
  ['429 spend_limit_exceeded', sent({ status: 429, errorCode: 'spend_limit_exceeded' }), 'not_billed', 'client_error'],
  ['503 upstream_error (refunded)', sent({ status: 503, errorCode: 'upstream_error' }), 'not_billed', 'refunded'],
  [
    '503 from a proxy (not the refund)',
    sent({ status: 503, errorCode: 'service_unavailable' }),
    'possibly_billed',
    'server_error',
  ],
  ['500 internal_error', sent({ status: 500, errorCode: 'internal_error' }), 'possibly_billed', 'server_error'],
  ['529 overloaded', sent({ status: 529, errorCode: 'overloaded_error' }), 'possibly_billed', 'server_error'],
  ['timeout before the headers', sent({ errorCode: 'headers_timeout' }), 'possibly_billed', 'no_answer'],
  ['reset before the headers', sent({ errorCode: 'connection_error' }), 'possibly_billed', 'no_answer'],
  ['aborted after sending', sent({ errorCode: 'aborted' }), 'possibly_billed', 'no_answer'],
  [
    'stream cut after a 2xx',
    sent({ status: 200, errorCode: 'stream_truncated' }),
    'possibly_billed',
    'answer_broke_off',
  ],
  ['stream idle after a 2xx', sent({ status: 200, errorCode: 'idle_timeout' }), 'possibly_billed', 'answer_broke_off'],
  [
    'a 2xx body that is not a message',
    sent({ status: 200, errorCode: 'invalid_response' }),
    'possibly_billed',
    'answer_broke_off',
  ],
];

describe('billingOutcome, the billing rule by outcome', () => {
  it.each(table)('Should count %s as the table says', (_name, attempt, verdict, rule) => {
    expect(billingOutcome(attempt)).toEqual({ verdict, rule });
  });

  it('Should never call an attempt that was sent and did not end in an error answer anything but billed or possibly billed', () => {
    for (const status of [undefined, 200, 201, 206, 301, 500, 502, 503, 504, 529]) {
      for (const errorCode of [undefined, 'timeout', 'connection_error', 'internal_error']) {
        expect(billingOutcome(sent({ status, errorCode })).verdict).toBe('possibly_billed');
      }
    }
  });
});
