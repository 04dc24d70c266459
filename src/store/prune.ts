// `prune --older-than N`: deletes usage days more than N days before the newest day stored (not before today:
// an export analysed later keeps its data). Checkpoints stay, so re-scanning old logs does not bring days back;
// meta.pruned_before makes `merge` leave them out too. Dictionary entries that no row uses any more go with them.
import { dropUnusedEntries } from './dictionary.js';
import type { Db } from './open-database.js';
import { metaValue, setMeta } from './meta.js';
import { dayNumber } from './signin-ledger.js';

export interface PruneResult {
  /** First day kept (YYYY-MM-DD), or null when the database holds no usage. */
  readonly keepFrom: string | null;
  readonly usageRows: number;
  readonly mergeRows: number;
}

export function pruneOlderThan(db: Db, days: number): PruneResult {
  const prune = db.transaction((): PruneResult => {
    const newest = db.prepare<[], { day: string | null }>(`SELECT max(day) AS day FROM usage_rows`).get()?.day ?? null;
    if (newest === null) return { keepFrom: null, usageRows: 0, mergeRows: 0 };
    const keepFrom = new Date(Date.parse(`${newest}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
    const usageRows = db.prepare(`DELETE FROM usage_rows WHERE day < ?`).run(keepFrom).changes;
    dropUnusedEntries(db);
    const mergeRows = db.prepare(`DELETE FROM merge_rows WHERE day < ?`).run(keepFrom).changes;
    db.prepare(`DELETE FROM entra_signins WHERE day < ?`).run(dayNumber(keepFrom)); // their sign-ins stay out: pruned_before
    const before = metaValue(db, 'pruned_before');
    if (before === null || before < keepFrom) setMeta(db, 'pruned_before', keepFrom);
    return { keepFrom, usageRows, mergeRows };
  });
  return prune.immediate();
}
