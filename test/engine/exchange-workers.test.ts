// Exchange protocol logs on parse workers: sessions continue from one hourly file to the next (pending_sessions), so
// a chain of files (a format's files, or one server's SMTP Receive logs) is read one at a time and in order wherever
// it is read (on workers from SHARED_SESSIONS_MIN_JOBS on), and different chains at once. 2, 3 and 4 workers give
// the same database as a scan in one thread, table by table, in one scan and over two scans with sessions left open.
import { appendFileSync, cpSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCAN, scan, type ScanOptions } from '../../src/engine/scan.js';
import { SHARED_SESSIONS_MIN_JOBS } from '../../src/engine/scan-scheduler.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';
import { generateExchangeFolder, type ExchangeFolderResult } from '../../src/synth/exchange-traffic.js';
import { readFixture, tempDir } from '../helpers.js';

// Parse workers run the built code (dist/parse-worker.mjs): `npm test` builds first.
const START = '2024-03-11';
const FILE_TIME = new Date('2024-03-12T00:00:00Z');

function folder(): { dir: string; result: ExchangeFolderResult } {
  const dir = tempDir();
  const result = generateExchangeFolder(dir, { servers: ['EXCH01', 'EXCH02'], hours: 4, startDate: START, smtpPerHour: 40, popImapPerHour: 24, seed: 5 });
  // HTTP.sys error logs (no shared sessions: read on any worker, at once with the Exchange files)
  const httperr = join(dir, 'EXCH01', 'HTTPERR');
  mkdirSync(httperr, { recursive: true });
  for (const name of ['logjoint-HTTPERR_SmokeTest.httperr.log', 'plaso-httperr.log']) writeFileSync(join(httperr, name), readFixture(`httperr/${name}`));
  for (const f of [...result.files, ...readdirSync(httperr).map((n) => join(httperr, n))]) utimesSync(f, FILE_TIME, FILE_TIME);
  return { dir, result };
}

async function run(db: Db, dir: string, jobs: number, now: Date, extra: Partial<ScanOptions> = {}) {
  const warnings: string[] = [];
  const stats = await scan(new Store(db), {
    ...DEFAULT_SCAN, paths: [dir], jobs, workerMinBytes: 0, fieldMap: DEFAULT_FIELD_MAP, now, exclude: [db.name],
    onDiagnostic: (f, l, c) => warnings.push(`${relative(dir, f)}:${l}:${c}`),
    ...extra,
  });
  return { stats, warnings: warnings.sort() };
}

/**
 * Every table and the usage view, rows sorted; left out: surrogate ids (they differ with the order of commits) and
 * the database's own random id.
 */
function dump(db: Db, dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  for (const name of [...tables, 'usage']) {
    const cols = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[])
      .filter((c) => c !== 'id' && !c.endsWith('_id') && c !== 'started' && c !== 'finished');
    const rows = db.prepare(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${name}"`).raw().all() as unknown[][];
    out[name] = rows.map((r) => JSON.stringify(r).split(dir).join('<dir>')).filter((r) => !r.startsWith('["database_id"')).sort();
  }
  return out;
}

const hitsBySource = (db: Db): Record<string, number> =>
  Object.fromEntries(db.prepare(`SELECT source, sum(hits) FROM usage GROUP BY source`).raw().all() as [string, number][]);

