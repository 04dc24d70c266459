// A database merged before is read only on the days its scans wrote since (merge.ts, changedDays). Checked against a
// second central database that reads every row at every merge: after each step of a server database's life (late
// logs on old days, nothing new, a failed run, a merge while a scan runs, scan --full, rename-server, prune, another
// merge into it) the two hold the same usage rows and merge snapshots, and the steps read what they should.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { changedDays, mergeDatabase } from '../../src/merge/merge.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { pruneOlderThan } from '../../src/store/prune.js';
import { renameServer } from '../../src/store/rename-server.js';
import { Runs } from '../../src/store/runs.js';
import { Store } from '../../src/store/store.js';
import { tempDir, usageRowsOf, type UsageColumns } from '../helpers.js';

const NOW = new Date('2024-04-01T00:00:00Z');

const hit = (day: string, ip: string, protocol: string, hits: number, server = 'EXCH01'): UsageColumns => ({
  day, source: 'iis', server, client_ip: ip, username: `user-${ip}`, protocol, hits,
  first_seen: `${day}T08:00:00Z`, last_seen: `${day}T09:${String(hits % 60).padStart(2, '0')}:00Z`,
});

/** A run of `command` writing `rows` through a Store, as the CLI does; `end` how it ends ('open': not yet). */
function run(db: Db, rows: UsageColumns[], end: 'done' | 'failed' | 'open' = 'done', command = 'scan') {
  const runs = new Runs(db);
  const id = runs.start(command, [], NOW);
  const store = new Store(db);
  const write = (more: UsageColumns[]) => db.transaction(() => store.writeRows(usageRowsOf(more)))();
  write(rows);
  const finish = (status: 'done' | 'failed') =>
    runs.finish(id, status, NOW, null, ['scan', 'merge'].includes(command) && status === 'done' ? store.writtenDays() : undefined);
  if (end !== 'open') finish(end);
  return { write, finish };
}

function dump(db: Db) {
  return {
    usage: db.prepare(`SELECT * FROM usage ORDER BY day, server, client_ip, protocol`).all(),
    snapshots: db.prepare(`SELECT hex(key) AS key, day, source, hits, auth_failures, errors FROM merge_rows ORDER BY key`).all(),
  };
}

