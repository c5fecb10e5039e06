/**
 * The attacks of the hardening issue as rows of the bad-input table: a server echoing the key in every
 * field it controls, redirects to another origin, forged and tampered saved states, broken transcripts,
 * protocol edges and a mock asked for too much. Each row names the typed error (and code) or the value it
 * must give; the table also checks no error holds the key, however it is inspected.
 * @module
 */

import type { AttackContext } from './attack-context.js';
import type { Row } from './bad-input-row.js';
import { protocolAttackRows } from './protocol-attack-rows.js';
import { secretAttackRows } from './secret-attack-rows.js';
import { stateAttackRows } from './state-attack-rows.js';

export type { AttackContext } from './attack-context.js';

/** Every attack row, by area: secrets, saved state and transcripts, protocol edges and the mock. */
export function attackRows(context: AttackContext): Row[] {
  return [...secretAttackRows(context), ...stateAttackRows(context), ...protocolAttackRows(context)];
}
