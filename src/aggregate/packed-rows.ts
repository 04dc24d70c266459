// Usage rows sent from a parse worker to the main thread in a compact form: each distinct string once, rows as
// indexes into that list. Structured cloning copies every string of every row otherwise, and the main thread's
// heap grew with the input (bench/RESULTS.md, "Memory over more input").
import { DIM_KEYS, type UsageDims, type UsageRow } from '../aggregate/usage.js';

const COUNTERS = 6; // hits, authFailures, errors, estimated, firstSeen, lastSeen
const WIDTH = DIM_KEYS.length + COUNTERS;

export interface PackedRows {
  /** Every distinct string of the rows; index 0 stands for null. */
  readonly strings: (string | null)[];
  /** WIDTH numbers per row: the dims in DIM_KEYS order (string indexes; `internal` as is), then the counters. */
  readonly cells: number[];
}

export function packRows(rows: readonly UsageRow[]): PackedRows {
  const strings: (string | null)[] = [null];
  const index = new Map<string, number>();
  const ref = (s: string | null): number => {
    if (s === null) return 0;
    let i = index.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      index.set(s, i);
    }
    return i;
  };
  const cells: number[] = [];
  for (const r of rows) {
    for (const k of DIM_KEYS) cells.push(k === 'internal' ? r.dims.internal : ref(r.dims[k]));
    cells.push(r.hits, r.authFailures, r.errors, r.estimated, ref(r.firstSeen), ref(r.lastSeen));
  }
  return { strings, cells };
}

export function unpackRows(packed: PackedRows): UsageRow[] {
  const { strings, cells } = packed;
  const text = (i: number): string => strings[i] ?? '';
  const rows: UsageRow[] = [];
  for (let at = 0; at < cells.length; at += WIDTH) {
    const dims: Record<string, unknown> = {};
    DIM_KEYS.forEach((k, j) => {
      dims[k] = k === 'internal' ? cells[at + j] : strings[cells[at + j]];
    });
    const c = at + DIM_KEYS.length;
    rows.push({
      dims: dims as unknown as UsageDims,
      hits: cells[c],
      authFailures: cells[c + 1],
      errors: cells[c + 2],
      estimated: cells[c + 3] as 0 | 1,
      firstSeen: text(cells[c + 4]),
      lastSeen: text(cells[c + 5]),
    });
  }
  return rows;
}
