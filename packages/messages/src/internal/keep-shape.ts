/**
 * `keepShape`: holds one instance of a class that every stream makes anew, for the life of the process, so
 * that V8 keeps the class's hidden class (its map). V8 collects a map once no object of it is alive, and
 * with it throws away every function it optimized for that map. A full garbage collection while no stream
 * is open (V8 runs one when the old generation grows, and its memory reducer runs some once a process goes
 * quiet — as an agent does while it waits for the gateway) would leave the next stream to run unoptimized
 * until V8 compiled its hot functions again: about 7 % of a 16 MiB stream read in 1 KiB or 16 KiB chunks
 * right after such a collection (docs/benchmarks.md). The kept instances are empty: a few hundred bytes in all.
 * @module
 */

const kept: object[] = [];

/** @internal Keeps `instance` alive for the life of the process (and its class's hidden class with it); returns it. */
export function keepShape<T extends object>(instance: T): T {
  kept.push(instance);
  return instance;
}
