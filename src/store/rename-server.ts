// Renames a server in an existing database: every usage row of server OLD becomes a row of server NEW, adding its
// counts to a row of NEW with the same key. One transaction; rows are re-added through the usage writer (schema 8:
// a new usage_keys id per tuple), so the upsert rules are the scan's own. OLD's keys and dictionary text stay, unused.
// Entra ID sign-ins keep their usage row's merge key (entra_signins.row_key, for merge): moved to the new row's.
// A merge target (merge_rows present) is refused: its merge snapshots are keyed by the old name, so the next merge
// would add the source rows again under it; rename in the server's own database and merge into a fresh one.
import { rowKey } from '../aggregate/merge-key.js';
import { dimsOfColumns, type KeyColumnValues } from '../aggregate/usage-dims.js';
import { CensusError } from '../errors.js';
import type { Db } from './open-database.js';
import { dayNumber } from './signin-ledger.js';
import { UsageRowWriter } from './usage-rows.js';

export interface RenameResult {
  /** Usage rows moved to the new name. */
  readonly rows: number;
  /** Of those, rows added into a row the new name already had. */
  readonly joined: number;
  readonly hits: number;
}

type StoredRow = KeyColumnValues & {
  hits: number;
  auth_failures: number;
  errors: number;
  estimated: number;
  first_seen: string;
  last_seen: string;
};

export function renameServer(db: Db, from: string, to: string): RenameResult {
  if (from === to) throw new CensusError('USAGE', `rename-server: the old and the new name are both ${JSON.stringify(from)}`);
  const merged = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM merge_rows`).get()?.n ?? 0;
  if (merged > 0) {
    throw new CensusError(
      'USAGE',
      'this database holds merged data, whose merge snapshots keep the old server name: rename the server in its ' +
        'own database, then merge the server databases into a new central one',
    );
  }
  const countOf = db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM usage WHERE server = ?`);
  return db.transaction((): RenameResult => {
    const rows = db.prepare<[string], StoredRow>(`SELECT * FROM usage WHERE server = ?`).all(from);
    if (rows.length === 0) {
      const known = db.prepare<[], { server: string }>(`SELECT DISTINCT server FROM usage WHERE server IS NOT NULL ORDER BY server LIMIT 20`).all();
      throw new CensusError('USAGE', `no server named ${JSON.stringify(from)} in this database (servers: ${known.map((k) => k.server).join(', ') || 'none'})`);
    }
    const before = countOf.get(to)?.n ?? 0;
    db.prepare<[string]>(
      `DELETE FROM usage_rows WHERE key_id IN (SELECT k.id FROM usage_keys k JOIN strings s ON s.id = k.server_id WHERE s.value = ?)`,
    ).run(from);
    const writer = new UsageRowWriter(db);
    let hits = 0;
    for (const r of rows) {
      hits += r.hits;
      writer.add({
        dims: dimsOfColumns({ ...r, server: to }),
        hits: r.hits,
        authFailures: r.auth_failures,
        errors: r.errors,
        estimated: r.estimated ? 1 : 0,
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
      });
    }
    moveSignIns(db, rows, to);
    const after = countOf.get(to)?.n ?? 0;
    return { rows: rows.length, joined: rows.length - (after - before), hits };
  })();
}

/** entra_signins.row_key of the moved sign-in rows: the old row's merge key → the new row's, day by day. */
function moveSignIns(db: Db, rows: readonly StoredRow[], to: string): void {
  const move = db.prepare<[Buffer, number, Buffer]>(`UPDATE entra_signins SET row_key = ? WHERE day = ? AND row_key = ?`);
  for (const r of rows) {
    if (r.source === 'entra-signin') move.run(rowKey({ ...r, server: to }), dayNumber(r.day), rowKey(r));
  }
}
