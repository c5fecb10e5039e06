/**
 * A second process using a file ledger, for tests: `spend <path> <credits> <runId>` reserves and settles;
 * `hang <path> <credits>` reserves, prints "reserved", and waits to be killed.
 * @module
 */
import { fileLedger } from '../file-ledger.js';

const [mode, path, creditsText, runId = 'child'] = process.argv.slice(2);
const credits = Number(creditsText);
const ledger = fileLedger(path as string);
const now = Date.now();
const result = await ledger.reserve({
  id: `child-${process.pid}`,
  runId,
  amount: credits,
  minimum: credits,
  now,
  limits: {},
});
if (!result.ok) throw new Error('child reservation refused');
if (mode === 'spend') {
  await ledger.settle(`child-${process.pid}`, credits, now);
  console.log('spent');
} else {
  console.log('reserved');
  setInterval(() => undefined, 1000);
}
