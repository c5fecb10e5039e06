/**
 * A process contending for a file lock, for tests: `count <lockPath> <dir> <rounds>` takes the lock `rounds`
 * times and, holding it, claims `<dir>/inside` (failing loudly if another live holder has it) and adds one to
 * `<dir>/counter`; prints "done". `hold <lockPath>` takes the lock, prints "holding" and waits to be killed.
 * @module
 */
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive, withFileLock } from '../file-lock.js';

const [mode, lockPath = '', dir = '', roundsText = '0'] = process.argv.slice(2);

function claimInside(): void {
  const marker = join(dir, 'inside');
  try {
    const fd = openSync(marker, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
  } catch {
    const owner = Number(readFileSync(marker, 'utf8'));
    // A holder killed inside the lock leaves its marker behind; a live one means two holders at once.
    if (isProcessAlive(owner)) {
      console.log(`violation: pid ${owner} is inside too`);
      process.exit(3);
    }
    writeFileSync(marker, String(process.pid));
  }
}

if (mode === 'hold') {
  await withFileLock(lockPath, () => {
    console.log('holding');
    // Never returns: the test kills this process while it holds the lock.
    const until = Date.now() + 120_000;
    while (Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  });
} else {
  for (let round = 0; round < Number(roundsText); round += 1) {
    await withFileLock(
      lockPath,
      () => {
        claimInside();
        const counter = join(dir, 'counter');
        let value = 0;
        try {
          value = Number(readFileSync(counter, 'utf8'));
        } catch {
          value = 0;
        }
        writeFileSync(counter, String(value + 1));
        rmSync(join(dir, 'inside'));
      },
      60_000,
    );
  }
  console.log('done');
}
