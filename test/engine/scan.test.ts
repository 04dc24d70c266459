import { copyFileSync, cpSync, mkdirSync, appendFileSync, readFileSync, symlinkSync, utimesSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCAN, scan, type ScanOptions } from '../../src/engine/scan.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';
import { fixture, readFixture, tempDir } from '../helpers.js';

const OLD = new Date('2024-01-01T00:00:00Z');

function age(path: string): void {
  utimesSync(path, OLD, OLD);
}

async function run(db: Db, paths: string[], extra: Partial<ScanOptions> = {}) {
  const diags: string[] = [];
  const stats = await scan(new Store(db), {
    ...DEFAULT_SCAN,
    paths,
    exclude: [db.name],
    fieldMap: DEFAULT_FIELD_MAP,
    now: new Date(),
    onDiagnostic: (f, l, c) => diags.push(`${f}:${l}:${c}`),
    ...extra,
  });
  return { stats, diags };
}

const hits = (db: Db, where = '1=1'): number =>
  (db.prepare(`SELECT coalesce(sum(hits), 0) AS n FROM usage WHERE ${where}`).get() as { n: number }).n;
const usageRows = (db: Db) =>
  db.prepare(`SELECT * FROM usage ORDER BY day, client_ip, user_agent, endpoint, protocol, server, site`).all();

function exportedFolder(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'EXCH01', 'W3SVC1'), { recursive: true });
  const log = join(dir, 'EXCH01', 'W3SVC1', 'u_ex240311_x.log');
  copyFileSync(fixture('iis/composed-crypt-fields.log'), log);
  age(log);
  return dir;
}

