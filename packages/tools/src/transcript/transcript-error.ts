/**
 * `TranscriptError`: a transcript breaks a rule of the protocol that cannot be repaired without guessing
 * (a tool_result that answers no call, results out of order, a malformed thinking block…). Thrown before
 * anything is sent or run; the message names the message and block.
 * @module
 */
import { ConfigurationError } from '@loopguard/messages';

/** A transcript the loop refuses to send. `path` names the place (`messages.3.content.1`). Code `invalid_transcript`. */
export class TranscriptError extends ConfigurationError {
  override name = 'TranscriptError';
  /** Where the problem is, e.g. `messages.3.content.1`. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`, { code: 'invalid_transcript' });
    this.path = path;
  }
}
