// UTF-16 files (Windows PowerShell's Out-File and `>`) are read as UTF-8: the transcoding at every chunk boundary,
// then scans of fixtures saved as UTF-16 LE and BE against the same files in UTF-8, a re-scan that skips them on
// their own bytes, and a grown one read on from where it stopped.
import { appendFileSync, copyFileSync, createWriteStream, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import chain from 'stream-chain';
import yazl from 'yazl';
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

/**
 * Two sign-ins as Windows PowerShell 5.1 writes `Get-MgBetaAuditLogSignIn | ConvertTo-Json -Depth 5 > signins.json`:
 * UTF-16 LE, the SDK's PascalCase names, DateTime as `\/Date(ms)\/`, its four-space indent and two spaces after
 * each colon (composed from that documented behaviour, not a real export).
 */
const powerShellExport = (): string => {
  const one = (n: number, legacy: boolean, ms: number) => `    {
        "AppDisplayName":  "Office 365 Exchange Online",
        "AuthenticationProcessingDetails":  [
                                                {
                                                    "Key":  "Root Key Type",
                                                    "Value":  "Unknown"
                                                }${legacy ? `,
                                                {
                                                    "Key":  "Legacy TLS (TLS 1.0, 1.1, 3DES)",
                                                    "Value":  "True"
                                                }` : ''}
                                            ],
        "ClientAppUsed":  "Exchange ActiveSync",
        "CreatedDateTime":  "\\/Date(${ms})\\/",
        "Id":  "0000000${n}-aaaa-4bbb-8ccc-00000000000${n}",
        "IPAddress":  "192.0.2.${n}",
        "Status":  {
                       "ErrorCode":  0,
                       "FailureReason":  "Other."
                   },
        "UserAgent":  "Apple-iPhone9C4/1602.92",
        "UserPrincipalName":  "user${n}@contoso.com",
        "AdditionalProperties":  {

                                 }
    }`;
  return `[\r\n${[one(1, true, 1762809583000), one(2, false, 1762813183000)].join(',\r\n')}\r\n]\r\n`.replace(/\n/g, '\r\n').replace(/\r\r/g, '\r');
};

describe('UTF-16 files read as UTF-8', () => {
  it('reads a sign-in export as Windows PowerShell 5.1 writes it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'signins.json'), utf16(powerShellExport(), 'le'));
    const db = openDatabase(join(dir, 'out.db'));
    const r = await run(db, join(dir, 'signins.json'));
    expect(r.filesRead).toBe(1);
    const rows = db.prepare(`SELECT username, client_ip, protocol, hits, first_seen FROM usage ORDER BY username`).all();
    expect(rows).toEqual([
      { username: 'user1@contoso.com', client_ip: '192.0.2.1', protocol: 'TLS 1.0/1.1 or 3DES', hits: 1, first_seen: '2025-11-10T21:19:43Z' },
      { username: 'user2@contoso.com', client_ip: '192.0.2.2', protocol: 'TLS 1.2+', hits: 1, first_seen: '2025-11-10T22:19:43Z' },
    ]);
    expect(db.prepare(`SELECT count(*) FROM diagnostics`).pluck().get()).toBe(0);
    db.close();
  });

  it('an export without -Depth (the details written as text) is reported, never counted as TLS 1.2+', async () => {
    const dir = tempDir();
    const shallow = powerShellExport().replace(/"AuthenticationProcessingDetails": {2}\[[^\]]*\]/g,
      '"AuthenticationProcessingDetails":  [ "@{Key=Root Key Type; Value=Unknown}", "@{Key=Legacy TLS (TLS 1.0, 1.1, 3DES); Value=True}" ]');
    expect(shallow).not.toBe(powerShellExport());
    writeFileSync(join(dir, 'signins.json'), utf16(shallow, 'le'));
    const db = openDatabase(join(dir, 'out.db'));
    await run(db, join(dir, 'signins.json'));
    expect(db.prepare(`SELECT count(*) FROM usage`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT code, count FROM diagnostics`).all()).toEqual([{ code: 'bad_record', count: 2 }]);
    db.close();
  });

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

  it('reads UTF-16 inside a .gz file and a zip entry (PowerShell exports packed) as their UTF-8 originals', async () => {
    const dir = tempDir();
    for (const d of ['utf8', 'gz', 'zip']) mkdirSync(join(dir, d, 'EXCH01'), { recursive: true });
    const zip = new yazl.ZipFile();
    for (const f of FIXTURES) {
      const text = readFileSync(join('test', 'fixtures', f), 'utf8').replace(/^\ufeff/, '');
      const name = f.replace(/[\\/]/g, '-');
      // the same folder name everywhere: it names the server of the IIS log's rows
      writeFileSync(join(dir, 'utf8', 'EXCH01', name), text);
      utimesSync(join(dir, 'utf8', 'EXCH01', name), OLD, OLD); // its last line counts, as in a packed file
      writeFileSync(join(dir, 'gz', 'EXCH01', `${name}.gz`), gzipSync(utf16(text, 'le')));
      utimesSync(join(dir, 'gz', 'EXCH01', `${name}.gz`), OLD, OLD); // an EXO report's day may be its file's
      zip.addBuffer(utf16(text, 'be'), `EXCH01/${name}`);
    }
    zip.end();
    await finished(zip.outputStream.pipe(createWriteStream(join(dir, 'zip', 'exports.zip'))));
    utimesSync(join(dir, 'zip', 'exports.zip'), OLD, OLD);
    const want = openDatabase(join(dir, 'utf8.db'));
    await run(want, join(dir, 'utf8'));
    for (const packed of ['gz', 'zip']) {
      const db = openDatabase(join(dir, `${packed}.db`));
      expect((await run(db, join(dir, packed))).filesRead, packed).toBe(FIXTURES.length);
      expect(usageRows(db), packed).toEqual(usageRows(want));
      expect(await run(db, join(dir, packed)), packed).toMatchObject({ filesRead: 0, filesUnchanged: FIXTURES.length });
      db.close();
    }
    want.close();
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
