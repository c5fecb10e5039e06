/**
 * `LoopguardErrorCode`: every code loopguard's own errors carry, as one union (open to the codes a server or
 * another package sends). The gateway's codes keep the gateway's names; errors made locally, before anything
 * is sent, have their own (`invalid_option`, `invalid_params`), never a gateway code.
 * @module
 */

/** The codes of the gateway's error table (an `APIError` may also carry a code the server made up). */
export type GatewayErrorCode =
  | 'invalid_request'
  | 'invalid_api_key'
  | 'insufficient_credits'
  | 'ip_not_allowed'
  | 'model_not_found'
  | 'task_not_found'
  | 'not_found'
  | 'rate_limit_exceeded'
  | 'spend_limit_exceeded'
  | 'internal_error'
  | 'upstream_error'
  | 'thread_not_found';

/** The codes of failures on the way: the connection, a time limit, the stream, the body, the caller. */
export type TransportErrorCode =
  | 'connection_error'
  | 'headers_timeout'
  | 'idle_timeout'
  | 'timeout'
  | 'stream_truncated'
  | 'malformed_event'
  | 'empty_stream'
  | 'invalid_response'
  | 'response_too_large'
  | 'redirect_refused'
  | 'aborted';

/** The codes of errors raised before anything is sent. */
export type LocalErrorCode =
  | 'invalid_option'
  | 'invalid_params'
  | 'missing_api_key'
  | 'invalid_api_key_format'
  | 'unknown_model_price'
  | 'invalid_tool_input'
  | 'context_window_exceeded';

/** Any code a `LoopguardError` carries: the known ones above, or another package's (`budget_exceeded`, …). */
export type LoopguardErrorCode = GatewayErrorCode | TransportErrorCode | LocalErrorCode | (string & {});
