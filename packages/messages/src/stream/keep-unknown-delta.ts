/**
 * `keepUnknownDelta`: where the accumulator puts a delta of a type this library does not know.
 * @module
 */

/**
 * Keeps a delta of a type this library does not know on its block, as `block.unknown_deltas`: readable,
 * but not enumerable, so it is never serialised — a transcript sent back carries only protocol fields
 * (and a thinking block stays byte for byte what the server sent).
 */
export function keepUnknownDelta(block: Record<string, unknown>, delta: unknown): void {
  let kept = block.unknown_deltas as unknown[] | undefined;
  if (kept === undefined) {
    kept = [];
    Object.defineProperty(block, 'unknown_deltas', {
      value: kept,
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  kept.push(delta);
}
