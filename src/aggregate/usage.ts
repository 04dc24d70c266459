// In-memory aggregation of log events into usage rows (one per distinct key), drained to storage in batches.
// Knows nothing of formats or SQLite; parse workers send these rows to the main thread, which writes them.

import { DIM_KEYS, type DimKey, type UsageDims } from './usage-dims.js';

export { DIM_KEYS, usageDims, type UsageDims } from './usage-dims.js';

export interface UsageRow {
  readonly dims: UsageDims;
  /** tupleKey(dims), when the aggregator made the row: the store's key cache reads it, not the dims. */
  readonly key?: string;
  hits: number;
  authFailures: number;
  errors: number;
  estimated: 0 | 1;
  firstSeen: string; // ISO 8601 UTC
  lastSeen: string;
}

/** Unique text key of a row: values joined by U+001F, null as U+0000 (neither occurs in logged values). */
export function dimsKey(d: UsageDims): string {
  let key = '';
  for (const k of DIM_KEYS) {
    const v = d[k];
    key += (v === null ? '\u0000' : String(v)) + '\u001f';
  }
  return key;
}

// The dimension tuple of a row without its day, as one string: what parse workers send for each row and what the
// store's key table caches (one integer per distinct tuple). Exact and reversible for any value.

/** Every dimension but `day`, in key order: the order of the parts of a tuple string. */
export const TUPLE_DIMS = DIM_KEYS.filter((k): k is Exclude<DimKey, 'day'> => k !== 'day');

export type TupleDims = Omit<UsageDims, 'day'>;

const SEP = '\u001f';
const NULL = '\u0000';
/** U+0000, U+0001 and U+001F inside a value are escaped after U+0001, so no value can fake a separator or a null. */
const escape = (v: string): string => v.replace(/[\u0000\u0001\u001f]/g, (c) => `\u0001${String.fromCharCode(c.charCodeAt(0) + 0x30)}`);
const unescape = (v: string): string => v.replace(/\u0001([\u0030\u0031\u004f])/g, (_, c: string) => String.fromCharCode(c.charCodeAt(0) - 0x30));

/** True when `v` holds U+0000, U+0001 or U+001F (a loop: cheaper than a regular expression on these short values). */
function hasSpecial(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c <= 0x1f && (c <= 1 || c === 0x1f)) return true;
  }
  return false;
}

/** One value as a part of a tuple string. */
export const tuplePart = (v: string | number | null): string =>
  v === null ? NULL : typeof v === 'number' ? String(v) : hasSpecial(v) ? escape(v) : v;

/** The parts of a tuple being made: joined at once, the string is flat (a `+=` chain would keep every piece alive). */
const parts: string[] = TUPLE_DIMS.map(() => '');

/**
 * The tuple string of `d` (its day left out): values joined by U+001F, null as U+0000, `internal` as a number. The
 * dimensions are read by name in TUPLE_DIMS order (a test holds the two equal): read in a loop by a computed name,
 * each read was a generic lookup, which cost Exchange sessions more than the rest of their row (measured).
 */
export function tupleKey(d: UsageDims | TupleDims): string {
  const p = parts;
  p[0] = tuplePart(d.source);
  p[1] = tuplePart(d.server);
  p[2] = tuplePart(d.site);
  p[3] = tuplePart(d.clientIp);
  p[4] = tuplePart(d.proxyIp);
  p[5] = tuplePart(d.username);
  p[6] = tuplePart(d.userAgent);
  p[7] = tuplePart(d.endpoint);
  p[8] = tuplePart(d.protocol);
  p[9] = tuplePart(d.protocolCode);
  p[10] = tuplePart(d.cipher);
  p[11] = tuplePart(d.cipherCode);
  p[12] = tuplePart(d.hash);
  p[13] = tuplePart(d.hashCode);
  p[14] = tuplePart(d.keyExchange);
  p[15] = tuplePart(d.keyExchangeCode);
  p[16] = tuplePart(d.detail);
  p[17] = tuplePart(d.internal);
  return p.join(SEP);
}

/** The parts of a tuple string made by tupleKey, one per TUPLE_DIMS entry, as tuplePart wrote them. */
export function tupleParts(key: string): string[] {
  const parts = key.split(SEP);
  if (parts.length !== TUPLE_DIMS.length) throw new Error(`not a usage key: ${parts.length} parts`);
  return parts;
}

