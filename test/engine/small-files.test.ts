// Small files (fingerprinted on fewer than 4 KiB: a quiet hour's log) are found again by the fingerprint of their first
// 256 bytes (files.short_print, schema 13): unchanged ones are left alone, grown ones read on from where they stopped,
// like one clean scan of the grown files. Small files stored before schema 13 (no short print) are found the old way
// and get their short print when met.
import { appendFileSync, mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCAN, scan } from '../../src/engine/scan.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';
import { generateIisFolder } from '../../src/synth/iis-traffic.js';
import { tempDir } from '../helpers.js';

const OLD = new Date('2024-01-01T00:00:00Z');

const run = (db: Db, path: string) =>
  scan(new Store(db), { ...DEFAULT_SCAN, paths: [path], exclude: [db.name], fieldMap: DEFAULT_FIELD_MAP, now: new Date(), jobs: 1 });

const usageRows = (db: Db) =>
  db.prepare(`SELECT * FROM usage ORDER BY day, source, server, site, client_ip, proxy_ip, username, user_agent, endpoint,
    protocol, protocol_code, cipher, hash, key_exchange, internal`).all();

/** Hourly logs of one server, each its header and a few lines (300 bytes to 4 KB), and the lines each can grow by. */
function hourlyLogs(dir: string): { files: string[]; more: string[] } {
  const gen = generateIisFolder(join(dir, 'gen'), { servers: ['EXCH01'], days: 1, startDate: '2024-03-11', linesPerServerPerDay: 400, seed: 3 });
  const text = readFileSync(gen.files[0], 'utf8');
  const lines = text.split('\r\n').filter((l) => l !== '');
  const head = lines.filter((l) => l.startsWith('#') && !l.startsWith('#Date'));
  const data = lines.filter((l) => !l.startsWith('#'));
  const out = join(dir, 'logs', 'EXCH01', 'W3SVC1');
  mkdirSync(out, { recursive: true });
  const files: string[] = [];
  const more: string[] = [];
  let at = 0;
  for (let hour = 0; hour < 24 && at < data.length; hour++) {
    const take = (hour % 9) + 1; // 1 to 9 lines: each file its own size
    const mine = data.slice(at, at + take);
    at += take;
    const file = join(out, `u_ex240311${String(hour).padStart(2, '0')}_x.log`);
    writeFileSync(file, [...head.slice(0, 2), `#Date: 2024-03-11 ${String(hour).padStart(2, '0')}:00:00`, ...head.slice(2), ...mine, ''].join('\r\n'));
    utimesSync(file, OLD, OLD);
    files.push(file);
    more.push(data.slice(at, at + 3).join('\r\n') + '\r\n');
    at += 3;
  }
  return { files, more };
}

/** Grows each file by its lines, as the hour's log goes on. */
function grow(files: string[], more: string[]): void {
  files.forEach((f, i) => {
    appendFileSync(f, more[i]);
    utimesSync(f, OLD, OLD);
  });
}

async function cleanRows(dir: string, name: string): Promise<unknown[]> {
  const db = openDatabase(join(dir, name));
  await run(db, join(dir, 'logs'));
  const rows = usageRows(db);
  db.close();
  return rows;
}

