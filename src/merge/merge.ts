// `merge`: adds another tls-census database's usage into this one, exactly and idempotently. Per source database
// (its meta.database_id) a snapshot of every usage row already merged is kept (merge_rows: key hash and counts),
// so a merge adds only the difference: the same database twice adds nothing, a newer copy adds only what is new.
// Entra ID sign-ins are merged by their ids instead (merge-signins.ts), so that each counts once across databases.
// A database merged before is read only on the days its runs wrote since (changedDays): every other row is as the
// last merge read it.
import { rowKey } from '../aggregate/merge-key.js';
import type { UsageRow } from '../aggregate/usage.js';
import { dimsOfColumns } from '../aggregate/usage-dims.js';
import { CensusError } from '../errors.js';
import { openDatabase, type Db } from '../store/open-database.js';
import { Store } from '../store/store.js';
import { databaseId, metaValue } from '../store/meta.js';
import { mergeSignIns, signInsByIds } from './merge-signins.js';
import { sourceRows } from './source-rows.js';

export interface MergeResult {
  readonly path: string;
  readonly databaseId: string;
  readonly firstTime: boolean;
  /** Usage rows of this database whose counts changed since the last merge. */
  readonly rowsChanged: number;
  /** Net hits added. */
  readonly hits: number;
  /** Rows older than the last prune, left out. */
  readonly prunedRows: number;
  /** Log files the source read that this database also read itself (their hits are counted twice). */
  readonly overlappingFiles: number;
  /** New Entra ID sign-ins whose usage row the source no longer has: not added (see merge-signins.ts). */
  readonly unmatchedSignIns: number;
  /** The days read (changedDays), or null when every row was read. */
  readonly daysRead: number | null;
  /** Every day this merge wrote usage rows on in this database (for the run's end: Runs.finish). */
  readonly writtenDays: ReadonlySet<string>;
}

function openSource(path: string): Db {
  const src = openDatabase(path, { readonly: true });
  const hasMeta = src.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).get();
  if (!hasMeta) {
    const v = src.pragma('user_version', { simple: true }) as number;
    src.close();
    throw new CensusError('DB_OPEN_FAILED', `${path} has schema version ${v}, without a database id: ` +
      `run this tls-census once on it (e.g. "tls-census scan <logs> --db ${path}") before merging it`);
  }
  return src;
}

/**
 * `runId`: the run record (table scans) that counts this merge, updated in the same transaction. `everyRow`: read
 * every row of the source even when it was merged before (`merge --full`).
 */
export function mergeDatabase(central: Db, path: string, now: Date, runId?: number, everyRow = false): MergeResult {
  const src = openSource(path);
  try {
    const srcId = databaseId(src);
    if (srcId === databaseId(central)) {
      throw new CensusError('USAGE', `${path} is this database (or a copy of it): database id ${srcId}`);
    }
    checkOverlap(central, src, srcId, path);
    const lastScan = src
      .prepare<[], { id: number; started: string }>(`SELECT id, started FROM scans ORDER BY id DESC LIMIT 1`)
      .get();
    const stats = src
      .prepare<[], { files: number; lines: number | null; bad: number | null }>(
        `SELECT count(*) AS files, sum(lines) AS lines, sum(bad_lines) AS bad FROM files WHERE status = 'read'`,
      )
      .get() ?? { files: 0, lines: 0, bad: 0 };
    const includes = src.prepare(`SELECT database_id FROM merge_sources ORDER BY database_id`).pluck().all() as string[];
    const byIds = signInsByIds(src);
    const overlappingFiles = countOverlap(central, src, byIds);
    const apply = central.transaction((): MergeResult => {
      const existing = central
        .prepare<[string], { id: number; last_scan_id: number | null; last_scan_started: string | null }>(
          `SELECT id, last_scan_id, last_scan_started FROM merge_sources WHERE database_id = ?`,
        )
        .get(srcId);
      if (existing?.last_scan_id != null) checkLineage(src, existing.last_scan_id, existing.last_scan_started, path);
      const sourceId = existing?.id ?? Number(central
        .prepare(`INSERT INTO merge_sources (database_id, path, first_merged, last_merged) VALUES (?, ?, ?, ?)`)
        .run(srcId, path, now.toISOString(), now.toISOString()).lastInsertRowid);
      const days = everyRow ? null : changedDays(src, existing?.last_scan_id ?? null);
      const counted = applyRows(central, src, sourceId, byIds, days);
      central
        .prepare(`UPDATE merge_sources SET path = ?, last_merged = ?, last_scan_id = ?, last_scan_started = ?, files = ?,
          lines = ?, bad_lines = ?, includes = ? WHERE id = ?`)
        .run(path, now.toISOString(), lastScan?.id ?? null, lastScan?.started ?? null, stats.files, stats.lines ?? 0,
          stats.bad ?? 0, JSON.stringify(includes), sourceId);
      if (runId !== undefined) {
        central.prepare(`UPDATE scans SET files = files + 1, records = records + ? WHERE id = ?`).run(counted.hits, runId);
      }
      return { path, databaseId: srcId, firstTime: existing === undefined, overlappingFiles, ...counted, daysRead: days?.length ?? null };
    });
    return apply.immediate();
  } finally {
    src.close();
  }
}

/**
 * The days whose usage rows may differ from what the last merge read, or null (read every row). Every change to a
 * usage row but a delete goes through UsageRowWriter, which records its day (its `days`), so only those days can:
 * a row no run wrote since is as that merge read it, and a row deleted since (an Exchange Online report imported
 * again, a session's hit moved to another row) is not taken back by a merge, read or not (one that comes back is
 * written, on a day then read). The runs since the last merge (the one then last included: it may have written more
 * after) must all have ended `done` with their days kept (scans.days, schema 12: scans and merges); after any other
 * run (prune, rename-server, scan --full, a failed or interrupted run, an older tls-census) every row is read. Runs
 * never overlap (the scan lock, scan-lock.ts), and the lineage check has already tied the source to the last merge's
 * run.
 */