const INTERNAL_AT = TUPLE_DIMS.indexOf('internal');

/** The value of part `i` of a tuple string (the inverse of tuplePart for TUPLE_DIMS[i]). */
export const partValue = (i: number, v: string): string | number | null =>
  i === INTERNAL_AT ? Number(v) : v === NULL ? null : v.includes('\u0001') ? unescape(v) : v;

/** The dimensions of a tuple string made by tupleKey. */
export function parseTupleKey(key: string): TupleDims {
  const parts = tupleParts(key);
  const out: Record<string, string | number | null> = {};
  for (let i = 0; i < TUPLE_DIMS.length; i++) out[TUPLE_DIMS[i]] = partValue(i, parts[i]);
  return out as unknown as TupleDims;
}

export function touch(row: UsageRow, ts: string): void {
  if (row.firstSeen === '' || ts < row.firstSeen) row.firstSeen = ts;
  if (ts > row.lastSeen) row.lastSeen = ts;
}

/**
 * Estimated bytes of rows a session gathers before it hands them on as a batch, besides the row limit: a parse
 * worker's memory, and what a batch costs to copy to the main thread, stay bounded whatever the number of keys.
 */
export const BATCH_BYTES = 16 << 20;

/** What a row held by an aggregator costs in memory besides its tuple's characters (row, dims, map entries). */
export const ROW_OVERHEAD_BYTES = 400;

/**
 * A row made by an aggregator: its tuple string and day, not the dims object it was made from (a parse worker needs
 * only those, and a row held in a batch does not keep the dims and the strings their values were cut from alive).
 * `dims` is read back from the tuple string by whoever asks (the store, for a key it has not seen; tests).
 */
export class KeyedRow implements UsageRow {
  hits = 0;
  authFailures = 0;
  errors = 0;
  estimated: 0 | 1 = 0;
  firstSeen = '';
  lastSeen = '';

  constructor(
    readonly key: string,
    readonly day: string,
  ) {}

  get dims(): UsageDims {
    return { day: this.day, ...parseTupleKey(this.key) };
  }
}

/** The day of a row, without making the dims of a KeyedRow. */
export const rowDay = (r: UsageRow): string => (r instanceof KeyedRow ? r.day : r.dims.day);

export class UsageAggregator {
  /** Rows by tuple key; a tuple's rows of other days than the first in `others`, by day and tuple. */
  private rows = new Map<string, KeyedRow>();
  private others = new Map<string, KeyedRow>();
  /** Every row, in the order it was made (the order drain() hands them out, and keys are first stored in). */
  private order: KeyedRow[] = [];
  private held = 0;
  /** Bumped by drain(): callers that cache rows must drop their cache when it changes. */
  generation = 0;

  get size(): number {
    return this.order.length;
  }

  /** Estimated bytes of memory the rows hold: sessions flush at a byte bound whatever the number of keys. */
  get bytes(): number {
    return this.held;
  }

  /** The row for these dims, created with zero counts when new. */
  row(dims: UsageDims): UsageRow {
    const tuple = tupleKey(dims);
    const first = this.rows.get(tuple);
    if (first !== undefined) {
      if (first.day === dims.day) return first;
      const other = this.others.get(dims.day + SEP + tuple);
      if (other !== undefined) return other;
    }
    const row = new KeyedRow(tuple, dims.day);
    if (first === undefined) this.rows.set(tuple, row);
    else this.others.set(dims.day + SEP + tuple, row);
    this.order.push(row);
    this.held += ROW_OVERHEAD_BYTES + 2 * tuple.length;
    return row;
  }

  add(dims: UsageDims, ts: string, hits = 1, authFailures = 0, errors = 0): UsageRow {
    const row = this.row(dims);
    row.hits += hits;
    row.authFailures += authFailures;
    row.errors += errors;
    touch(row, ts);
    return row;
  }

  /** Hands out every row, in the order they were made, and starts empty. */
  drain(): UsageRow[] {
    const out = this.order;
    this.rows = new Map();
    this.others = new Map();
    this.order = [];
    this.held = 0;
    this.generation++;
    return out;
  }
}
