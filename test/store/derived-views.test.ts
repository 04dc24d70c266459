// Frozen migrations and the rule-derived views: every migration's SQL is the text released (hashes below: no rule
// edit can change it), and a database made by an earlier release ends, once opened, with exactly the schema of a
// new one; a rule change (another derived-views version) rebuilds the views of an existing database.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DERIVED_VIEWS_VERSION } from '../../src/store/derived-views.js';
import { metaValue, setMeta } from '../../src/store/meta.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { fixture, tempDir } from '../helpers.js';

/** SHA-256 (first 16 hex digits) of each released migration's SQL. A new migration adds a line; none changes. */
const FROZEN: Record<number, string> = {
  1: '3a0f27c669029736',
  2: '31d8bad29b00c57c',
  3: 'a1b91614aa7731a9',
  4: 'a7b2f7869b342039',
  5: '8d249bde3ffe8499',
  6: '992d87caef08ad8b',
  7: 'aa320e3eabca9fc7',
  8: '631e0e78938b30b5',
  9: 'dc718e4731ebfcb8',
  10: '19370410f294df7c',
  11: '51f28f7b0067616c',
  12: '04133253b2b842a0',
  13: '0aae9d4e55037b64',
};

const sha = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);

function schemaOf(db: Db): unknown[] {
  return db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`).all();
}

/** A database as an earlier release left it: the released schema dump, its version, its database id. */
function released(version: number): string {
  const path = join(tempDir('tls-census-released-'), `v${version}.db`);
  const db = new Database(path);
  db.exec(readFileSync(fixture(`db/schema-${version}.sql`), 'utf8'));
  if (version >= 5) db.prepare(`INSERT INTO meta (key, value) VALUES ('database_id', 'x')`).run();
  db.pragma(`user_version = ${version}`);
  db.close();
  return path;
}

function fresh(): Db {
  return openDatabase(join(tempDir('tls-census-new-'), 'new.db'));
}

describe('migrations', () => {
  it('are frozen: the SQL of each is the text released', () => {
    expect(Object.fromEntries(MIGRATIONS.map((m) => [m.version, sha(m.sql)]))).toEqual(FROZEN);
  });

  it.each([1, 6])('bring a schema %i database to exactly the schema of a new one, derived views included', (v) => {
    const db = openDatabase(released(v));
    const made = fresh();
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(metaValue(db, 'derived_views')).toBe(DERIVED_VIEWS_VERSION);
      expect(schemaOf(db)).toEqual(schemaOf(made));
      expect(db.prepare(`SELECT count(*) FROM legacy_clients`).pluck().get()).toBe(0);
    } finally {
      db.close();
      made.close();
    }
  });
});

describe('derived views', () => {
  it('are rebuilt when the rules changed since they were built; a read-only open leaves them', () => {
    const db = fresh();
    const path = db.name;
    db.exec(`DROP VIEW legacy_clients; CREATE VIEW legacy_clients AS SELECT 1 AS stale`);
    setMeta(db, 'derived_views', 'older rules');
    db.close();
    const ro = openDatabase(path, { readonly: true });
    expect(ro.prepare(`SELECT * FROM legacy_clients`).all()).toEqual([{ stale: 1 }]);
    ro.close();
    const rw = openDatabase(path);
    const made = fresh();
    try {
      expect(metaValue(rw, 'derived_views')).toBe(DERIVED_VIEWS_VERSION);
      expect(schemaOf(rw)).toEqual(schemaOf(made));
    } finally {
      rw.close();
      made.close();
    }
  });
});
