import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('../test-support/optimized-after-gc.ts', import.meta.url));

describe('keepShape', () => {
  it('Should keep the optimized code of every per-stream class through a full GC once its instances died', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--allow-natives-syntax', '--expose-gc', '--import', 'tsx', child],
      { timeout: 50_000 },
    );
    const results = JSON.parse(stdout) as Record<string, [boolean, boolean]>;
    // The control, whose instances nothing keeps, shows the collection this guards against; the rest are kept.
    expect(results).toEqual({
      Control: [true, false],
      PendingEvent: [true, true],
      KeptText: [true, true],
      StringPieces: [true, true],
      BlockParts: [true, true],
      AttemptClock: [true, true],
    });
  }, 60_000);
});
