/**
 * `keepShape`: holds one instance of a class whose methods run for every chunk or delta of a stream and which
 * every stream makes anew (`PendingEvent`, `KeptText`, `StringPieces`, `BlockParts`, `AttemptClock`), for the
 * life of the process, so that V8 keeps the class's hidden class (its map). V8 keeps a map that optimized code
 * uses for two full collections after the last object of it died — for none in a collection meant to reduce
 * memory, such as those its memory reducer runs once a process goes quiet, as an agent does while it waits for
 * the gateway — then collects it and throws away every function it optimized for it: the next stream runs
 * them unoptimized until V8 compiles them again. Measured by an A/B of two builds (not a bench row), 16 MiB
 * through `client.stream().finalMessage()` right after a forced collection: 93 → 87 ms in 1 KiB chunks (6 %),
 * 67 → 58 ms in 16 KiB chunks (13 %); see docs/benchmarks.md. The kept instances are empty: a few hundred
 * bytes in all.
 * @module
 */

const kept: object[] = [];

/** @internal Keeps `instance` alive for the life of the process (and its class's hidden class with it); returns it. */
export function keepShape<T extends object>(instance: T): T {
  kept.push(instance);
  return instance;
}