export function changedDays(src: Db, lastScanId: number | null): string[] | null {
  if (lastScanId === null) return null;
  const kept = src.prepare(`SELECT 1 FROM pragma_table_info('scans') WHERE name = 'days'`).get() !== undefined;
  if (!kept) return null;
  const runs = src.prepare<[number], { status: string; days: string | null }>(
    `SELECT status, days FROM scans WHERE id >= ? ORDER BY id`,
  ).all(lastScanId);
  if (runs.length === 0) return null;
  const days = new Set<string>();
  for (const r of runs) {
    if (r.status !== 'done' || r.days === null) return null;
    const list = parseDays(r.days);
    if (list === null) return null;
    for (const d of list) days.add(d);
  }
  return [...days].sort();
}

function parseDays(text: string): string[] | null {
  try {
    const list: unknown = JSON.parse(text);
    return Array.isArray(list) && list.every((d) => typeof d === 'string') ? (list as string[]) : null;
  } catch {
    return null;
  }
}

function applyRows(
  central: Db, src: Db, sourceId: number, byIds: boolean, days: readonly string[] | null,
): { rowsChanged: number; hits: number; prunedRows: number; unmatchedSignIns: number; writtenDays: ReadonlySet<string> } {
  const store = new Store(central);
  const prunedBefore = metaValue(central, 'pruned_before') ?? '';
  const snap = central.prepare<[number, Buffer], { hits: number; auth_failures: number; errors: number }>(
    `SELECT hits, auth_failures, errors FROM merge_rows WHERE source_id = ? AND key = ?`,
  );
  const put = central.prepare(`INSERT OR REPLACE INTO merge_rows (source_id, key, day, source, hits, auth_failures, errors)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  let rowsChanged = 0;
  let hits = 0;
  let prunedRows = 0;
  for (const r of sourceRows(src, undefined, days)) {
    if (byIds && r.source === 'entra-signin') continue;
    if (r.day < prunedBefore) {
      prunedRows++;
      continue;
    }
    const key = rowKey(r);
    const before = snap.get(sourceId, key);
    const delta: UsageRow = {
      dims: dimsOfColumns(r),
      hits: r.hits - (before?.hits ?? 0),
      authFailures: r.auth_failures - (before?.auth_failures ?? 0),
      errors: r.errors - (before?.errors ?? 0),
      estimated: r.estimated ? 1 : 0,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
    };
    if (before && delta.hits === 0 && delta.authFailures === 0 && delta.errors === 0) continue;
    store.writeRows([delta]);
    put.run(sourceId, key, r.day, r.source, r.hits, r.auth_failures, r.errors);
    rowsChanged++;
    hits += delta.hits;
  }
  if (!byIds) return { rowsChanged, hits, prunedRows, unmatchedSignIns: 0, writtenDays: store.writtenDays() };
  const signIns = mergeSignIns(central, src, store, prunedBefore, days);
  return {
    rowsChanged: rowsChanged + signIns.rows, hits: hits + signIns.hits, prunedRows, unmatchedSignIns: signIns.unmatched,
    writtenDays: store.writtenDays(),
  };
}

/** A database merged both directly and inside another merged database would be counted twice. */
function checkOverlap(central: Db, src: Db, srcId: string, path: string): void {
  const own = databaseId(central);
  const srcIncludes = new Set(src.prepare(`SELECT database_id FROM merge_sources`).pluck().all() as string[]);
  if (srcIncludes.has(own)) {
    throw new CensusError('USAGE', `${path} already holds a merge of this database: merging it back would count twice`);
  }
  for (const row of central.prepare<[string], { database_id: string; path: string; includes: string | null }>(
    `SELECT database_id, path, includes FROM merge_sources WHERE database_id != ?`,
  ).all(srcId)) {
    const theirs = new Set(JSON.parse(row.includes ?? '[]') as string[]);
    if (srcIncludes.has(row.database_id) || theirs.has(srcId)) {
      throw new CensusError('USAGE', `${path} and ${row.path} hold the same merged data (one includes the other): ` +
        'merge each server database once, directly');
    }
  }
}

/** A newer copy of a merged database still has the run it had when it was merged last. */
function checkLineage(src: Db, scanId: number, started: string | null, path: string): void {
  const row = src.prepare<[number], { started: string }>(`SELECT started FROM scans WHERE id = ?`).get(scanId);
  if (!row || row.started !== started) {
    throw new CensusError('USAGE', `${path} has the database id of a database merged before but not its history ` +
      `(run ${scanId} of ${started ?? '?'} is missing): was it copied to start another server's database? ` +
      'Give each server its own database');
  }
}

/** Sign-in exports merged by their ids count once whoever read them: not an overlap then. */
function countOverlap(central: Db, src: Db, byIds: boolean): number {
  const find = central.prepare<[number, string], { id: number }>(
    `SELECT id FROM files WHERE status = 'read' AND fp_bytes = ? AND fingerprint = ? LIMIT 1`,
  );
  let n = 0;
  for (const f of src.prepare<[], { fp_bytes: number; fingerprint: string }>(
    `SELECT fp_bytes, fingerprint FROM files WHERE status = 'read' AND fingerprint IS NOT NULL${byIds ? ` AND format NOT LIKE 'entra-%'` : ''}`,
  ).iterate()) {
    if (find.get(f.fp_bytes, f.fingerprint)) n++;
  }
  return n;
}
