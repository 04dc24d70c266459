// `merge` of Entra ID sign-ins: each counts once across databases, by its id. The source's entra_signins (schema 11:
// each id with its usage row's merge key, its second of the day and whether it failed) are taken day by day: an id
// this database already has (its own scans, an earlier merge) adds nothing; a new one adds a hit to its row and is
// kept here with the same columns, so this database can be merged on in turn. Overlapping exports scanned into two
// databases, and one database merged twice, count each sign-in once.
import { rowKey } from '../aggregate/merge-key.js';
import type { UsageRow } from '../aggregate/usage.js';
import { dimsOfColumns, type UsageTableRow } from '../aggregate/usage-dims.js';
import type { Db } from '../store/open-database.js';
import { dayNumber, dayOfNumber } from '../store/signin-ledger.js';
import type { Store } from '../store/store.js';
import { timeText } from '../store/usage-by-key.js';

/** False when the source holds ids without their row (counted before schema 11): its sign-in rows merge by counts. */
export function signInsByIds(src: Db): boolean {
  return src.prepare(`SELECT 1 FROM entra_signins WHERE row_key IS NULL LIMIT 1`).get() === undefined;
}

interface StoredSignIn {
  readonly day: number;
  readonly key: Buffer;
  readonly row_key: Buffer;
  readonly second: number | null;
  readonly failed: number;
}

export interface SignInMerge {
  /** Usage rows that got sign-ins, and the sign-ins added. */
  rows: number;
  hits: number;
  /** New sign-ins whose row the source no longer has (renamed by an older tls-census): not added. */
  unmatched: number;
}


/**
 * Adds the source's sign-ins this database has not counted, with their usage rows; inside the merge's transaction.
 * `only`: the days to read (merge.ts, changedDays), null for all.
 */
export function mergeSignIns(central: Db, src: Db, store: Store, prunedBefore: string, only: readonly string[] | null = null): SignInMerge {
  const has = central.prepare<[number, Buffer], unknown>(`SELECT 1 FROM entra_signins WHERE day = ? AND key = ?`);
  const insert = central.prepare(`INSERT OR IGNORE INTO entra_signins (day, key, row_key, second, failed) VALUES (?, ?, ?, ?, ?)`);
  const idsOf = src.prepare<[number], StoredSignIn>(`SELECT day, key, row_key, second, failed FROM entra_signins WHERE day = ?`);
  const rowsOf = src.prepare<[string], UsageTableRow>(`SELECT * FROM usage WHERE source = 'entra-signin' AND day = ?`);
  const from = prunedBefore === '' ? Number.MIN_SAFE_INTEGER : dayNumber(prunedBefore);
  const wanted = only === null ? null : new Set(only.map(dayNumber));
  const days = src.prepare<[number], number>(`SELECT DISTINCT day FROM entra_signins WHERE day >= ? ORDER BY day`).pluck().all(from)
    .filter((n) => wanted === null || wanted.has(n));
  const out: SignInMerge = { rows: 0, hits: 0, unmatched: 0 };
  for (const n of days) {
    // one day's new ids at a time, by the row they were counted in
    const byRow = new Map<string, StoredSignIn[]>();
    for (const s of idsOf.all(n)) {
      if (has.get(s.day, s.key) !== undefined) continue;
      const k = s.row_key.toString('base64');
      const list = byRow.get(k);
      if (list === undefined) byRow.set(k, [s]);
      else list.push(s);
    }
    if (byRow.size === 0) continue;
    const day = dayOfNumber(n);
    for (const r of rowsOf.all(day)) {
      const k = rowKey(r).toString('base64');
      const ids = byRow.get(k);
      if (ids === undefined) continue;
      byRow.delete(k);
      let first = Infinity;
      let last = -Infinity;
      for (const s of ids) {
        first = Math.min(first, s.second ?? 0);
        last = Math.max(last, s.second ?? 0);
      }
      const row: UsageRow = {
        dims: dimsOfColumns(r), hits: ids.length, authFailures: ids.filter((s) => s.failed).length, errors: 0, estimated: 0,
        firstSeen: timeText(first, day), lastSeen: timeText(last, day),
      };
      store.writeRows([row]);
      for (const s of ids) insert.run(s.day, s.key, s.row_key, s.second, s.failed);
      out.rows++;
      out.hits += ids.length;
    }
    for (const ids of byRow.values()) out.unmatched += ids.length;
  }
  return out;
}
