// A merge reading only the days written since the last merge (merge.ts, changedDays) against one reading every row,
// over random lives of three server databases: rows added, an SMTP session's hit taken back (rows left at 0
// deleted), an Exchange Online report's rows deleted and replaced, Entra ID sign-ins shared between servers, failed
// and killed runs, prune, rename-server, scan --full, one server database merged into another; and of the central
// databases: their own prune, scan --full and scans, and a regional database merging each on. After every step the
// two central databases (and the two regional ones) hold the same usage rows, merge snapshots and sign-ins.
// (Written by a reviewer of the change as a differential fuzz; seeds fixed.)
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dimsRowKey } from '../../src/aggregate/merge-key.js';
import type { UsageRow } from '../../src/aggregate/usage.js';
import { dimsOfColumns } from '../../src/aggregate/usage-dims.js';
import { mergeDatabase } from '../../src/merge/merge.js';
import { resetForFull } from '../../src/store/full-reset.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { pruneOlderThan } from '../../src/store/prune.js';
import { renameServer } from '../../src/store/rename-server.js';
import { Runs } from '../../src/store/runs.js';
import { dayNumber, insertSignIns, signInKey } from '../../src/store/signin-ledger.js';
import { Store } from '../../src/store/store.js';
import { tempDir } from '../helpers.js';

/** Histories replayed (about a quarter of a second each). */
const LIVES = 30;

const NOW = new Date('2024-04-01T00:00:00Z');

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Cols = Record<string, unknown> & { day: string; source: string; protocol: string; hits: number };
const row = (c: Cols): UsageRow => ({
  dims: dimsOfColumns(c as never), hits: c.hits, authFailures: (c.auth_failures as number) ?? 0, errors: 0,
  estimated: 0, firstSeen: `${c.day}T08:00:00Z`, lastSeen: `${c.day}T09:00:00Z`,
});

function dump(db: Db) {
  return {
    usage: db.prepare(`SELECT * FROM usage ORDER BY day, source, server, site, client_ip, username, protocol`).all(),
    snapshots: db.prepare(`SELECT hex(key) AS key, day, source, hits, auth_failures, errors FROM merge_rows ORDER BY key`).all(),
    signins: db.prepare(`SELECT day, hex(key) k, hex(row_key) r, second, failed FROM entra_signins ORDER BY day, k`).all(),
  };
}

const counted = { incremental: 0, changed: 0 };

