// Content-keyed re-scans on generated logs: copies, renamed folders, shorter and longer exports, replaced files,
// growing files and compressed inputs never count a line twice nor miss one. Totals are compared with one clean scan.
import { appendFileSync, cpSync, createWriteStream, mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCAN, scan, type ScanOptions } from '../../src/engine/scan.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { MARK_INTERVAL, Store } from '../../src/store/store.js';
import { generateIisFolder } from '../../src/synth/iis-traffic.js';
import { tempDir } from '../helpers.js';

const OLD = new Date('2024-01-01T00:00:00Z');
const age = (path: string): void => utimesSync(path, OLD, OLD);

async function run(db: Db, paths: string[], extra: Partial<ScanOptions> = {}) {
  const diags: string[] = [];
  const stats = await scan(new Store(db), {
    ...DEFAULT_SCAN, paths, exclude: [db.name], fieldMap: DEFAULT_FIELD_MAP, now: new Date(),
    onDiagnostic: (f, l, c) => diags.push(`${f}:${l}:${c}`), ...extra,
  });
  return { stats, diags };
}

const hits = (db: Db): number => (db.prepare(`SELECT coalesce(sum(hits), 0) AS n FROM usage`).get() as { n: number }).n;
const usageRows = (db: Db) =>
  db.prepare(`SELECT * FROM usage ORDER BY day, source, server, site, client_ip, proxy_ip, username, user_agent, endpoint,
    protocol, protocol_code, cipher, hash, key_exchange, internal`).all();

/** One generated IIS log of ~1 MB (several content marks), aged so its last line counts. */
function generatedLog(): { dir: string; log: string; bytes: Buffer } {
  const dir = tempDir();
  const result = generateIisFolder(join(dir, 'export'), {
    servers: ['EXCH01'], days: 1, startDate: '2024-03-11', linesPerServerPerDay: 3500, seed: 7,
  });
  const log = result.files[0];
  age(log);
  const bytes = readFileSync(log);
  expect(bytes.length).toBeGreaterThan(3 * MARK_INTERVAL);
  return { dir, log, bytes };
}

/** The database one uninterrupted scan of `bytes` (as a file of that name under a fresh folder) gives. */
async function cleanRows(bytes: Buffer, name = 'u_ex240311_x.log') {
  const dir = join(tempDir(), 'EXCH01', 'W3SVC1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), bytes);
  age(join(dir, name));
  const db = openDatabase(join(dir, '..', '..', 'clean.db'));
  await run(db, [join(dir, '..', '..')]);
  const rows = usageRows(db);
  db.close();
  return rows;
}

/** The byte offset just after the newline at or after `near`. */
const lineEnd = (bytes: Buffer, near: number): number => bytes.indexOf(10, near) + 1;

function writeAged(path: string, bytes: Buffer): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  age(path);
}

