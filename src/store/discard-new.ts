// A database that a command created and that holds nothing when the command fails (a mistyped path, an error
// before the first file was read) is removed with its -wal, -shm and -lock files. One holding anything is never touched.
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Db } from './open-database.js';
import { lockPathOf } from './scan-lock.js';

export interface NewDatabaseNote {
  readonly path: string;
  readonly created: boolean;
  readonly lockCreated: boolean;
}

/** Call before opening: whether the database and its lock file exist yet. */
export function noteNewDatabase(path: string): NewDatabaseNote {
  return { path: resolve(path), created: !existsSync(path), lockCreated: !existsSync(lockPathOf(path)) };
}

/** Closes `db`; removes it when this command created it and it holds no file, usage row or exception. */
export function closeOrDiscard(db: Db, note: NewDatabaseNote): void {
  let empty = false;
  if (note.created && db.open) {
    const row = db
      .prepare<[], { n: number }>(
        `SELECT (SELECT count(*) FROM files) + (SELECT count(*) FROM usage_rows) + (SELECT count(*) FROM exceptions) AS n`,
      )
      .get();
    empty = row?.n === 0;
  }
  if (db.open) db.close();
  if (!empty) return;
  for (const suffix of ['', '-wal', '-shm']) rmSync(note.path + suffix, { force: true });
  if (note.lockCreated) rmSync(lockPathOf(note.path), { force: true });
}
