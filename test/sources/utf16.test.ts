// UTF-16 files (Windows PowerShell's Out-File and `>`) are read as UTF-8: the transcoding at every chunk boundary,
// then scans of fixtures saved as UTF-16 LE and BE against the same files in UTF-8, a re-scan that skips them on
// their own bytes, and a grown one read on from where it stopped.
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import chain from 'stream-chain';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCAN, scan } from '../../src/engine/scan.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { utf16Order, utf16ToUtf8 } from '../../src/sources/utf16.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';
import { tempDir } from '../helpers.js';

const OLD = new Date('2024-01-01T00:00:00Z');

const utf16 = (text: string, order: 'le' | 'be'): Buffer => {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  return order === 'le' ? le : Buffer.from(le).swap16();
};

function transcode(bytes: Buffer, order: 'le' | 'be', size: number): string {
  const stage = utf16ToUtf8(order);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    const r = stage(bytes.subarray(i, i + size));
    if (r !== chain.none) out.push(r as Buffer);
  }
  return Buffer.concat(out).toString('utf8');
}

const run = (db: Db, path: string) =>
  scan(new Store(db), { ...DEFAULT_SCAN, paths: [path], exclude: [db.name], fieldMap: DEFAULT_FIELD_MAP, now: new Date(), tenant: 'contoso' });

const usageRows = (db: Db) =>
  db.prepare(`SELECT * FROM usage ORDER BY day, source, server, site, client_ip, proxy_ip, username, user_agent, endpoint,
    protocol, protocol_code, cipher, hash, key_exchange, internal`).all();

const FIXTURES = [
  join('entra', 'main', 'signins-page-1.json'),
  join('exo', 'smtp-auth-new-eac.csv'),
  join('iis', 'plaso-iis10.log'),
];

describe('UTF-16 files read as UTF-8', () => {
  it('transcodes at every chunk boundary, both byte orders, beyond the BMP, the byte order mark dropped', () => {
    const text = 'date time c-ip\r\n2026-11-10 09:00:00 192.0.2.1 Zürich 🦊 Ünïcödé\r\n';
    for (const order of ['le', 'be'] as const) {
      const bytes = utf16(text, order);
      expect(utf16Order(bytes)).toBe(order);
      for (const size of [1, 2, 3, 5, 7, 64]) expect(transcode(bytes, order, size), `${order} ${size}`).toBe(text);
    }
    expect(utf16Order(Buffer.from([0xff, 0xfe, 0, 0]))).toBeNull(); // UTF-32 LE
    expect(utf16Order(Buffer.from('#Software'))).toBeNull();
  });

  it('scans fixtures saved as UTF-16 as their UTF-8 originals; a re-scan skips them; a grown one is read on', async () => {
    const dir = tempDir();
    for (const [name, order] of [['utf8', null], ['le', 'le'], ['be', 'be']] as const) {
      for (const f of FIXTURES) {
        const to = join(dir, name, f);
        mkdirSync(join(to, '..'), { recursive: true });
        const source = join('test', 'fixtures', f);
        if (order === null) copyFileSync(source, to);
        else writeFileSync(to, utf16(readFileSync(source, 'utf8').replace(/^\ufeff/, ''), order));
        utimesSync(to, OLD, OLD);
      }
    }
    const want = openDatabase(join(dir, 'utf8.db'));
    await run(want, join(dir, 'utf8'));
    for (const order of ['le', 'be']) {
      const db = openDatabase(join(dir, `${order}.db`));
      const first = await run(db, join(dir, order));
      expect(first.filesRead, order).toBe(FIXTURES.length);
      expect(usageRows(db), order).toEqual(usageRows(want));
      const again = await run(db, join(dir, order));
      expect(again, order).toMatchObject({ filesRead: 0, filesUnchanged: FIXTURES.length, bytes: 0 });
      db.close();
    }
    // a grown UTF-16 log: only what was added is read, as in the UTF-8 copy
    const log = join('iis', 'plaso-iis10.log');
    const text = readFileSync(join('test', 'fixtures', log), 'utf8');
    const lastLine = text.trimEnd().split('\n').pop() as string;
    const more = `${lastLine.trimEnd()}\r\n`;
    appendFileSync(join(dir, 'utf8', log), more);
    appendFileSync(join(dir, 'le', log), Buffer.from(more, 'utf16le'));
    for (const p of [join(dir, 'utf8', log), join(dir, 'le', log)]) utimesSync(p, OLD, OLD);
    const db = openDatabase(join(dir, 'le.db'));
    const grown = await run(db, join(dir, 'le'));
    expect(grown).toMatchObject({ filesRead: 1, bytes: Buffer.byteLength(more) });
    await run(want, join(dir, 'utf8'));
    expect(usageRows(db)).toEqual(usageRows(want));
    db.close();
    want.close();
  });
});
