/**
 * `doubled`: a typed array twice as long holding the same values first — how the step table and the event log
 * grow their columns of numbers and kinds when full.
 * @module
 */

/** @internal A copy of `array` twice its length (at least 1), its values first and zeros after. */
export function doubled<Values extends Uint8Array | Float64Array>(array: Values): Values {
  const grown = new (array.constructor as new (length: number) => Values)(Math.max(1, array.length * 2));
  grown.set(array);
  return grown;
}
