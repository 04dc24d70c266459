// `scan --full`: forgets what was read from logs (and pending Exchange sessions) in one transaction, so the scan
// that follows rebuilds it exactly. Kept: Exchange Online report rows (replaced by identity, never added) with their
// files, usage rows and dictionary entries, the run history, legacy_seen, exceptions, merge watermarks of report rows.
import { dropUnusedEntries } from './dictionary.js';
import type { Db } from './open-database.js';

/** Tables of rows stored by identity (schema version 3), with the usage source derived from each. */
const REPORT_TABLES = [
  { table: 'exo_smtp_auth', source: 'exo-smtp-auth' },
  { table: 'exo_connector', source: 'exo-connector' },
] as const;

export interface FullReset {
  readonly usageRows: number;
  readonly files: number;
  /** Merged databases whose log-derived rows were dropped: a later merge adds them again in full. */
  readonly mergeSources: number;
}

export function resetForFull(db: Db): FullReset {
  const present = REPORT_TABLES.filter(
    (t) => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t.table) !== undefined,
  );
  const keepSources = present.map((t) => `'${t.source}'`).join(', ') || `''`;
  const keepFiles = present.map((t) => `SELECT file_id FROM ${t.table}`).join(' UNION ') || 'SELECT -1';
  const reset = db.transaction((): FullReset => {
    const usageRows = db.prepare(`DELETE FROM usage_rows WHERE key_id IN (SELECT id FROM usage_keys WHERE source NOT IN (${keepSources}))`).run().changes;
    dropUnusedEntries(db);
    const mergeSources = (db.prepare(`SELECT count(*) AS n FROM merge_sources`).get() as { n: number }).n;
    db.prepare(`DELETE FROM merge_rows WHERE source NOT IN (${keepSources})`).run();
    db.prepare(`UPDATE merge_sources SET last_scan_id = NULL, last_scan_started = NULL`).run();
    // Exchange sessions left open by the logs are rebuilt with them; a counted one would otherwise be taken back twice
    db.prepare(`DELETE FROM pending_sessions`).run();
    // Entra ID sign-ins are counted again with their rows
    db.prepare(`DELETE FROM entra_signins`).run();
    // diagnostics, file_marks and file_containers go with their files (ON DELETE CASCADE)
    const files = db.prepare(`DELETE FROM files WHERE id NOT IN (${keepFiles})`).run().changes;
    return { usageRows, files, mergeSources };
  });
  return reset.immediate();
}
