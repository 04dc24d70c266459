// Migrations 6 to 8 on a real schema 5 database: the rows of the committed fixtures (IIS, HTTPERR, Exchange SMTP,
// Exchange Online) read back the same through the view after both, the views built on usage give the same answers
// (and so does the report, windows included), and rows written after the migrations land on the migrated rows.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UsageTableRow } from '../../src/export/ecs.js';
import { DEFAULT_SCAN, scan } from '../../src/engine/scan.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { derivedViewsSql } from '../../src/store/derived-views.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';
import { fixture, tempDir, writeUsage } from '../helpers.js';
import { readEndpoints } from '../../src/report/breakdowns.js';
import { readChanges } from '../../src/report/changes.js';
import { resolveFilter, type FilterSpec } from '../../src/report/filter.js';
import { withKeyedUsage } from '../../src/report/keyed-usage.js';
import { readBlindSpots } from '../../src/report/sections/blind-spots.js';
import { readSummary } from '../../src/report/summary.js';

const KEY = `day, source, server, site, client_ip, proxy_ip, username, user_agent, endpoint, protocol, protocol_code,
  cipher, cipher_code, hash, hash_code, key_exchange, key_exchange_code, detail, internal`;

/** Rows written by hand next to the scanned ones: '' and NULL in the same columns (schema 5 stored both). */
const EDGE_ROWS = [
  { day: '2024-03-11', source: 'iis', server: 'EDGE', username: '', user_agent: '', protocol: 'TLS 1.0', hits: 2 },
  { day: '2024-03-11', source: 'iis', server: 'EDGE', username: null, user_agent: null, protocol: 'TLS 1.1', hits: 3 },
];

/** The committed fixtures' usage rows, read by a real scan into a database of the current schema. */
async function fixtureRows(): Promise<UsageTableRow[]> {
  const db = openDatabase(join(tempDir(), 'scan.db'));
  try {
    await scan(new Store(db), {
      ...DEFAULT_SCAN,
      paths: [fixture('.')],
      exclude: [db.name],
      fieldMap: DEFAULT_FIELD_MAP,
      now: new Date('2024-04-01T00:00:00Z'),
      reportPeriod: { start: '2024-03-04', end: '2024-03-10' },
    });
    return db.prepare<[], UsageTableRow>(`SELECT * FROM usage ORDER BY ${KEY}`).all();
  } finally {
    db.close();
  }
}