describe('incremental scans keyed on content', () => {
  it('counts a renamed folder and a copy reached through another path once', async () => {
    const { dir, bytes } = generatedLog();
    const db = openDatabase(join(dir, 'out.db'));
    await run(db, [join(dir, 'export')]);
    const first = usageRows(db);
    renameSync(join(dir, 'export'), join(dir, 'renamed'));
    cpSync(join(dir, 'renamed'), join(dir, 'copy'), { recursive: true, preserveTimestamps: true });
    const again = await run(db, [join(dir, 'renamed'), join(dir, 'copy')]);
    expect(again.stats).toMatchObject({ filesRead: 0, filesUnchanged: 2, bytes: 0, lines: 0 });
    expect(usageRows(db)).toEqual(first);
    expect(first).toEqual(await cleanRows(bytes));
    db.close();
  });

  it('reads only what a later, longer export adds, and nothing of an earlier, shorter one scanned after', async () => {
    const { dir, bytes } = generatedLog();
    const name = join('EXCH01', 'W3SVC1', 'u_ex240311_x.log');
    const shortAt = lineEnd(bytes, 2 * MARK_INTERVAL + 1234); // past two marks
    const tinyAt = lineEnd(bytes, 9000); // before the first mark
    const midLine = lineEnd(bytes, 3 * MARK_INTERVAL) - 20; // a copy taken while a line was being written
    writeAged(join(dir, 'monday', name), bytes.subarray(0, shortAt));
    writeAged(join(dir, 'tuesday', name), bytes);
    writeAged(join(dir, 'early', name), bytes.subarray(0, tinyAt));
    writeAged(join(dir, 'partial', name), bytes.subarray(0, midLine));

    const forward = openDatabase(join(dir, 'forward.db'));
    await run(forward, [join(dir, 'monday')]);
    const tuesday = await run(forward, [join(dir, 'tuesday')]);
    expect(tuesday.stats.bytes).toBe(bytes.length - shortAt);
    expect(usageRows(forward)).toEqual(await cleanRows(bytes));

    const backward = openDatabase(join(dir, 'backward.db'));
    await run(backward, [join(dir, 'tuesday')]);
    for (const older of ['monday', 'early', 'partial']) {
      const r = await run(backward, [join(dir, older)]);
      expect(r.stats).toMatchObject({ filesRead: 0, filesUnchanged: 1, bytes: 0 });
    }
    expect(usageRows(backward)).toEqual(usageRows(forward));
    forward.close();
    backward.close();
  });

  it('reads a file as new when its first 4 KiB match but what follows differs (same name, same or other size)', async () => {
    const { dir, log, bytes } = generatedLog();
    const db = openDatabase(join(dir, 'out.db'));
    await run(db, [log]);
    const once = hits(db);
    // replaced: the same first 8 KB, then other traffic (the same file with its data lines shifted by one)
    const at = lineEnd(bytes, 8000);
    const next = lineEnd(bytes, at);
    const replaced = Buffer.concat([bytes.subarray(0, at), bytes.subarray(next), bytes.subarray(at, next)]);
    expect(replaced.length).toBe(bytes.length);
    writeAged(log, replaced);
    const second = await run(db, [log]);
    expect(second.stats.bytes).toBe(bytes.length);
    expect(hits(db)).toBe(2 * once);
    // truncated and rewritten: shorter than what was read, the same first 8 KB, then other traffic (shifted by two)
    const shorter = Buffer.concat([bytes.subarray(0, at), bytes.subarray(lineEnd(bytes, next), lineEnd(bytes, 2 * MARK_INTERVAL))]);
    expect(shorter.length).toBeLessThan(bytes.length);
    writeAged(log, shorter);
    const third = await run(db, [log]);
    expect(third.stats.bytes).toBe(shorter.length);
    db.close();
  });

  it('picks up a growing file appended in steps that cut lines anywhere, like one clean scan', async () => {
    const { dir, bytes } = generatedLog();
    const log = join(dir, 'live', 'EXCH01', 'W3SVC1', 'u_ex240311_x.log');
    mkdirSync(join(log, '..'), { recursive: true });
    const db = openDatabase(join(dir, 'out.db'));
    const cuts = [1, 4095, 4097, 70_000, MARK_INTERVAL - 1, MARK_INTERVAL + 7, 600_001, bytes.length - 3, bytes.length];
    let from = 0;
    for (const cut of cuts) {
      appendFileSync(log, bytes.subarray(from, cut));
      from = cut;
      const last = cut === bytes.length;
      if (last) age(log); // an old file's last line counts even without a newline
      const r = await run(db, [join(dir, 'live')], { flushLines: 97, flushRows: 50 });
      if (!last && cut > 4000 && bytes[cut - 1] !== 10) expect(r.stats.heldBack).toBe(1);
    }
    expect(usageRows(db)).toEqual(await cleanRows(bytes));
    const files = db.prepare(`SELECT count(*) AS n, max(consumed) AS consumed FROM files WHERE status = 'read'`).get();
    expect(files).toEqual({ n: 1, consumed: bytes.length });
    db.close();
  });

  it('skips a .gz and a zip entry read before on their packed identity alone, without inflating them', async () => {
    const { dir, bytes } = generatedLog();
    const gz = gzipSync(bytes);
    writeAged(join(dir, 'packed', 'u_ex240311.log.gz'), gz);
    const other = generatedLog().bytes.toString('latin1').replaceAll('2024-03-11', '2024-03-12');
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from(other, 'latin1'), 'EXCH09/W3SVC1/u_ex.log');
    zip.end();
    await finished(zip.outputStream.pipe(createWriteStream(join(dir, 'packed', 'export.zip'))));
    const db = openDatabase(join(dir, 'out.db'));
    const first = await run(db, [join(dir, 'packed')]);
    expect(first.stats.filesRead).toBe(2);
    const before = usageRows(db);
    // Damage the middle of both packed streams: inflating them now would fail or change the counts
    for (const name of ['u_ex240311.log.gz', 'export.zip']) {
      const path = join(dir, 'packed', name);
      const packed = readFileSync(path);
      const mid = Math.floor(packed.length / 2);
      packed.fill(0x55, mid, mid + 2000);
      writeAged(path, packed);
    }
    const again = await run(db, [join(dir, 'packed')]);
    expect(again.diags).toEqual([]);
    expect(again.stats).toMatchObject({ filesRead: 0, filesUnchanged: 2, filesFailed: 0, bytes: 0 });
    expect(usageRows(db)).toEqual(before);
    db.close();
  });

  it('recognises a .gz of a plain file already read (and the reverse) without counting it again', async () => {
    const { dir, bytes } = generatedLog();
    writeAged(join(dir, 'gz', 'u_ex240311_x.log.gz'), gzipSync(bytes));
    const db = openDatabase(join(dir, 'out.db'));
    await run(db, [join(dir, 'export')]);
    const r = await run(db, [join(dir, 'gz')]);
    expect(r.stats).toMatchObject({ filesRead: 0, filesUnchanged: 1, bytes: 0 });
    const again = await run(db, [join(dir, 'gz'), join(dir, 'export')]);
    expect(again.stats).toMatchObject({ filesRead: 0, filesUnchanged: 2, bytes: 0 });
    expect(usageRows(db)).toEqual(await cleanRows(bytes));
    db.close();
  });
});
