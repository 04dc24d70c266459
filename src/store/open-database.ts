// Opens (and creates or migrates) the SQLite database, refusing anything that is not one of ours, unharmed.
// WAL mode so reports and ad hoc queries can read while a scan writes.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CensusError } from '../errors.js';
import type { Db } from './db.js';
import { derivedViewsStale, recreateDerivedViews } from './derived-views.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export type { Db } from './db.js';

export interface OpenOptions {
  readonly readonly?: boolean;
  /** Milliseconds to wait for another writer. */
  readonly busyTimeoutMs?: number;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function checkHeader(path: string): void {
  const size = statSync(path).size;
  if (size === 0) return; // an empty file becomes a new database
  const buf = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (buf.toString('latin1') !== SQLITE_MAGIC) {
    throw new CensusError('DB_NOT_SQLITE', `--db ${path} is not an SQLite database; refusing to touch it`);
  }
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const full = resolve(path);
  const folder = dirname(full);
  if (!existsSync(folder)) {
    throw new CensusError('DB_FOLDER_MISSING', `--db ${path}: folder ${folder} does not exist`);
  }
  const exists = existsSync(full);
  if (opts.readonly && !exists) {
    throw new CensusError('DB_OPEN_FAILED', `--db ${path} does not exist (run "tls-census scan" first)`);
  }
  if (exists) {
    if (statSync(full).isDirectory()) throw new CensusError('DB_OPEN_FAILED', `--db ${path} is a folder`);
    checkHeader(full);
  }
  let db: Db;
  try {
    db = new Database(full, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 60_000}`);
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    }
  } catch (err) {
    throw new CensusError('DB_OPEN_FAILED', `cannot open --db ${path}: ${(err as Error).message}`);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new CensusError(
        'DB_TOO_NEW',
        `--db ${path} has schema version ${version}; this tls-census knows up to ${SCHEMA_VERSION}: upgrade tls-census`,
      );
    }
    if (!opts.readonly && (version < SCHEMA_VERSION || derivedViewsStale(db))) migrate(db, version);
    if (opts.readonly && version === 0) {
      db.close();
      throw new CensusError('DB_OPEN_FAILED', `--db ${path} holds no tls-census data (run "tls-census scan" first)`);
    }
  } catch (err) {
    if (err instanceof CensusError) throw err;
    db.close();
    throw new CensusError('DB_OPEN_FAILED', `cannot use --db ${path}: ${(err as Error).message}`);
  }
  return db;
}

/** Runs the migrations after `seen`, then rebuilds the rule-derived views if their SQL changed, in one transaction. */
function migrate(db: Db, seen: number): void {
  let vacuum = false;
  const apply = db.transaction(() => {
    // Read again under the write lock: another process may have migrated since `seen` was read.
    const from = Math.max(seen, db.pragma('user_version', { simple: true }) as number);
    for (const m of MIGRATIONS) {
      if (m.version <= from) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
      if (from > 0 && m.vacuum) vacuum = true;
    }
    if (derivedViewsStale(db)) recreateDerivedViews(db);
  });
  apply.immediate();
  if (!vacuum) return;
  try {
    db.exec('VACUUM'); // outside the migration's transaction, as SQLite requires
  } catch {
    // no room for the copy VACUUM writes, or a writer holding the lock: the data is complete, the file only larger
  }
}
