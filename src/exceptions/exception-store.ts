// Table exceptions: known exceptions kept in the database, added, listed and expired by `tls-census exceptions`.
// Expiring keeps the row (its history stays readable) and sets its last day to yesterday.
import type { Db } from '../store/open-database.js';
import { readExceptionsFile } from './exceptions-file.js';
import { checkException, isActive, type KnownException } from './exceptions.js';

interface ExceptionRow {
  id: number;
  match: KnownException['match'];
  value: string;
  reason: string;
  expires: string;
}

const toException = (r: ExceptionRow): KnownException => ({ ...r, origin: 'database' });

export function addException(
  db: Db,
  fields: { match: string; value: string; reason: string; expires: string },
  now: Date,
): KnownException {
  const e = checkException(`--${fields.match}`, fields);
  const info = db
    .prepare(`INSERT INTO exceptions (match, value, reason, expires, added) VALUES (?, ?, ?, ?, ?)`)
    .run(e.match, e.value, e.reason, e.expires, now.toISOString());
  return { id: Number(info.lastInsertRowid), ...e, origin: 'database' };
}

export function listExceptions(db: Db): KnownException[] {
  return db.prepare<[], ExceptionRow>(`SELECT id, match, value, reason, expires FROM exceptions ORDER BY id`).all().map(toException);
}

/** Ends an exception today: it no longer applies from today on. Returns false when there is no such id. */
export function expireException(db: Db, id: number, today: string): boolean {
  const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return db.prepare(`UPDATE exceptions SET expires = min(expires, ?) WHERE id = ?`).run(yesterday, id).changes > 0;
}

export const todayUtc = (now: Date): string => now.toISOString().slice(0, 10);

/** The exceptions in force today: those stored in the database and those of --exceptions FILE. */
export function activeExceptions(db: Db, file: string | null, now: Date): KnownException[] {
  const stored = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'exceptions'`).get()
    ? listExceptions(db)
    : []; // a database from before schema 5, opened read-only
  const all = [...stored, ...(file === null ? [] : readExceptionsFile(file))];
  return all.filter((e) => isActive(e, todayUtc(now)));
}