describe('small files found again by their short print', () => {
  it('a re-scan leaves them alone; grown, each is read on from where it stopped', async () => {
    const dir = tempDir();
    const { files, more } = hourlyLogs(dir);
    const db = openDatabase(join(dir, 'out.db'));
    await run(db, join(dir, 'logs'));
    const small = db.prepare(`SELECT count(*) FROM files WHERE fp_bytes < 4096 AND short_print IS NOT NULL`).pluck().get() as number;
    expect(small).toBe(files.length);
    expect(new Set(files.map((f) => readFileSync(f).length)).size).toBeGreaterThan(10);

    const again = await run(db, join(dir, 'logs'));
    expect(again).toMatchObject({ filesRead: 0, filesUnchanged: files.length, bytes: 0 });
    grow(files, more);
    const grown = await run(db, join(dir, 'logs'));
    expect(grown).toMatchObject({ filesRead: files.length, bytes: more.reduce((n, m) => n + Buffer.byteLength(m), 0) });
    expect(usageRows(db)).toEqual(await cleanRows(dir, 'clean.db'));
    db.close();
  });

  it('a re-scan of the folder moved elsewhere stores the new paths, and lists a file that is no log once', async () => {
    const dir = tempDir();
    const { files } = hourlyLogs(dir);
    writeFileSync(join(dir, 'logs', 'notes.txt'), 'not a log\n');
    const db = openDatabase(join(dir, 'out.db'));
    await run(db, join(dir, 'logs'));
    renameSync(join(dir, 'logs'), join(dir, 'moved'));
    const again = await run(db, join(dir, 'moved'));
    expect(again).toMatchObject({ filesRead: 0, filesUnchanged: files.length, filesSkipped: 1 });
    const paths = db.prepare(`SELECT path, status FROM files ORDER BY path`).all() as { path: string; status: string }[];
    expect(paths.filter((p) => p.status === 'read' && p.path.startsWith(join(dir, 'moved')))).toHaveLength(files.length);
    expect(paths.filter((p) => p.status === 'skipped').map((p) => p.path)).toEqual([join(dir, 'logs', 'notes.txt'), join(dir, 'moved', 'notes.txt')]);
    db.close();
  });

  it('hourly files give the rows of the same lines in one daily file (their rows summed while held)', async () => {
    const dir = tempDir();
    const { files } = hourlyLogs(dir);
    // the daily file: the same directives once, then every hourly file's lines
    const daily = join(dir, 'daily', 'EXCH01', 'W3SVC1');
    mkdirSync(daily, { recursive: true });
    const texts = files.map((f) => readFileSync(f, 'utf8').split('\r\n'));
    const lines = [...texts[0].filter((l) => l.startsWith('#')), ...texts.flatMap((t) => t.filter((l) => l !== '' && !l.startsWith('#'))), ''];
    writeFileSync(join(daily, 'u_ex240311_x.log'), lines.join('\r\n'));
    utimesSync(join(daily, 'u_ex240311_x.log'), OLD, OLD);
    const one = openDatabase(join(dir, 'one.db'));
    await run(one, join(dir, 'daily'));
    const many = openDatabase(join(dir, 'many.db'));
    await run(many, join(dir, 'logs'));
    expect(usageRows(many)).toEqual(usageRows(one));
    one.close();
    many.close();
  });

  it('a copy of a file whose commit is held, met later in the same scan, is not counted again', async () => {
    const dir = tempDir();
    const { files } = hourlyLogs(dir);
    const copies = join(dir, 'logs', 'zz-copies');
    mkdirSync(copies, { recursive: true });
    for (const f of files.slice(-3)) { // the last: still held when their copies come
      writeFileSync(join(copies, f.split(/[\\/]/).pop() as string), readFileSync(f));
      utimesSync(join(copies, f.split(/[\\/]/).pop() as string), OLD, OLD);
    }
    const db = openDatabase(join(dir, 'out.db'));
    const stats = await run(db, join(dir, 'logs'));
    expect(stats).toMatchObject({ filesRead: files.length, filesUnchanged: 3 });
    const clean = openDatabase(join(dir, 'clean.db'));
    await run(clean, join(dir, 'logs', 'EXCH01'));
    expect(usageRows(db)).toEqual(usageRows(clean));
    db.close();
    clean.close();
  });

  it('small files stored before schema 13 are found the old way, then get their short print', async () => {
    const dir = tempDir();
    const { files, more } = hourlyLogs(dir);
    const db = openDatabase(join(dir, 'out.db'));
    await run(db, join(dir, 'logs'));
    db.exec(`UPDATE files SET short_print = NULL`);
    const again = await run(db, join(dir, 'logs'));
    expect(again).toMatchObject({ filesRead: 0, filesUnchanged: files.length, bytes: 0 });
    const printed = db.prepare(`SELECT count(*) FROM files WHERE short_print IS NOT NULL`).pluck().get();
    expect(printed).toBe(files.length);
    // the prints written are those a new scan gives
    const fresh = openDatabase(join(dir, 'fresh.db'));
    await run(fresh, join(dir, 'logs'));
    const prints = (d: Db) => d.prepare(`SELECT path, fp_bytes, short_print FROM files ORDER BY path`).all();
    expect(prints(db)).toEqual(prints(fresh));
    fresh.close();
    // half of them unprinted again, then all grown: read on, none read twice
    db.exec(`UPDATE files SET short_print = NULL WHERE id % 2 = 0`);
    grow(files, more);
    const grown = await run(db, join(dir, 'logs'));
    expect(grown).toMatchObject({ filesRead: files.length, bytes: more.reduce((n, m) => n + Buffer.byteLength(m), 0) });
    expect(usageRows(db)).toEqual(await cleanRows(dir, 'clean.db'));
    db.close();
  });
});
