// usage_rows and its dictionaries as the Store writes them: NULL is id 0 and reads back NULL, '' is a value, one
// string has one id whatever column uses it, a failed commit leaves no id in the cache, the cache stays bounded, and
// entries no row uses go with prune and scan --full.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usageDims, type UsageRow } from '../../src/aggregate/usage.js';
import { Dictionary } from '../../src/store/dictionary.js';
import { resetForFull } from '../../src/store/full-reset.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { pruneOlderThan } from '../../src/store/prune.js';
import { Store, type Checkpoint } from '../../src/store/store.js';
import { tempDir } from '../helpers.js';

const fresh = (): Db => openDatabase(join(tempDir(), 'rows.db'));

function row(dims: Partial<UsageRow['dims']>, hits = 1): UsageRow {
  return {
    dims: usageDims({ day: '2024-03-11', source: 'iis', protocol: 'TLS 1.2', ...dims }),
    hits, authFailures: 0, errors: 0, estimated: 0, firstSeen: '2024-03-11T08:00:00Z', lastSeen: '2024-03-11T09:00:00Z',
  };
}

function checkpoint(fileId: number, diagnostics: Checkpoint['diagnostics'] = []): Checkpoint {
  return {
    fileId, path: 'x.log', bytes: 10, consumed: 10, lines: 1, records: 1, badLines: 0, tlsFields: true, state: null,
    diagnostics, tailHash: null, marks: [],
  };
}

