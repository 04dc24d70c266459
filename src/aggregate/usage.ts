// In-memory aggregation of log events into usage rows (one per distinct key), drained to storage in batches.
// Knows nothing of formats or SQLite; parse workers send these rows to the main thread, which writes them.

import { DIM_KEYS, type UsageDims } from './usage-dims.js';

export { DIM_KEYS, usageDims, type UsageDims } from './usage-dims.js';

export interface UsageRow {
  readonly dims: UsageDims;
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

export function touch(row: UsageRow, ts: string): void {
  if (row.firstSeen === '' || ts < row.firstSeen) row.firstSeen = ts;
  if (ts > row.lastSeen) row.lastSeen = ts;
}

export class UsageAggregator {
  private rows = new Map<string, UsageRow>();
  /** Bumped by drain(): callers that cache rows must drop their cache when it changes. */
  generation = 0;

  get size(): number {
    return this.rows.size;
  }

  /** The row for these dims, created with zero counts when new. */
  row(dims: UsageDims): UsageRow {
    const key = dimsKey(dims);
    let row = this.rows.get(key);
    if (!row) {
      row = { dims, hits: 0, authFailures: 0, errors: 0, estimated: 0, firstSeen: '', lastSeen: '' };
      this.rows.set(key, row);
    }
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

  /** Hands out every row and starts empty. */
  drain(): UsageRow[] {
    const out = [...this.rows.values()];
    this.rows = new Map();
    this.generation++;
    return out;
  }
}
