/**
 * `recordRequest(log, record, limits)`: the mock's `requests[]`, bounded. A long test or a CLI left running
 * must not keep every body it was sent: past `maxRequests` records, or `maxBodyBytes` of recorded bodies,
 * the oldest records go first. Tests that need every request pass `Infinity` for both.
 * @module
 */

/** Records kept at most. @default 1000 */
export const DEFAULT_MAX_RECORDED_REQUESTS = 1000;
/** Bytes of recorded request bodies kept at most. @default 67_108_864 (64 MiB) */
export const DEFAULT_MAX_RECORDED_BYTES = 64 * 1024 * 1024;

/** How much the log keeps. */
export interface RequestLogLimits {
  /** @default DEFAULT_MAX_RECORDED_REQUESTS */
  maxRequests: number;
  /** @default DEFAULT_MAX_RECORDED_BYTES */
  maxBodyBytes: number;
}

/** What the log needs of a record: the size of its body, once read. */
export interface SizedRecord {
  bodyBytes?: number;
}

/** A bounded log: push records with `add`, then `trim` once a record's body size is known. */
export class RequestLog<T extends SizedRecord> {
  readonly #records: T[];
  readonly #limits: RequestLogLimits;
  #bytes = 0;

  constructor(records: T[], limits: Partial<RequestLogLimits> = {}) {
    this.#records = records;
    this.#limits = {
      maxRequests: limits.maxRequests ?? DEFAULT_MAX_RECORDED_REQUESTS,
      maxBodyBytes: limits.maxBodyBytes ?? DEFAULT_MAX_RECORDED_BYTES,
    };
    if (!(this.#limits.maxRequests >= 1)) {
      throw new RangeError(`\`maxRecordedRequests\` must be >= 1 (or Infinity); got ${String(limits.maxRequests)}.`);
    }
    if (!(this.#limits.maxBodyBytes >= 0)) {
      throw new RangeError(`\`maxRecordedBodyBytes\` must be >= 0 (or Infinity); got ${String(limits.maxBodyBytes)}.`);
    }
  }

  /** Adds a record (its body not read yet). */
  add(record: T): void {
    this.#records.push(record);
    this.trim();
  }

  /** Sets the size of a record's body and drops the oldest records past the limits. */
  sized(record: T, bytes: number): void {
    record.bodyBytes = bytes;
    if (this.#records.includes(record)) this.#bytes += bytes;
    this.trim();
  }

  /** Drops the oldest records (never the newest) until both limits hold. */
  trim(): void {
    const records = this.#records;
    let drop = 0;
    while (
      records.length - drop > 1 &&
      (records.length - drop > this.#limits.maxRequests || this.#bytes > this.#limits.maxBodyBytes)
    ) {
      this.#bytes -= records[drop]?.bodyBytes ?? 0;
      drop += 1;
    }
    if (drop > 0) records.splice(0, drop);
  }
}
