// Table meta: this database's random database_id (made by schema version 5) and a few settings such as
// pruned_before. Values are text.
import { CensusError } from '../errors.js';
import type { Db } from './db.js';

export function metaValue(db: Db, key: string): string | null {
  const row = db.prepare<[string], { value: string }>(`SELECT value FROM meta WHERE key = ?`).get(key);
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
    .run(key, value);
}

export function databaseId(db: Db): string {
  const id = metaValue(db, 'database_id');
  if (id === null) throw new CensusError('DB_OPEN_FAILED', `${db.name} has no database id (table meta)`);
  return id;
}