describe('usage rows and dictionaries', () => {
  it("keeps NULL and '' apart, and gives a string one id in every column", () => {
    const db = fresh();
    const store = new Store(db);
    db.transaction(() => store.writeRows([
      row({ server: 'EXCH01', username: 'EXCH01', site: '', userAgent: 'EXCH01', detail: null }),
      row({ server: 'EXCH01', username: 'EXCH01', site: null, userAgent: 'EXCH01', detail: null }),
    ]))();
    expect(db.prepare(`SELECT server, site, username, user_agent, detail FROM usage ORDER BY site`).all()).toEqual([
      { server: 'EXCH01', site: null, username: 'EXCH01', user_agent: 'EXCH01', detail: null },
      { server: 'EXCH01', site: '', username: 'EXCH01', user_agent: 'EXCH01', detail: null },
    ]);
    const ids = db.prepare(`SELECT server_id, site_id, username_id, user_agent_id, detail_id FROM usage_keys ORDER BY site_id`).all();
    const exch = db.prepare(`SELECT id FROM strings WHERE value = 'EXCH01'`).pluck().get();
    const empty = db.prepare(`SELECT id FROM strings WHERE value = ''`).pluck().get();
    expect(ids).toEqual([
      { server_id: exch, site_id: 0, username_id: exch, user_agent_id: 1, detail_id: 0 },
      { server_id: exch, site_id: empty, username_id: exch, user_agent_id: 1, detail_id: 0 },
    ]);
    expect(db.prepare(`SELECT value FROM strings ORDER BY value`).pluck().all()).toEqual(['', 'EXCH01']);
    expect(db.prepare(`SELECT user_agent FROM user_agents`).pluck().all()).toEqual(['EXCH01']);
    db.close();
  });

  it("stores a time on the row's day as seconds and any other as text, and the view gives back the same text", () => {
    const db = fresh();
    const store = new Store(db);
    const at = (firstSeen: string, lastSeen: string, clientIp = '10.0.0.1'): UsageRow => ({ ...row({ clientIp }), firstSeen, lastSeen });
    db.transaction(() => store.writeRows([
      at('2024-03-11T08:00:00Z', '2024-03-11T09:30:15Z'),
      at('2024-03-10T23:59:59Z', '2024-03-11T23:59:60Z', '10.0.0.2'), // the day before; a leap second
      at('2024-03-11T08:00:00.123Z', '', '10.0.0.3'),
    ]))();
    expect(db.prepare(`SELECT typeof(first_seen) AS f, typeof(last_seen) AS l FROM usage_rows ORDER BY key_id`).all()).toEqual([
      { f: 'integer', l: 'integer' }, { f: 'text', l: 'text' }, { f: 'text', l: 'text' },
    ]);
    // later rows of the same keys: min and max as text, whatever form each side is stored in
    db.transaction(() => store.writeRows([
      at('2024-03-11T07:59:59Z', '2024-03-11T09:30:14Z'),
      at('2024-03-11T00:00:00Z', '2024-03-11T23:59:59Z', '10.0.0.2'),
      at('2024-03-11T08:00:00Z', '2024-03-11T00:00:01Z', '10.0.0.3'),
    ]))();
    expect(db.prepare(`SELECT client_ip, first_seen, last_seen, hits FROM usage ORDER BY client_ip`).all()).toEqual([
      { client_ip: '10.0.0.1', first_seen: '2024-03-11T07:59:59Z', last_seen: '2024-03-11T09:30:15Z', hits: 2 },
      { client_ip: '10.0.0.2', first_seen: '2024-03-10T23:59:59Z', last_seen: '2024-03-11T23:59:60Z', hits: 2 },
      { client_ip: '10.0.0.3', first_seen: '2024-03-11T08:00:00.123Z', last_seen: '2024-03-11T00:00:01Z', hits: 2 },
    ]);
    db.close();
  });

  it('adds to the stored row with the same key, through the view', () => {
    const db = fresh();
    const store = new Store(db);
    db.transaction(() => store.writeRows([row({ clientIp: '10.0.0.1' }, 2), row({ clientIp: '10.0.0.1' }, 3)]))();
    db.transaction(() => store.writeRows([row({ clientIp: '10.0.0.1' }, 4)]))();
    expect(db.prepare(`SELECT client_ip, hits FROM usage`).all()).toEqual([{ client_ip: '10.0.0.1', hits: 9 }]);
    db.close();
  });

  it('forgets the ids of a commit that fails, so the next commit stores the right strings', () => {
    const db = fresh();
    const store = new Store(db);
    const file = store.createFile('x.log', 'iis-w3c', Buffer.from('#Fields: x\n'), 10, '2024-03-11T00:00:00Z');
    // diagnostics of a file that does not exist break the foreign key after the rows were written: all rolls back
    const broken = checkpoint(file.id + 1, [{ code: 'garbage', count: 1, firstLine: 1, message: 'x' }]);
    expect(() => store.commit([row({ server: 'ROLLED-BACK' })], broken, '2024-03-11T00:00:00Z')).toThrow(/FOREIGN KEY/);
    expect(db.prepare(`SELECT count(*) FROM strings`).pluck().get()).toBe(0);
    // 'OTHER' now gets the id 'ROLLED-BACK' had inside the failed transaction; a stale cache would store that id again
    store.commit([row({ server: 'OTHER' }), row({ server: 'ROLLED-BACK', clientIp: '10.0.0.2' })], checkpoint(file.id),
      '2024-03-11T00:00:00Z');
    expect(db.prepare(`SELECT server, client_ip FROM usage ORDER BY server`).all()).toEqual([
      { server: 'OTHER', client_ip: null },
      { server: 'ROLLED-BACK', client_ip: '10.0.0.2' },
    ]);
    db.close();
  });

  it('prune and scan --full delete the dictionary entries no row uses any more, and only those', () => {
    const db = fresh();
    const store = new Store(db);
    db.transaction(() => store.writeRows([
      row({ day: '2024-01-01', server: 'OLD-ONLY', username: 'SHARED', userAgent: 'Old/1.0' }),
      row({ day: '2024-03-11', server: 'NEW', detail: 'SHARED', userAgent: 'New/2.0' }),
      row({ day: '2024-03-11', source: 'exo-connector', site: 'Inbound connector' }),
    ]))();
    const strings = () => db.prepare(`SELECT value FROM strings ORDER BY value`).pluck().all();
    expect(pruneOlderThan(db, 30).usageRows).toBe(1);
    expect(strings()).toEqual(['Inbound connector', 'NEW', 'SHARED']);
    expect(db.prepare(`SELECT user_agent FROM user_agents`).pluck().all()).toEqual(['New/2.0']);
    expect(resetForFull(db).usageRows).toBe(1);
    expect(strings()).toEqual(['Inbound connector']);
    expect(db.prepare(`SELECT count(*) FROM user_agents`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT source, site FROM usage`).all()).toEqual([{ source: 'exo-connector', site: 'Inbound connector' }]);
    db.close();
  });

  it('keeps at most its limit of entries in memory and still gives every string its one id', () => {
    const db = fresh();
    const dict = new Dictionary(db, 'strings', 3);
    const values = Array.from({ length: 10 }, (_, i) => `10.0.0.${i}`);
    const first = db.transaction(() => values.map((v) => dict.id(v)))();
    expect(dict.cached).toBeLessThanOrEqual(3);
    expect(new Set(first).size).toBe(10);
    expect(db.transaction(() => values.map((v) => dict.id(v)))()).toEqual(first);
    expect(dict.cached).toBeLessThanOrEqual(3);
    expect(dict.existing('10.0.0.0')).toBe(first[0]);
    expect(dict.existing('not stored')).toBeUndefined();
    expect(dict.id(null)).toBe(0);
    expect(db.prepare(`SELECT count(*) FROM strings`).pluck().get()).toBe(10);
    db.close();
  });
});
