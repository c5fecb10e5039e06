/**
 * A second process using a ledger, for tests. `file <path>` or `redis <url> <key>`, then a mode:
 * `spend <credits> <runId>` reserves and settles, prints "spent" and exits; `hang <credits>` reserves, prints
 * "reserved", and waits to be killed.
 * @module
 */
import { fileLedger } from '../file-ledger.js';
import type { Ledger } from '../ledger.js';
import { redisLedger } from '../redis-ledger.js';

const args = process.argv.slice(2);
const kind = args.shift();
const ledger: Ledger =
  kind === 'redis'
    ? redisLedger({ url: args.shift() as string, key: args.shift() as string })
    : fileLedger(args.shift() as string);
const [mode, creditsText, runId = 'child'] = args;
const credits = Number(creditsText);
const now = Date.now();
const id = `child-${process.pid}`;
const result = await ledger.reserve({ id, runId, amount: credits, minimum: credits, now, limits: {} });
if (!result.ok) throw new Error('child reservation refused');
if (mode === 'spend') {
  await ledger.settle(id, credits, now);
  await ledger.close();
  console.log('spent');
} else {
  console.log('reserved');
  setInterval(() => undefined, 1000);
}
