import { appendFileSync, cpSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCAN, scan, type ScanOptions } from '../../src/engine/scan.js';
import { DEFAULT_FIELD_MAP, iisW3cFormat } from '../../src/formats/iis-w3c.js';
import { planRanges } from '../../src/engine/split-file.js';
import { ParsePool } from '../../src/engine/worker-pool.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';
import { generateIisFolder } from '../../src/synth/iis-traffic.js';
import { readFixture, tempDir } from '../helpers.js';

// Parse workers run the built code (dist/parse-worker.mjs): test/global-setup.ts builds it when missing or stale.
const OLD = new Date('2024-01-01T00:00:00Z');

function folder(): string {
  const dir = tempDir();
  generateIisFolder(dir, { servers: ['EXCH01', 'EXCH02', 'EXCH03'], days: 2, startDate: '2024-03-11', linesPerServerPerDay: 2500, seed: 7, backEnd: true });
  // a bad line and a file in an earlier layout, so diagnostics travel through the workers too
  writeFileSync(join(dir, 'odd.log'), Buffer.concat([readFixture('iis/composed-crypt-fields.log'), Buffer.from('short line\n')]));
  const touch = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) touch(p);
      else utimesSync(p, OLD, OLD);
    }
  };
  touch(dir);
  return dir;
}

async function run(db: Db, paths: string[], jobs: number, extra: Partial<ScanOptions> = {}) {
  const warnings: string[] = [];
  const stats = await scan(new Store(db), {
    ...DEFAULT_SCAN, paths, jobs, workerMinBytes: 0, fieldMap: DEFAULT_FIELD_MAP, now: new Date(), exclude: [db.name],
    onDiagnostic: (f, l, c) => warnings.push(`${f.split(/[\\/]/).pop()}:${l}:${c}`),
    ...extra,
  });
  return { stats, warnings: warnings.sort() };
}

const dump = (db: Db) => ({
  usage: db.prepare(`SELECT * FROM usage ORDER BY day, source, server, site, client_ip, username, user_agent, endpoint, protocol, protocol_code, cipher_code, hash_code, key_exchange_code, proxy_ip, internal`).all(),
  files: db.prepare(`SELECT path, format, status, consumed, lines, records, bad_lines, reasons, tls_fields, state FROM files ORDER BY path`).all(),
  diagnostics: db.prepare(`SELECT f.path, d.code, d.count, d.first_line FROM diagnostics d JOIN files f ON f.id = d.file_id ORDER BY 1, 2`).all(),
});

describe('parse workers', () => {
  it('give a database identical to a single-threaded scan, whatever the worker count and flush size', async () => {
    const dir = folder();
    const one = openDatabase(join(tempDir(), 'one.db'));
    const r1 = await run(one, [dir], 1);
    for (const jobs of [2, 3]) {
      const many = openDatabase(join(tempDir(), `many${jobs}.db`));
      const rn = await run(many, [dir], jobs, { flushLines: 997, flushRows: 50 });
      expect(dump(many)).toEqual(dump(one));
      expect(rn.stats).toEqual(r1.stats);
      expect(rn.warnings).toEqual(r1.warnings);
      many.close();
    }
    expect(r1.stats.records).toBeGreaterThan(15_000);
    expect(r1.warnings).toContain('odd.log:15:field_count');
    one.close();
  });

  it('never read the same content twice when copies are scanned at once, and continue grown files', async () => {
    const dir = folder();
    const copy = `${dir}-copy`;
    cpSync(dir, copy, { recursive: true, preserveTimestamps: true });
    const db = openDatabase(join(tempDir(), 'w.db'));
    const single = openDatabase(join(tempDir(), 's.db'));
    await run(single, [dir], 1);
    const first = await run(db, [dir, copy], 2);
    expect(first.stats.filesUnchanged).toBeGreaterThan(0);
    const hits = (d: Db) => d.prepare(`SELECT sum(hits) FROM usage`).pluck().get();
    expect(hits(db)).toBe(hits(single));
    const log = join(copy, 'EXCH02', 'W3SVC1', 'u_ex240312_x.log');
    appendFileSync(log, '2024-03-12 23:59:59 10.0.0.2 GET /owa/ - 443 - 198.51.100.250 late-client - 200 0 0 1 40 6610 8004 a400\n');
    utimesSync(log, OLD, OLD);
    const again = await run(db, [dir, copy], 2);
    expect(again.stats.records).toBe(1);
    expect(hits(db)).toBe((hits(single) as number) + 1);
    db.close();
    single.close();
  });
});

describe('one large file cut into byte ranges', () => {
  function bigFile(): string {
    const dir = tempDir();
    generateIisFolder(dir, { servers: ['BIG'], days: 1, startDate: '2024-03-11', linesPerServerPerDay: 12_000, seed: 3 });
    const [log] = readdirSync(join(dir, 'BIG', 'W3SVC1')).map((f) => join(dir, 'BIG', 'W3SVC1', f));
    // bad lines and a header block with another layout in the middle: ranges must start with the right #Fields
    appendFileSync(log, 'garbage line\n#Software: Microsoft Internet Information Services 10.0\n#Fields: date time c-ip cs(User-Agent) sc-status crypt-protocol\n');
    const tail: string[] = [];
    for (let i = 0; i < 40_000; i++) tail.push(`2024-03-12 00:${String(i % 60).padStart(2, '0')}:00 192.0.2.${i % 7} ua-${i % 5} 200 ${i % 3 === 0 ? '40' : '400'}\n`);
    appendFileSync(log, tail.join(''));
    appendFileSync(log, 'another bad one\n');
    utimesSync(log, OLD, OLD);
    return log;
  }

  it('gives the same database as reading it whole, line numbers of bad lines included', async () => {
    const log = bigFile();
    const whole = openDatabase(join(tempDir(), 'whole.db'));
    const ranged = openDatabase(join(tempDir(), 'ranged.db'));
    const r1 = await run(whole, [log], 1);
    const r2 = await run(ranged, [log], 2, { splitBytes: 256 * 1024 });
    expect(dump(ranged)).toEqual(dump(whole));
    expect(r2.stats).toEqual(r1.stats);
    expect(r2.warnings).toEqual(r1.warnings);
    expect(r1.warnings.some((w) => w.endsWith(':field_count'))).toBe(true);
    expect(whole.prepare(`SELECT count(DISTINCT protocol) FROM usage`).pluck().get()).toBeGreaterThan(3);
    // and it really was cut: ranges at line starts, the last ones starting under the second #Fields
    const pool = new ParsePool(2);
    try {
      const size = statSync(log).size;
      const record = { id: 0, format: 'iis-w3c', fpBytes: 0, consumed: 0, lines: 0, records: 0, badLines: 0, tlsFields: false, state: null, tailHash: null };
      const ranges = await planRanges({ path: log, folders: [], size, mtimeMs: 0 }, record, iisW3cFormat, pool, DEFAULT_FIELD_MAP, 256 * 1024);
      expect(ranges?.length).toBe(8);
      const bytes = readFileSync(log);
      for (const r of ranges?.slice(1) ?? []) expect(bytes[r.start - 1]).toBe(10);
      const fieldsOf = (st: unknown) => (st as { fields: string }).fields;
      expect(fieldsOf(ranges?.[1].state)).toMatch(/crypt-keyexchange/);
      expect(fieldsOf(ranges?.[7].state)).toBe('date time c-ip cs(User-Agent) sc-status crypt-protocol');
    } finally {
      await pool.close();
    }
    whole.close();
    ranged.close();
  });
});