/** A schema 5 database (migrations 1 to 5, as tls-census 5 made it) holding `rows` in its usage table. */
function v5Database(rows: readonly UsageTableRow[]): string {
  const path = join(tempDir(), 'v5.db');
  const db = new Database(path);
  for (const m of MIGRATIONS.filter((x) => x.version <= 5)) {
    db.exec(m.sql);
    db.pragma(`user_version = ${m.version}`);
  }
  // the release that made it built legacy_clients and weak_crypto in migration 4, reading the usage table
  db.exec(derivedViewsSql('usage_by_key AS (SELECT * FROM usage)'));
  const columns = Object.keys(rows[0]);
  const insert = db.prepare(`INSERT INTO usage (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
  db.transaction(() => {
    for (const r of rows) insert.run(r);
    for (const e of EDGE_ROWS) {
      insert.run({ ...rows[0], ...e, site: null, client_ip: null, endpoint: null, protocol_code: null, cipher: null });
    }
  })();
  db.close();
  return path;
}

/** group_concat(DISTINCT …) lists follow the order rows are read in, which was insertion order and is key order now. */
const sortedLists = (rows: unknown[]): unknown[] =>
  rows.map((r) => {
    const o = { ...(r as Record<string, unknown>) };
    for (const c of ['servers', 'endpoints']) if (typeof o[c] === 'string') o[c] = (o[c] as string).split(',').sort().join(',');
    return o;
  });

function readAll(db: Db) {
  return {
    usage: db.prepare(`SELECT * FROM usage ORDER BY ${KEY}`).all(),
    legacy: sortedLists(db.prepare(`SELECT * FROM legacy_clients ORDER BY source, client_ip, username, user_agent`).all()),
    weak: sortedLists(db.prepare(`SELECT * FROM weak_crypto ORDER BY source, client_ip, username, user_agent, protocol,
      cipher, hash, key_exchange`).all()),
    totals: db.prepare(`SELECT * FROM protocol_totals ORDER BY source, protocol`).all(),
    daily: db.prepare(`SELECT * FROM daily_protocols ORDER BY day, source, protocol`).all(),
  };
}

describe('migrations 6 to 8 (dictionaries, usage as a view; one key id per dimension tuple)', () => {
  it('keeps every row and every view answer of a schema 5 database', async () => {
    const scanned = await fixtureRows();
    expect(new Set(scanned.map((r) => r.source))).toEqual(
      new Set(['iis', 'httperr', 'smtp-receive', 'smtp-send', 'exo-smtp-auth', 'exo-connector', 'entra-signin']),
    );
    const path = v5Database(scanned);
    const old = new Database(path, { readonly: true });
    const before = readAll(old);
    // the report of a database older than schema 8 reads view usage as it is (report/keyed-usage.ts)
    const server = scanned.find((r) => r.source === 'smtp-receive')?.server ?? '';
    const windows: FilterSpec[] = [{}, { since: '2024-03-11', until: '2024-03-12' }, { servers: [server.toLowerCase()] }, { sources: ['smtp-receive', 'iis'] }];
    const reportsBefore = windows.map((w) => readSummary(old, { top: null, filter: resolveFilter(old, w) }));
    expect(reportsBefore[0].legacyClients).toBeGreaterThan(10);
    expect(reportsBefore[1].legacyClients).toBeLessThan(reportsBefore[0].legacyClients);
    old.close();
    expect(before.usage).toHaveLength(scanned.length + EDGE_ROWS.length);
    expect(before.legacy.length).toBeGreaterThan(10);
    expect(before.weak.length).toBeGreaterThan(3);

    const db = openDatabase(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      // VACUUM gave the old table's pages back to the file system
      expect(db.pragma('freelist_count', { simple: true })).toBe(0);
      const objects = db.prepare(`SELECT name, type FROM sqlite_master WHERE name LIKE 'usage%' ORDER BY name`).all();
      // Then migration 8: one key id per dimension tuple, usage_rows keyed by (day, key_id)
      expect(objects).toEqual([
        { name: 'usage', type: 'view' },
        { name: 'usage_keys', type: 'table' },
        { name: 'usage_keys_exo_connector', type: 'index' },
        { name: 'usage_keys_exo_smtp_auth', type: 'index' },
        { name: 'usage_rows', type: 'table' },
      ]);
      const after = readAll(db);
      expect(after).toEqual(before);
      // the report reads the rows summed per key now: in a temporary table per report, or per query outside one
      expect(windows.map((w) => readSummary(db, { top: null, filter: resolveFilter(db, w) }))).toEqual(reportsBefore);
      for (const w of windows) {
        const f = resolveFilter(db, w);
        const parts = () => ({ endpoints: readEndpoints(db, f), blind: readBlindSpots(db), changes: readChanges(db, { staleDays: 7 }) });
        const perQuery = parts();
        expect(withKeyedUsage(db, parts)).toEqual(perQuery);
        expect(perQuery.endpoints.length).toBeGreaterThan(0);
      }
      // times on their row's day became seconds; the view shows them as the same text
      const kinds = db.prepare(`SELECT typeof(first_seen) AS t, count(*) AS n FROM usage_rows GROUP BY 1`).all() as { t: string; n: number }[];
      expect(kinds.find((k) => k.t === 'integer')?.n ?? 0).toBeGreaterThan(scanned.length / 2);
      // '' is a value like any other; NULL is id 0 and no dictionary entry
      expect(db.prepare(`SELECT username, user_agent FROM usage WHERE server = 'EDGE' ORDER BY protocol`).all()).toEqual([
        { username: '', user_agent: '' },
        { username: null, user_agent: null },
      ]);
      expect(db.prepare(`SELECT count(*) FROM strings WHERE value = ''`).pluck().get()).toBe(1);

      // The same rows written again land on the migrated rows: same ids, hits doubled
      writeUsage(db, scanned);
      const twice = db.prepare<[], UsageTableRow>(`SELECT * FROM usage ORDER BY ${KEY}`).all();
      expect(twice).toHaveLength(scanned.length + EDGE_ROWS.length);
      expect(twice.reduce((n, r) => n + r.hits, 0)).toBe(
        2 * scanned.reduce((n, r) => n + r.hits, 0) + EDGE_ROWS.reduce((n, r) => n + r.hits, 0),
      );
    } finally {
      db.close();
    }
  });
});
