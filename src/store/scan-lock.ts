// One writer at a time per database: scan, merge, prune and rename-server hold an exclusive SQLite lock on "<db>-lock".
// The operating system drops the lock when the process dies (kill -9 included), so a lock is never left stale.
// Readers never take it: reports and ad hoc queries work during a scan (WAL).
import Database from 'better-sqlite3';
import { realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { CensusError } from '../errors.js';
import type { Db } from './open-database.js';

export interface ScanLock {
  release(): void;
}

/**
 * The lock file of `dbPath`, beside the database file itself: its path with symbolic links (and junctions) resolved,
 * so that two spellings of one database take one lock. Two writers at once would break more than counts: a merge of
 * this database reads only the days written since its last merge, which relies on runs never overlapping.
 */
export function lockPathOf(dbPath: string): string {
  let path = resolve(dbPath);
  try {
    path = realpathSync(path);
  } catch {
    // not created yet: as given
  }
  return `${path}-lock`;
}

/**
 * Takes the write lock of `dbPath`, waiting up to `waitSeconds` for another scan, merge or prune to finish.
 * Throws DB_BUSY naming the other run (from table scans) when it is still held.
 */
export function acquireScanLock(dbPath: string, db: Db, waitSeconds: number): ScanLock {
  let lock: Database.Database;
  try {
    lock = new Database(lockPathOf(dbPath));
    lock.pragma(`busy_timeout = ${Math.round(waitSeconds * 1000)}`);
  } catch (err) {
    throw new CensusError('DB_OPEN_FAILED', `cannot create the lock file ${lockPathOf(dbPath)}: ${(err as Error).message}`);
  }
  try {
    lock.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    throw new CensusError('DB_BUSY', `${dbPath} is being written by ${holder(db)}; wait for it or pass --wait SECONDS`);
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      lock.exec('ROLLBACK');
      lock.close();
    },
  };
}

function holder(db: Db): string {
  const row = db
    .prepare<[], { id: number; command: string; started: string; host: string | null; pid: number | null }>(
      `SELECT id, command, started, host, pid FROM scans WHERE status = 'running' ORDER BY id DESC LIMIT 1`,
    )
    .get();
  if (!row) return 'another tls-census';
  const where = row.host === hostname() ? `pid ${row.pid}` : `pid ${row.pid} on ${row.host}`;
  return `another tls-census ${row.command} (run ${row.id}, ${where}, started ${row.started})`;
}