describe('merge of a database merged before', () => {
  it('reads the days its scans wrote since, and gives what reading every row gives', () => {
    const dir = tempDir();
    const srcPath = join(dir, 'server.db');
    const src = openDatabase(srcPath);
    const days = openDatabase(join(dir, 'central-days.db'));
    const every = openDatabase(join(dir, 'central-every.db'));
    const read: (number | null)[] = [];
    const merge = () => {
      read.push(mergeDatabase(days, srcPath, NOW).daysRead);
      expect(mergeDatabase(every, srcPath, NOW, undefined, true).daysRead).toBeNull();
      expect(dump(days)).toEqual(dump(every));
    };
    try {
      run(src, [hit('2024-03-01', '192.0.2.1', 'TLS 1.0', 3), hit('2024-03-02', '192.0.2.2', 'TLS 1.2', 5)]);
      merge(); // first merge: every row
      // late logs of 03-01 (a row grows, a new row) and a new day
      run(src, [hit('2024-03-01', '192.0.2.1', 'TLS 1.0', 2), hit('2024-03-01', '192.0.2.9', 'TLS 1.1', 1),
        hit('2024-03-03', '192.0.2.3', 'TLS 1.0', 4)]);
      merge(); // the run merged last (03-01, 03-02) and the new one (03-01, 03-03)
      merge(); // nothing new: the last run's days again
      run(src, []);
      merge(); // a run that wrote nothing, after the one merged last (03-01, 03-03)
      const hits = (db: Db) => db.prepare(`SELECT sum(hits) FROM usage`).pluck().get();
      expect(hits(days)).toBe(hits(src)); // every hit of the server, once
      expect(hits(src)).toBe(15);
      run(src, [hit('2024-03-04', '192.0.2.4', 'TLS 1.0', 7)], 'failed');
      merge(); // after a failed run: every row
      run(src, [hit('2024-03-05', '192.0.2.5', 'TLS 1.0', 1)]);
      const open = run(src, [hit('2024-03-05', '192.0.2.5', 'TLS 1.0', 1)], 'open');
      merge(); // the run merged last failed: every row (and the run merged now is still running)
      merge(); // the run merged last is still running: every row
      open.write([hit('2024-03-05', '192.0.2.5', 'TLS 1.0', 10), hit('2024-03-06', '192.0.2.6', 'TLS 1.1', 2)]);
      open.finish('done');
      run(src, [hit('2024-03-09', '192.0.2.10', 'TLS 1.0', 1)]);
      merge(); // the run that was running when merged last is read again: its days (03-05, 03-06), and 03-09
      const late = run(src, [hit('2024-03-06', '192.0.2.6', 'TLS 1.1', 1)], 'open');
      late.finish('done');
      run(src, [], 'open'); // killed: marked interrupted by the next run
      run(src, [hit('2024-03-07', '192.0.2.7', 'TLS 1.0', 1)]);
      merge(); // after an interrupted run: every row
      run(src, [hit('2024-03-07', '192.0.2.7', 'TLS 1.0', 1)], 'done', 'scan --full');
      merge(); // --full keeps no days
      renameServer(src, 'EXCH01', 'EXCH09');
      run(src, [], 'done', 'rename-server');
      merge(); // rows under a new name on every day: every row
      run(src, [hit('2024-03-07', '192.0.2.7', 'TLS 1.0', 1, 'EXCH09')]);
      merge(); // the rename-server run was merged last: it has no days, so every row again
      run(src, [hit('2024-03-08', '192.0.2.8', 'TLS 1.0', 1, 'EXCH09')]);
      merge(); // 03-07, 03-08
      pruneOlderThan(src, 3);
      run(src, [], 'done', 'prune');
      run(src, [hit('2024-03-08', '192.0.2.8', 'TLS 1.0', 1, 'EXCH09')]);
      merge(); // a prune since: every row
      run(src, [hit('2024-03-08', '192.0.2.1', 'TLS 1.2', 1, 'EXCH10')], 'done', 'merge');
      merge(); // another database merged into it: its days (03-08), as a scan's
      // two writers at once (the lock bypassed): the first run's late rows, written after a merge that read up to the
      // second run, are read because the first run's end takes the later runs' days away
      const first = run(src, [hit('2024-03-09', '192.0.2.11', 'TLS 1.0', 1, 'EXCH09')], 'open');
      run(src, [hit('2024-03-10', '192.0.2.12', 'TLS 1.0', 1, 'EXCH09')]); // marks the first interrupted
      merge(); // after an interrupted run: every row
      first.write([hit('2024-03-09', '192.0.2.11', 'TLS 1.0', 4, 'EXCH09'), hit('2024-03-11', '192.0.2.13', 'TLS 1.1', 2, 'EXCH09')]);
      first.finish('done');
      merge(); // the run merged last lost its days: every row
      expect(src.prepare(`SELECT id, status, days FROM scans WHERE id >= (SELECT max(id) - 1 FROM scans)`).all()).toEqual([
        { id: expect.any(Number), status: 'done', days: null },
        { id: expect.any(Number), status: 'done', days: null },
      ]);
      expect(read).toEqual([null, 3, 2, 2, null, null, null, 3, null, null, null, null, 2, null, 1, null, null]);
    } finally {
      for (const d of [src, days, every]) d.close();
    }
  });

  it('reads every row of a database older than schema 12, or whose days it cannot read', () => {
    const db = new Database(':memory:');
    for (const m of MIGRATIONS.filter((x) => x.version <= 11)) db.exec(m.sql);
    db.prepare(`INSERT INTO scans (id, command, status, started) VALUES (1, 'scan', 'done', '2024-03-01T00:00:00Z')`).run();
    expect(changedDays(db, 1)).toBeNull(); // no scans.days
    db.exec(MIGRATIONS.find((x) => x.version === 12)?.sql ?? '');
    expect(changedDays(db, 1)).toBeNull(); // a run from before schema 12
    const days = (text: string) => db.prepare(`UPDATE scans SET days = ? WHERE id = 1`).run(text);
    days('["2024-03-02","2024-03-01"]');
    expect(changedDays(db, 1)).toEqual(['2024-03-01', '2024-03-02']);
    expect(changedDays(db, null)).toBeNull(); // never merged
    expect(changedDays(db, 2)).toBeNull(); // the run merged last is gone
    for (const bad of ['not json', '{"day":"2024-03-01"}', '[1]']) {
      days(bad);
      expect(changedDays(db, 1)).toBeNull();
    }
    db.close();
  });
});