function lifeOf(seed: number) {
  const r = rng(seed);
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const days = ['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'];
  const dir = tempDir();
  const paths = { s1: join(dir, 's1.db'), s2: join(dir, 's2.db'), t: join(dir, 't.db') };
  const srcs: Record<string, Db> = { s1: openDatabase(paths.s1), s2: openDatabase(paths.s2), t: openDatabase(paths.t) };
  const A = openDatabase(join(dir, 'a.db'));
  const B = openDatabase(join(dir, 'b.db'));
  const RA = openDatabase(join(dir, 'ra.db'));
  const RB = openDatabase(join(dir, 'rb.db'));
  const servers: Record<string, string> = { s1: 'EXCH01', s2: 'EXCH02', t: 'EXCH03' };
  const log: string[] = [];

  /** A run on `db` as the CLI makes it; `withDays` for scan/merge. */
  function inRun(db: Db, command: string, withDays: boolean, body: (store: Store) => void, end: 'done' | 'failed' | 'killed' = 'done') {
    const runs = new Runs(db);
    const id = runs.start(command, [], NOW);
    const store = new Store(db);
    body(store);
    if (end === 'killed') return; // stays running until the next run marks it interrupted
    runs.finish(id, end, NOW, null, end === 'done' && withDays ? store.writtenDays() : undefined);
  }

  function scanOps(name: string, store: Store) {
    const db = srcs[name];
    const server = servers[name];
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) {
      const kind = r();
      const day = pick(days);
      if (kind < 0.35) {
        // log rows added
        db.transaction(() => store.writeRows([row({ day, source: 'iis', server, client_ip: pick(['10.0.0.1', '10.0.0.2', '10.0.0.3']), protocol: pick(['TLS 1.0', 'TLS 1.2']), hits: 1 + Math.floor(r() * 5) })]))();
      } else if (kind < 0.5) {
        // an SMTP session's hit taken back: -1 on an existing session row, rows left at 0 deleted
        const ip = pick(['10.1.0.1', '10.1.0.2']);
        db.transaction(() => {
          // the store's writer, as the session sweep uses it (Store.commitSessions)
          const usage = (store as unknown as { usage: { add(r: UsageRow): void; endWrites(b: boolean): void } }).usage;
          usage.add(row({ day, source: 'smtp-receive', server, client_ip: ip, protocol: 'TLS 1.0', hits: r() < 0.5 ? -1 : 1 }));
          usage.endWrites(true);
        })();
      } else if (kind < 0.7) {
        // exo-style: delete the identity's rows on the day, then replace with 0..2 rows (possibly none)
        const site = pick(['conn-a', 'conn-b']);
        db.transaction(() => {
          const siteId = db.prepare(`SELECT id FROM strings WHERE value = ?`).pluck().get(site) as number | undefined;
          if (siteId !== undefined) {
            db.prepare(`DELETE FROM usage_rows WHERE day = ? AND key_id IN (SELECT id FROM usage_keys WHERE source = 'exo-connector' AND site_id = ?)`).run(day, siteId);
          }
          // the store's writer, as the Exchange Online import uses it (store/exo-rows.ts)
          const usage = (store as unknown as { usage: { replace(r: UsageRow): void } }).usage;
          const k = Math.floor(r() * 3);
          for (let j = 0; j < k; j++) usage.replace(row({ day, source: 'exo-connector', site, protocol: pick(['TLS 1.0', 'TLS 1.2', 'TLS 1.3']), hits: Math.floor(r() * 9) }));
        })();
      } else {
        // an Entra sign-in (ids shared between servers: overlapping exports)
        const id = `signin-${Math.floor(r() * 25)}`;
        const cols: Cols = { day, source: 'entra-signin', server: 'contoso', client_ip: pick(['192.0.2.1', '192.0.2.2']), protocol: 'modern', hits: 1 };
        const n2 = dayNumber(day);
        const key = signInKey(id);
        if (db.prepare(`SELECT 1 FROM entra_signins WHERE day = ? AND key = ?`).get(n2, key)) continue;
        const pb = db.prepare(`SELECT value FROM meta WHERE key = 'pruned_before'`).pluck().get() as string | undefined;
        if (pb !== undefined && day < pb) continue;
        const u = row(cols);
        db.transaction(() => {
          store.writeRows([u]);
          insertSignIns(db, [[n2, key, { rowKey: dimsRowKey(u.dims), second: 3600, failed: false }]]);
        })();
      }
    }
  }

  function sourceStep(name: string) {
    const db = srcs[name];
    const k = r();
    const end = k < 0.07 ? 'failed' : k < 0.12 ? 'killed' : 'done';
    const op = r();
    if (op < 0.72 || name === 't') {
      inRun(db, 'scan', true, (s) => scanOps(name, s), end);
      log.push(`${name}: scan ${end}`);
    } else if (op < 0.78) {
      inRun(db, 'prune', false, () => pruneOlderThan(db, 2 + Math.floor(r() * 5)));
      log.push(`${name}: prune`);
    } else if (op < 0.84) {
      inRun(db, 'rename-server', false, () => {
        try {
          const to = servers[name] === 'EXCH01' ? 'EXCH01b' : servers[name] === 'EXCH01b' ? 'EXCH01' : servers[name] === 'EXCH02' ? 'EXCH02b' : 'EXCH02';
          renameServer(db, servers[name], to);
          servers[name] = to;
        } catch { /* nothing to rename, or merged data */ }
      });
      log.push(`${name}: rename-server`);
    } else if (op < 0.9) {
      inRun(db, 'scan --full', false, (s) => { resetForFull(db); scanOps(name, s); });
      log.push(`${name}: scan --full`);
    } else if (name === 's1') {
      // another database merged into this one
      inRun(db, 'merge', true, (s) => { void s; });
      const runs = new Runs(db);
      const id = runs.start('merge', [], NOW);
      try {
        const res = mergeDatabase(db, paths.t, NOW, id);
        runs.finish(id, 'done', NOW, null, res.writtenDays);
        log.push(`${name}: merge t`);
      } catch (e) {
        runs.finish(id, 'failed', NOW, String(e));
        log.push(`${name}: merge t failed ${(e as Error).message}`);
      }
    } else {
      inRun(db, 'scan', true, (s) => scanOps(name, s), end);
      log.push(`${name}: scan ${end}`);
    }
  }

  function centralMerge(name: string) {
    const res: Record<string, unknown> = {};
    for (const [c, full] of [[A, false], [B, true]] as const) {
      const runs = new Runs(c);
      const id = runs.start('merge', [paths[name as 's1']], NOW);
      try {
        const m = mergeDatabase(c, paths[name as 's1'], NOW, id, full);
        runs.finish(id, 'done', NOW, null, m.writtenDays);
        res[full ? 'full' : 'inc'] = m.daysRead;
        if (!full && m.daysRead !== null) {
          counted.incremental++;
          if (m.rowsChanged > 0) counted.changed++;
        }
      } catch (e) {
        runs.finish(id, 'failed', NOW, String(e));
        res[full ? 'full' : 'inc'] = (e as Error).message;
      }
    }
    log.push(`central: merge ${name} ${JSON.stringify(res)}`);
  }

  function regionalMerge() {
    for (const [c, full] of [[RA, false], [RB, true]] as const) {
      const runs = new Runs(c);
      const id = runs.start('merge', [], NOW);
      const m = mergeDatabase(c, join(dir, 'a.db'), NOW, id, full);
      runs.finish(id, 'done', NOW, null, m.writtenDays);
    }
    log.push('regional: merge a');
  }

  try {
    for (let step = 0; step < 60; step++) {
      const k = r();
      if (k < 0.45) sourceStep(pick(['s1', 's2', 't']));
      else if (k < 0.8) centralMerge(pick(['s1', 's2']));
      else if (k < 0.85) {
        const d = 2 + Math.floor(r() * 5);
        for (const c of [A, B]) inRun(c, 'prune', false, () => pruneOlderThan(c, d));
        log.push(`central: prune ${d}`);
      } else if (k < 0.88) {
        for (const c of [A, B]) inRun(c, 'scan --full', false, () => resetForFull(c));
        log.push('central: scan --full');
      } else if (k < 0.93) {
        const cols: Cols = { day: pick(days), source: 'iis', server: 'CENTRAL', client_ip: '10.9.9.9', protocol: 'TLS 1.0', hits: 1 };
        for (const c of [A, B]) inRun(c, 'scan', true, (s) => c.transaction(() => s.writeRows([row(cols)]))());
        log.push('central: own scan');
      } else {
        regionalMerge();
      }
      const a = dump(A);
      const b = dump(B);
      if (JSON.stringify(a) !== JSON.stringify(b)) return { seed, step, log, diff: true, a, b };
      const ra = dump(RA);
      const rb = dump(RB);
      if (JSON.stringify(ra) !== JSON.stringify(rb)) return { seed, step, log, diff: true, regional: true, ra, rb };
    }
    return { seed, diff: false, log };
  } finally {
    for (const d of [...Object.values(srcs), A, B, RA, RB]) d.close();
  }
}

describe('a merge reading the days written since', () => {
  it('gives what reading every row gives, over random lives of server and central databases', () => {
    for (let seed = 1; seed <= LIVES; seed++) {
      const res = lifeOf(seed);
      // the history that led there, on failure
      if (res.diff) expect(JSON.stringify(res, null, 1).slice(0, 20000)).toBe('');
    }
    // and the merges compared were mostly incremental ones that changed something
    expect(counted.incremental).toBeGreaterThan(150);
    expect(counted.changed).toBeGreaterThan(40);
  });
});