describe('scan: folders, formats, layout', () => {
  it('derives server and site from the exported layout and lists unrecognized files as skipped', async () => {
    const dir = exportedFolder();
    writeFileSync(join(dir, 'notes.txt'), 'not a log\n');
    writeFileSync(join(dir, 'empty.log'), '');
    const db = openDatabase(join(dir, 'out.db'));
    const { stats } = await run(db, [dir]);
    expect(stats).toMatchObject({ filesRead: 1, filesSkipped: 2, records: 13, badLines: 2 });
    const servers = db.prepare(`SELECT DISTINCT server, site FROM usage`).all();
    expect(servers).toEqual([{ server: 'EXCH01', site: 'W3SVC1' }]);
    const skipped = db.prepare(`SELECT path, reason, bad_lines FROM files WHERE status = 'skipped' ORDER BY path`).all() as { path: string; reason: string; bad_lines: number }[];
    expect(skipped.map((s) => [s.path.endsWith('empty.log'), s.bad_lines])).toEqual([[true, 0], [false, 0]]);
    expect(skipped[0].reason).toBe('empty file');
    expect(skipped[1].reason).toMatch(/no #Software\/#Fields directives/);
    const diag = db.prepare(`SELECT code, count, first_line FROM diagnostics ORDER BY code`).all();
    expect(diag).toEqual([
      { code: 'field_count', count: 1, first_line: 15 },
      { code: 'garbage', count: 1, first_line: 16 },
    ]);
    db.close();
  });

  it('reads .gz files and .zip entries in place, by content, with the zip folder layout', async () => {
    const dir = tempDir();
    const log = readFixture('iis/composed-crypt-fields.log');
    writeFileSync(join(dir, 'renamed-anything.dat'), gzipSync(log));
    const zip = new yazl.ZipFile();
    zip.addBuffer(log, 'EXCH02/W3SVC1/u_ex240311_x.log');
    zip.addBuffer(gzipSync(readFixture('iis/plaso-iis10.log')), 'EXCH03/W3SVC1/u_ex210401.log.gz');
    zip.addBuffer(Buffer.from('readme'), 'README.txt');
    zip.end();
    await finished(zip.outputStream.pipe(createWriteStream(join(dir, 'export.zip'))));
    const db = openDatabase(join(dir, 'out.db'));
    const { stats } = await run(db, [dir]);
    expect(stats.filesRead).toBe(2); // the gzip and the zip entry have the same content: one identity
    expect(stats.filesUnchanged).toBe(1);
    expect(stats.filesSkipped).toBe(1);
    expect(hits(db)).toBe(13 + 1); // plaso iis10 has no trailing newline: complete inside an archive
    const paths = db.prepare(`SELECT path FROM files WHERE status = 'read' ORDER BY path`).pluck().all() as string[];
    expect(paths.some((p) => p.endsWith('export.zip!EXCH03/W3SVC1/u_ex210401.log.gz'))).toBe(true);
    expect(db.prepare(`SELECT DISTINCT server FROM usage WHERE day = '2021-04-01'`).pluck().all()).toEqual(['EXCH03']);
    db.close();
  });

  it('does not hang on symlink loops and reports unreadable entries, scanning the rest', async () => {
    const dir = exportedFolder();
    symlinkSync(dir, join(dir, 'EXCH01', 'loop'));
    symlinkSync(join(dir, 'missing-target'), join(dir, 'dangling.log'));
    const db = openDatabase(join(dir, 'out.db'));
    const { stats, diags } = await run(db, [dir]);
    expect(stats.filesRead).toBe(1);
    expect(stats.filesFailed).toBe(1);
    expect(diags.some((d) => d.includes('dangling.log'))).toBe(true);
    expect(db.prepare(`SELECT status FROM files WHERE path LIKE '%dangling.log'`).pluck().get()).toBe('error');
    expect(hits(db)).toBe(13);
    db.close();
  });
});

describe('scan: incremental and exact', () => {
  it('holds back an unfinished last line of a fresh file and picks it up later', async () => {
    const dir = tempDir();
    const log = join(dir, 'u_ex210401.log');
    copyFileSync(fixture('iis/plaso-iis10.log'), log); // no trailing newline, modified just now
    const db = openDatabase(join(dir, 'out.db'));
    const first = await run(db, [log]);
    expect(first.stats.heldBack).toBe(1);
    expect(hits(db)).toBe(0);
    age(log);
    const second = await run(db, [log]);
    expect(second.stats.records).toBe(1);
    expect(hits(db)).toBe(1);
    const third = await run(db, [log]);
    expect(third.stats.filesUnchanged).toBe(1);
    expect(hits(db)).toBe(1);
    db.close();
  });

  it('reads only the new tail of a growing file: totals equal one scan of the whole file', async () => {
    const bytes = readFixture('iis/lnav-logfile_w3c_big.0.log');
    const whole = join(tempDir(), 'WEB01');
    mkdirSync(whole);
    writeFileSync(join(whole, 'u_ex.log'), bytes);
    age(join(whole, 'u_ex.log'));
    const dbWhole = openDatabase(join(whole, 'out.db'));
    await run(dbWhole, [join(whole, 'u_ex.log')]);

    const grow = join(tempDir(), 'WEB01');
    mkdirSync(grow);
    const log = join(grow, 'u_ex.log');
    const dbGrow = openDatabase(join(grow, 'out.db'));
    const cuts = [3000, 3001, 9000, 17000, bytes.length];
    let from = 0;
    for (const cut of cuts) {
      appendFileSync(log, bytes.subarray(from, cut)); // cuts fall inside lines
      from = cut;
      age(log);
      await run(dbGrow, [log], { now: new Date(), settleMs: cut === bytes.length ? 0 : 10 ** 12 });
    }
    expect(usageRows(dbGrow)).toEqual(usageRows(dbWhole));
    expect(hits(dbGrow)).toBeGreaterThan(200);
    dbWhole.close();
    dbGrow.close();
  });

  it('never counts a copied folder twice, and reads only what a later export added', async () => {
    const dir = exportedFolder();
    const copy = join(dir, '..', `${dir.split(/[\\/]/).pop()}-copy`);
    cpSync(dir, copy, { recursive: true, preserveTimestamps: true });
    const db = openDatabase(join(tempDir(), 'out.db'));
    await run(db, [dir, copy]);
    expect(hits(db)).toBe(13);
    const later = join(copy, 'EXCH01', 'W3SVC1', 'u_ex240311_x.log');
    appendFileSync(later, '2024-03-12 00:00:03 10.20.0.15 GET /Rpc/rpcproxy.dll - 443 CONTOSO\\jdoe 203.0.113.44 MSRPC 200\n');
    age(later);
    const again = await run(db, [dir, copy]);
    expect(again.stats.records).toBe(1);
    expect(hits(db)).toBe(14);
    db.close();
  });

  it('reads a file replaced under the same name as a new file', async () => {
    const dir = tempDir();
    const log = join(dir, 'u_ex.log');
    copyFileSync(fixture('iis/plaso-iis6.log'), log);
    age(log);
    const db = openDatabase(join(dir, 'out.db'));
    await run(db, [log]);
    copyFileSync(fixture('iis/plaso-iis7_owa.log'), log);
    age(log);
    await run(db, [log]);
    expect(hits(db)).toBe(12 + 3);
    db.close();
  });

  it('gives the same database whatever the flush size (checkpoints inside a file are exact)', async () => {
    const dir = exportedFolder();
    copyFileSync(fixture('iis/lnav-logfile_w3c_big.0.log'), join(dir, 'big.log'));
    age(join(dir, 'big.log'));
    const a = openDatabase(join(tempDir(), 'a.db'));
    const b = openDatabase(join(tempDir(), 'b.db'));
    await run(a, [dir]);
    await run(b, [dir], { flushLines: 7, flushRows: 3 });
    expect(usageRows(b)).toEqual(usageRows(a));
    const files = (d: Db) => d.prepare(`SELECT path, consumed, lines, records, bad_lines, reasons FROM files ORDER BY path`).all();
    expect(files(b)).toEqual(files(a));
    a.close();
    b.close();
  });
});

describe('scan: encodings', () => {
  it('reads a windows-1252 file and a UTF-8 BOM file to the same user agent text', async () => {
    const dir = tempDir();
    const head = '#Fields: date time c-ip cs(User-Agent) crypt-protocol\r\n';
    writeFileSync(join(dir, 'ansi.log'), Buffer.concat([Buffer.from(head), Buffer.from('2024-01-01 00:00:00 192.0.2.1 Caf'), Buffer.from([0xe9, 0x80]), Buffer.from(' 40\r\n')]));
    writeFileSync(join(dir, 'utf8.log'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(head + '2024-01-01 00:00:00 192.0.2.2 Café€ 40\r\n')]));
    age(join(dir, 'ansi.log'));
    age(join(dir, 'utf8.log'));
    const db = openDatabase(join(dir, 'out.db'));
    await run(db, [dir]);
    expect(db.prepare(`SELECT DISTINCT user_agent, protocol FROM usage`).all()).toEqual([{ user_agent: 'Café€', protocol: 'TLS 1.0' }]);
    expect(readFileSync(join(dir, 'ansi.log')).includes(0xe9)).toBe(true);
    db.close();
  });
});
