// Usage rows sent from a parse worker to the main thread in a compact form: per row its tuple key (one string, which
// the aggregator already made), a day index and the counters in one transferable array. The main thread writes them
// without rebuilding row objects: the store turns a key it has seen into its id with one lookup (store/usage-rows.ts).
import { parseTupleKey, tupleKey, type UsageRow } from './usage.js';

/** Numbers per row in `cells`: day index, hits, authFailures, errors, estimated. */
export const PACKED_WIDTH = 5;

export interface PackedRows {
  /** tupleKey(dims) of each row. */
  readonly keys: string[];
  /** The distinct days of the rows. */
  readonly days: string[];
  /** firstSeen and lastSeen of each row. */
  readonly seen: string[];
  readonly cells: Float64Array;
}

export function packRows(rows: readonly UsageRow[]): PackedRows {
  const keys = new Array<string>(rows.length);
  const seen = new Array<string>(2 * rows.length);
  const cells = new Float64Array(PACKED_WIDTH * rows.length);
  const days: string[] = [];
  let lastDay = '';
  let dayIndex = -1;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const day = r.dims.day;
    if (day !== lastDay) {
      dayIndex = days.indexOf(day);
      if (dayIndex < 0) dayIndex = days.push(day) - 1;
      lastDay = day;
    }
    keys[i] = r.key ?? tupleKey(r.dims); // rows not made by an aggregator carry no key
    seen[2 * i] = r.firstSeen;
    seen[2 * i + 1] = r.lastSeen;
    const c = PACKED_WIDTH * i;
    cells[c] = dayIndex;
    cells[c + 1] = r.hits;
    cells[c + 2] = r.authFailures;
    cells[c + 3] = r.errors;
    cells[c + 4] = r.estimated;
  }
  return { keys, days, seen, cells };
}

/** The rows as objects again, dims included (tests, and callers that need the dims). */
export function unpackRows(packed: PackedRows): UsageRow[] {
  const rows: UsageRow[] = [];
  for (let i = 0; i < packed.keys.length; i++) {
    const c = PACKED_WIDTH * i;
    rows.push({
      dims: { day: packed.days[packed.cells[c]], ...parseTupleKey(packed.keys[i]) },
      key: packed.keys[i],
      hits: packed.cells[c + 1],
      authFailures: packed.cells[c + 2],
      errors: packed.cells[c + 3],
      estimated: packed.cells[c + 4] as 0 | 1,
      firstSeen: packed.seen[2 * i],
      lastSeen: packed.seen[2 * i + 1],
    });
  }
  return rows;
}
