import {
  InternalServerError,
  InvalidRequestError,
  type Message,
  RedirectError,
  StreamError,
} from '@loopguard/messages';
import { expect } from 'vitest';
import { type AttackContext, attackTools, echoError, sentKey, start, streamOf, textStream } from './attack-context.js';
import type { Row } from './bad-input-row.js';

/** The rows. */
export function secretAttackRows(context: AttackContext): Row[] {
  const { via, hi } = attackTools(context);
  return [
    // Secrets: a server echoing the key in every field it controls.
    ...[400, 500].map((status) => ({
      area: 'secret',
      name: `a ${status} echoing the key in code, type, message and x-request-id`,
      run: () => via(echoError(status), (client) => client.create(hi)),
      expected: status === 400 ? InvalidRequestError : InternalServerError,
      code: 'code_[redacted]',
      check: (error: unknown) => expect((error as { requestId: string }).requestId).toBe('req_[redacted]'),
    })),
    {
      area: 'secret',
      name: 'an SSE error event echoing the key',
      run: () =>
        via(
          (response, request) =>
            streamOf([
              start,
              { type: 'error', error: { type: 'api_error', code: `c_${sentKey(request)}`, message: sentKey(request) } },
            ])(response),
          (client) => client.stream(hi).finalMessage(),
        ),
      expected: StreamError,
      code: 'c_[redacted]',
    },
    {
      area: 'secret',
      name: 'a good answer echoing the key in x-request-id (kept, redacted)',
      run: () =>
        via(
          (response, request) => streamOf(textStream('ok'), { 'x-request-id': `req_${sentKey(request)}` })(response),
          (client) => client.stream(hi).finalMessage(),
        ),
      expected: (message) => expect((message as Message).request_id).toBe('req_[redacted]'),
    },
    {
      area: 'secret',
      name: 'a 307 to another origin with x-api-key (refused, nothing sent there)',
      run: () => {
        const before = context.gateway().requests.length;
        return via(
          (response) => {
            response.writeHead(307, { location: `${context.gateway().baseURL}/messages` });
            response.end();
          },
          (client) => client.create(hi),
          { authHeader: 'x-api-key' },
        ).finally(() => expect(context.gateway().requests.length).toBe(before));
      },
      expected: RedirectError,
      code: 'redirect_refused',
    },
  ];
}