describe('Exchange logs on parse workers', () => {
  it('give the database of a single-threaded scan, every session counted once', async () => {
    const { dir, result } = folder();
    const now = new Date('2024-04-01T00:00:00Z'); // long after the logs: every session open at a file's end is idle
    const one = openDatabase(join(tempDir(), 'one.db'));
    const r1 = await run(one, dir, 1, now);
    const { httperr, ...exchange } = hitsBySource(one);
    expect(exchange).toEqual(result.sessions);
    expect(httperr).toBeGreaterThan(0);
    expect(r1.stats.filesRead).toBe(result.files.length + 2);
    for (const jobs of [SHARED_SESSIONS_MIN_JOBS, SHARED_SESSIONS_MIN_JOBS + 1]) {
      const many = openDatabase(join(tempDir(), `many${jobs}.db`));
      const rn = await run(many, dir, jobs, now, { flushLines: 499, flushRows: 40 });
      expect(dump(many, dir)).toEqual(dump(one, dir));
      // sessions open at a file's end were counted idle, then taken back: no row is left at 0 hits
      expect(many.prepare(`SELECT count(*) FROM usage_rows WHERE hits = 0`).pluck().get()).toBe(0);
      expect(rn.stats).toEqual(r1.stats);
      expect(rn.warnings).toEqual(r1.warnings);
      many.close();
    }
    one.close();
  });

  it('read two servers\' Receive logs at once, and one server\'s logs split over two folders in order', async () => {
    const { dir, result } = folder();
    // EXCH01's last two hours of Receive logs exported to a folder that names no server, found after EXCH02's files:
    // the sessions that continue from hour 01 into hour 02 continue across the folders (one chain: the connector ids)
    const moved = result.files.filter((f) => /[\\/]SmtpReceive[\\/]RECV\d{8}0[23]-1\.LOG$/i.test(f) && f.includes('EXCH01'));
    expect(moved.length).toBe(2);
    for (const f of moved) {
      const to = join(dir, 'zz-export', f.split(/[\\/]/).pop() as string);
      mkdirSync(dirname(to), { recursive: true });
      renameSync(f, to);
    }
    const now = new Date('2024-04-01T00:00:00Z');
    const one = openDatabase(join(tempDir(), 'one.db'));
    const r1 = await run(one, dir, 1, now);
    const { httperr, ...exchange } = hitsBySource(one);
    expect(exchange).toEqual(result.sessions);
    expect(httperr).toBeGreaterThan(0);
    expect(one.prepare(`SELECT count(*) FROM pending_sessions`).pluck().get()).toBe(0);
    for (const [jobs, maxChained] of [[2, undefined], [3, undefined], [2, 1], [3, 2]] as const) {
      const many = openDatabase(join(tempDir(), `many${jobs}-${maxChained}.db`));
      // maxChained: the scan waits once that many files are queued behind their chains
      const rn = await run(many, dir, jobs, now, { flushLines: 301, flushRows: 25, maxChained });
      expect(dump(many, dir)).toEqual(dump(one, dir));
      expect(rn.stats).toEqual(r1.stats);
      many.close();
    }
    one.close();
  });

  it('read a chain\'s files on its worker one after the other, or here when small, and give the same database', async () => {
    const { dir, result } = folder();
    const now = new Date('2024-04-01T00:00:00Z');
    const one = openDatabase(join(tempDir(), 'one.db'));
    const r1 = await run(one, dir, 1, now);
    // files under the median size are read in this thread, between files of their chain read on a worker
    const sizes = result.files.map((f) => statSync(f).size).sort((a, b) => a - b);
    const median = sizes[sizes.length >> 1];
    expect(sizes[0]).toBeLessThan(median);
    const mixed = openDatabase(join(tempDir(), 'mixed.db'));
    const rm = await run(mixed, dir, 2, now, { workerMinBytes: median, flushLines: 301 });
    expect(dump(mixed, dir)).toEqual(dump(one, dir));
    expect(rm.stats).toEqual(r1.stats);
    for (const db of [one, mixed]) db.close();
  });

  it('a file whose batch fails to commit fails the next file of its chain (it started from its sessions); the next scan completes both', async () => {
    const { dir, result } = folder();
    const recv = result.files.filter((f) => f.includes('EXCH01') && /[\\/]SmtpReceive[\\/]RECV/i.test(f)).sort();
    expect(recv.length).toBe(4);
    appendFileSync(recv[1], 'not a line of this log\r\n'); // a diagnostic, where this test makes the commit fail
    utimesSync(recv[1], FILE_TIME, FILE_TIME);
    const now = new Date('2024-04-01T00:00:00Z');
    const one = openDatabase(join(tempDir(), 'one.db'));
    await run(one, dir, 1, now);
    const db = openDatabase(join(tempDir(), 'failing.db'));
    const failing = await run(db, dir, 2, now, {
      flushLines: 301,
      onDiagnostic: (f, _line, code) => {
        if (f === recv[1] && code !== 'read_error') throw new Error('injected');
      },
    });
    // the next file, and the one after it when it was handed to the worker before the failure was known
    const failed = db.prepare(`SELECT path, reason FROM files WHERE status = 'error' ORDER BY path`).raw().all() as string[][];
    const chained = 'cannot read: the previous file of its chain could not be read in this scan; it is read again by the next';
    expect(failed.slice(0, 2)).toEqual([[recv[1], 'cannot read: injected'], [recv[2], chained]]);
    expect(failed.slice(2)).toEqual(failed.length === 3 ? [[recv[3], chained]] : []);
    expect(failing.stats.filesFailed).toBe(failed.length);
    const again = await run(db, dir, 2, now);
    expect(again.stats.filesFailed).toBe(0);
    const usage = (d: Db): unknown[] => d.prepare(`SELECT * FROM usage ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`).raw().all();
    expect(usage(db)).toEqual(usage(one));
    expect(db.prepare(`SELECT count(*) FROM pending_sessions`).pluck().get()).toBe(0);
    for (const d of [one, db]) d.close();
  });

  it('move a chain to a worker that ran out of work, from its sessions as committed, and give the same database', async () => {
    // three servers' Receive logs on two workers: one worker reads two chains in turn, the other runs out first
    const dir = tempDir();
    const result = generateExchangeFolder(dir, { servers: ['EXCH01', 'EXCH02', 'EXCH03'], hours: 8, startDate: START, smtpPerHour: 300, popImapPerHour: 1, seed: 7 });
    const recv = result.files.filter((f) => /[\\/]SmtpReceive[\\/]/i.test(f));
    for (const f of recv) utimesSync(f, FILE_TIME, FILE_TIME);
    const paths = ['EXCH01', 'EXCH02', 'EXCH03'].map((s) => dirname(recv.find((f) => f.includes(s)) as string));
    const now = new Date('2024-04-01T00:00:00Z');
    const one = openDatabase(join(tempDir(), 'one.db'));
    const r1 = await run(one, dir, 1, now, { paths });
    expect(hitsBySource(one)).toEqual({ 'smtp-receive': result.sessions['smtp-receive'] });
    const moves: string[] = [];
    for (let round = 0; round < 3; round++) {
      const two = openDatabase(join(tempDir(), `two${round}.db`));
      const r2 = await run(two, dir, 2, now, { paths, flushLines: 997, onChainMove: (c) => moves.push(c) });
      expect(dump(two, dir)).toEqual(dump(one, dir));
      expect(r2.stats).toEqual(r1.stats);
      two.close();
    }
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.every((c) => /^receive:exch0[123]$/.test(c))).toBe(true);
    one.close();
  });

  it('count, at the end of a scan, sessions an earlier scan left open and no file of this one continues', async () => {
    const { dir, result } = folder();
    // EXCH01's last hour never comes (the sessions its hour 02 left open stay pending); EXCH02's arrives after the
    // first scan, and the second scan, two hours after the logs, reads only it: EXCH01's pending sessions are idle by
    // then, and only the end-of-scan sweep counts them
    const moveOut = (server: string): string[] => {
      const files = result.files.filter((f) => f.includes(server) && /\d{8}03(?:-1)?\.LOG$/i.test(f));
      for (const f of files) {
        const to = join(`${dir}-${server}`, relative(dir, f));
        mkdirSync(dirname(to), { recursive: true });
        renameSync(f, to);
      }
      return files;
    };
    expect(moveOut('EXCH01').length).toBeGreaterThan(0);
    const last = moveOut('EXCH02');
    const dbs = [1, 2].map((jobs) => ({ jobs, db: openDatabase(join(tempDir(), `sweep${jobs}.db`)) }));
    for (const { jobs, db } of dbs) await run(db, dir, jobs, new Date(`${START}T03:05:00Z`), { settleMs: 0 });
    const open = (db: Db): number => db.prepare(`SELECT count(*) FROM pending_sessions WHERE counted = 0`).pluck().get() as number;
    expect(open(dbs[0].db)).toBeGreaterThan(0);
    cpSync(`${dir}-EXCH02`, dir, { recursive: true });
    for (const f of last) utimesSync(f, FILE_TIME, FILE_TIME);
    const after = new Date(`${START}T06:00:00Z`);
    // the same files read in one scan at that time: every session counted once, EXCH01's last ones as they stand
    const whole = openDatabase(join(tempDir(), 'whole.db'));
    await run(whole, dir, 1, after, { settleMs: 0 });
    for (const { jobs, db } of dbs) {
      const r = await run(db, dir, jobs, after, { settleMs: 0 });
      expect(r.stats.filesRead).toBe(last.length);
      expect(hitsBySource(db)).toEqual(hitsBySource(whole));
      expect(open(db)).toBe(0);
    }
    expect(dump(dbs[1].db, dir)).toEqual(dump(dbs[0].db, dir));
    for (const { db } of [...dbs, { db: whole }]) db.close();
  });

  it('carry sessions left open by one scan into the next, as one thread does', async () => {
    const { dir, result } = folder();
    // the last hour's files arrive after the first scan; the scan runs minutes after the logs, so open sessions wait
    const later = tempDir();
    const last = result.files.filter((f) => /(?:RECV|SEND|POP3|IMAP4)\d{8}03(?:-1)?\.LOG$/i.test(f.split(/[\\/]/).pop() ?? ''));
    expect(last.length).toBeGreaterThan(0);
    for (const f of last) {
      const to = join(later, relative(dir, f));
      mkdirSync(dirname(to), { recursive: true });
      renameSync(f, to);
    }
    const firstNow = new Date(`${START}T03:05:00Z`);
    const secondNow = new Date(`${START}T04:05:00Z`);
    const dbs = [1, SHARED_SESSIONS_MIN_JOBS].map((jobs) => ({ jobs, db: openDatabase(join(tempDir(), `scan${jobs}.db`)) }));
    for (const { jobs, db } of dbs) await run(db, dir, jobs, firstNow, { settleMs: 0 });
    expect(dump(dbs[1].db, dir)).toEqual(dump(dbs[0].db, dir));
    expect(dbs[0].db.prepare(`SELECT count(*) FROM pending_sessions`).pluck().get()).toBeGreaterThan(0);
    cpSync(later, dir, { recursive: true });
    for (const f of last) utimesSync(f, FILE_TIME, FILE_TIME);
    for (const { jobs, db } of dbs) await run(db, dir, jobs, secondNow, { settleMs: 0 });
    expect(dump(dbs[1].db, dir)).toEqual(dump(dbs[0].db, dir));
    for (const { db } of dbs) db.close();
    rmSync(later, { recursive: true, force: true });
    expect(readdirSync(dir).length).toBeGreaterThan(0);
  });
});
