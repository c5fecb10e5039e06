/**
 * An SSE line read from its bytes: where it ends, which field it names (`data`, `event`, or one a message
 * stream ignores) and where its value starts — the byte decoder's reading of a line that is not `data:…` or
 * `event:…` as servers write them (those it recognises byte by byte itself).
 * @module
 */

const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;
const DATA = Uint8Array.of(100, 97, 116, 97);
const EVENT = Uint8Array.of(101, 118, 101, 110, 116);

/**
 * Where the first line end (LF or CR) at or after `bytes[start]` is, or -1. A loop: the lines it looks through
 * are the few `readEvent` leaves, and searching a chunk for CRs it does not have would cost more.
 */
export function lineEnd(bytes: Uint8Array, start: number): number {
  const length = bytes.length;
  for (let i = start; i < length; i += 1) {
    const byte = bytes[i];
    if (byte === LF || byte === CR) return i;
  }
  return -1;
}

/** A line's field: one a message stream ignores (`id`, `retry`, unknown), `data` or `event`. */
export const FIELD_OTHER = 0;
/** See `FIELD_OTHER`. */
export const FIELD_DATA = 1;
/** See `FIELD_OTHER`. */
export const FIELD_EVENT = 2;

/** True when `bytes[start, end)` holds the bytes of `other`. */
export function sameBytes(bytes: Uint8Array, start: number, end: number, other: Uint8Array): boolean {
  if (end - start !== other.length) return false;
  for (let i = 0; i < other.length; i += 1) if (bytes[start + i] !== other[i]) return false;
  return true;
}

/** Where a field's value starts: after its colon and one optional space. */
export function valueStart(bytes: Uint8Array, colon: number, end: number): number {
  return colon + 1 < end && bytes[colon + 1] === SPACE ? colon + 2 : colon + 1;
}

/** Where the first colon of the line `bytes[start, end)` is, or `end`. */
function colonIn(bytes: Uint8Array, start: number, end: number): number {
  let colon = start;
  while (colon < end && bytes[colon] !== COLON) colon += 1;
  return colon;
}

/** Where the value of the field line `bytes[start, end)` starts (`end` for a line with no colon: an empty value). */
export function fieldValueStart(bytes: Uint8Array, start: number, end: number): number {
  const colon = colonIn(bytes, start, end);
  return colon < end ? valueStart(bytes, colon, end) : end;
}

/** The field the line `bytes[start, end)` names (the bytes before its first colon, or all of it). */
export function fieldOf(bytes: Uint8Array, start: number, end: number): number {
  const colon = colonIn(bytes, start, end);
  if (sameBytes(bytes, start, colon, DATA)) return FIELD_DATA;
  return sameBytes(bytes, start, colon, EVENT) ? FIELD_EVENT : FIELD_OTHER;
}
