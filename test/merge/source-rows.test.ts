// merge reads a source database's usage rows by key ids (src/merge/source-rows.ts): the rows of view `usage`, in its
// order, with its texts and times, over pages and a key cache small enough to wrap many times; or those of some days.
// Oracle: the view.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCAN, scan } from '../../src/engine/scan.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { sourceRows } from '../../src/merge/source-rows.js';
import { openDatabase } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';
import { fixture, tempDir, writeUsage } from '../helpers.js';

describe('a merge source read by key ids', () => {
  it('gives the rows of view usage, in its order, across pages and a wrapping key cache', async () => {
    const db = openDatabase(join(tempDir(), 'src.db'));
    try {
      await scan(new Store(db), {
        ...DEFAULT_SCAN, paths: [fixture('.')], exclude: [db.name], fieldMap: DEFAULT_FIELD_MAP,
        now: new Date('2024-04-01T00:00:00Z'), reportPeriod: { start: '2024-03-04', end: '2024-03-10' },
      });
      // times kept as text (a fraction, another day's time), '' and NULL in the same columns
      const row = { day: '2024-03-11', source: 'iis', protocol: 'TLS 1.0', hits: 2, first_seen: '2024-03-11T01:02:03.5Z', last_seen: '2024-03-12T00:00:01Z' };
      writeUsage(db, [
        { ...row, server: 'EDGE', username: '', user_agent: '' },
        { ...row, server: 'EDGE', username: null, user_agent: null, first_seen: '2024-03-11T00:00:00Z', last_seen: '2024-03-11T23:59:59Z' },
      ]);
      const view = db.prepare(`SELECT * FROM usage`).all();
      expect(new Set(view.map((r) => (r as { source: string }).source)).size).toBeGreaterThan(5);
      expect(view.length).toBeGreaterThan(200);
      expect([...sourceRows(db, { pageRows: 7, keyCache: 3 })]).toEqual(view);
      expect([...sourceRows(db)]).toEqual(view);
      // some days only (merge of a database merged before): the view's rows of those days, in order
      const days = [...new Set(view.map((r) => (r as { day: string }).day))].sort();
      expect(days.length).toBeGreaterThan(3);
      const some = [days[0], days[2], days[days.length - 1], '2030-01-01'];
      const ofDays = view.filter((r) => some.includes((r as { day: string }).day));
      expect(ofDays.length).toBeGreaterThan(10);
      expect([...sourceRows(db, { pageRows: 7, keyCache: 3 }, some)]).toEqual(ofDays);
      expect([...sourceRows(db, undefined, [])]).toEqual([]);
    } finally {
      db.close();
    }
  });
});
