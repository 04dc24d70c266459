// The legacy clients a run records first (legacy_seen) are those of view `usage`, grouped by their text: the query
// that groups by dictionary ids gives the same rows as grouping the view, NULL and '' (one key in legacy_seen) included.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Runs } from '../../src/store/runs.js';
import { generateIisFolder } from '../../src/synth/iis-traffic.js';
import { LEGACY_SQL_LIST } from '../../src/tls/legacy.js';
import { parseBytes, tempDir, writeUsage, type UsageColumns } from '../helpers.js';
import { Store } from '../../src/store/store.js';

/** legacy_seen as the view grouped by text filled it before (the oracle). */
const BY_TEXT = `INSERT OR IGNORE INTO legacy_seen (source, client_ip, username, user_agent, first_scan, first_seen)
  SELECT source, client_ip, username, user_agent, ?, min(first_seen) FROM usage
  WHERE protocol IN ${LEGACY_SQL_LIST} GROUP BY source, client_ip, username, user_agent`;

function filled(): Db {
  const db = openDatabase(join(tempDir(), 'runs.db'));
  const dir = tempDir();
  const { files } = generateIisFolder(dir, { servers: ['EXCH01'], days: 2, startDate: '2024-03-11', linesPerServerPerDay: 1500, seed: 9 });
  const store = new Store(db);
  db.transaction(() => { for (const f of files) store.writeRows(parseBytes(readFileSync(f)).rows); })();
  const row = (c: Partial<UsageColumns>): UsageColumns => ({
    day: '2024-03-12', source: 'iis', protocol: 'TLS 1.0', hits: 1, first_seen: '2024-03-12T10:00:00Z', last_seen: '2024-03-12T11:00:00Z', ...c,
  });
  // NULL and '' meet in legacy_seen_key: whichever group comes first stays; times on other days and as text
  writeUsage(db, [
    row({ client_ip: '192.0.2.1', username: null, user_agent: '' }),
    row({ client_ip: '192.0.2.1', username: '', user_agent: null, first_seen: '2024-03-11T23:00:00Z' }),
    row({ client_ip: null, username: 'u', first_seen: '2024-03-12T10:00:00.5Z' }),
    row({ client_ip: '', username: 'u', protocol: 'SSL 3.0', day: '2024-03-11', first_seen: '2024-03-11T09:00:00Z' }),
  ]);
  return db;
}

const seen = (db: Db) => db.prepare(`SELECT * FROM legacy_seen ORDER BY source, client_ip, username, user_agent`).all();

describe('runs', () => {
  it('record the legacy clients of the usage view first seen, as grouping the view by text does', () => {
    const db = filled();
    const runs = new Runs(db);
    const id = runs.start('scan', ['x'], new Date('2024-03-13T00:00:00Z'));
    const added = runs.finish(id, 'done', new Date('2024-03-13T00:01:00Z'));
    const got = seen(db);
    db.prepare(`DELETE FROM legacy_seen`).run();
    const want = db.prepare(BY_TEXT).run(id).changes;
    expect(got).toEqual(seen(db));
    expect(added).toBe(want);
    expect(added).toBeGreaterThan(20);
    expect(got.filter((r) => (r as { client_ip: string | null }).client_ip === '192.0.2.1')).toHaveLength(1);
    db.close();
  });
});
