// Exchange logs through the scan engine and a real database: a session straddling two scans of a growing RECV file,
// or the hourly rollover to the next file, is counted once; pending_sessions holds it in between.
import { appendFileSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSession, type Batch } from '../../src/engine/parse-session.js';
import { DEFAULT_SCAN, scan } from '../../src/engine/scan.js';
import { exchangeSmtpFormat } from '../../src/formats/exchange-smtp.js';
import { plainInput } from '../../src/sources/inputs.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';
import { generateExchangeFolder } from '../../src/synth/exchange-traffic.js';
import { tempDir } from '../helpers.js';

const HEADER =
  '#Software: Microsoft Exchange Server\r\n#Version: 15.02.1544.004\r\n#Log-type: SMTP Receive Protocol Log\r\n' +
  '#Date: 2024-03-11T08:00:00.000Z\r\n' +
  '#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n';
const TLS10 =
  '"TLS protocol SP_PROT_TLS1_0_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA1 with strength 160 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits"';

/** Lines of sessions `ids`, timed `base` + the given seconds, interleaved as Exchange writes them. */
function lines(base: number, id: string, steps: readonly (readonly [number, number, string, string, string])[]): string {
  return steps
    .map(([sec, seq, ev, data, ctx]) =>
      `${new Date(base + sec * 1000).toISOString()},EX01\\Default Frontend EX01,${id},${seq},10.20.0.15:25,203.0.113.9:5100,${ev},${data},${ctx}\r\n`)
    .join('');
}

const head = (base: number, id: string) => lines(base, id, [
  [0, 0, '+', '', ''], [1, 1, '<', 'EHLO scanner-2F', ''], [2, 2, '<', 'STARTTLS', ''], [3, 3, '>', '220 2.0.0 SMTP server ready', ''],
]);
const tail = (base: number, id: string) => lines(base, id, [
  [4, 4, '*', '', TLS10], [5, 5, '*', 'CONTOSO\\scan', 'authenticated'], [6, 6, '-', '', 'Local'],
]);
const other = (base: number, id: string) => lines(base, id, [[0, 0, '+', '', ''], [1, 1, '<', 'HELO relay', ''], [2, 2, '-', '', 'Local']]);

async function scanOnce(db: Db, path: string, now: Date, limits: { flushLines?: number; flushRows?: number } = {}) {
  return scan(new Store(db), { ...DEFAULT_SCAN, ...limits, paths: [path], exclude: [db.name], fieldMap: DEFAULT_FIELD_MAP, now });
}

const smtpRows = (db: Db) =>
  db.prepare(`SELECT protocol, username, user_agent, hits FROM usage WHERE source = 'smtp-receive' ORDER BY protocol`).all();
const pendingCount = (db: Db) => (db.prepare(`SELECT count(*) AS n FROM pending_sessions`).get() as { n: number }).n;

describe('Exchange SMTP through the scan engine', () => {
  it('a RECV file still being written: the session open at the first scan is completed by the second, counted once', async () => {
    const dir = join(tempDir(), 'EX01', 'FrontEnd', 'ProtocolLog', 'SmtpReceive');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'RECV2024031108-1.LOG');
    const base = Date.now() - 60_000; // a live log: its last events are a minute old
    const first = HEADER + other(base - 5000, '08DC41A2B7C3D100') + head(base, '08DC41A2B7C3D101');
    const second = tail(base, '08DC41A2B7C3D101');
    const cut = second.indexOf(',', 40); // the first scan sees half of the TLS line: held back, not read
    writeFileSync(file, first + second.slice(0, cut));
    const db = openDatabase(join(dir, '..', 'census.db'));
    const s1 = await scanOnce(db, dir, new Date());
    expect(s1.heldBack).toBe(1);
    expect(smtpRows(db)).toEqual([{ protocol: 'none', username: null, user_agent: 'relay', hits: 1 }]);
    expect(pendingCount(db)).toBe(1);
    appendFileSync(file, second.slice(cut));
    const s2 = await scanOnce(db, dir, new Date());
    expect(s2.heldBack).toBe(0);
    expect(smtpRows(db)).toEqual([
      { protocol: 'TLS 1.0', username: 'CONTOSO\\scan', user_agent: 'scanner-2F', hits: 1 },
      { protocol: 'none', username: null, user_agent: 'relay', hits: 1 },
    ]);
    expect(pendingCount(db)).toBe(0);
    const legacy = db.prepare(`SELECT source, client_ip, username, tls10_hits FROM legacy_clients`).all();
    expect(legacy).toEqual([{ source: 'smtp-receive', client_ip: '203.0.113.9', username: 'CONTOSO\\scan', tls10_hits: 1 }]);
    db.close();
  });

  it('the hourly rollover: the next RECV file continues the session, in a later scan or in the same one', async () => {
    const root = tempDir();
    const dir = join(root, 'EX01', 'SmtpReceive');
    mkdirSync(dir, { recursive: true });
    const base = Date.now() - 120_000;
    writeFileSync(join(dir, 'RECV2024031108-1.LOG'), HEADER + head(base, '08DC41A2B7C3D200'));
    const old = new Date(base);
    utimesSync(join(dir, 'RECV2024031108-1.LOG'), old, old); // finished: Exchange moved to the next file
    const db = openDatabase(join(root, 'a.db'));
    await scanOnce(db, dir, new Date());
    expect(smtpRows(db)).toEqual([]);
    expect(pendingCount(db)).toBe(1);
    writeFileSync(join(dir, 'RECV2024031109-1.LOG'), HEADER + tail(base, '08DC41A2B7C3D200'));
    await scanOnce(db, dir, new Date());
    expect(smtpRows(db)).toEqual([{ protocol: 'TLS 1.0', username: 'CONTOSO\\scan', user_agent: 'scanner-2F', hits: 1 }]);
    db.close();
    const once = openDatabase(join(root, 'b.db'));
    await scanOnce(once, dir, new Date());
    expect(smtpRows(once)).toEqual([{ protocol: 'TLS 1.0', username: 'CONTOSO\\scan', user_agent: 'scanner-2F', hits: 1 }]);
    expect(pendingCount(once)).toBe(0);
    once.close();
  });

  it('commits every few lines (mid-block, mid-session) and still gives the database of one commit per file', async () => {
    const root = tempDir();
    const r = generateExchangeFolder(join(root, 'logs'), { servers: ['EXCH01'], hours: 2, startDate: '2024-03-11', smtpPerHour: 60, popImapPerHour: 30, seed: 3 });
    const all = (db: Db) => db.prepare(`SELECT * FROM usage ORDER BY day, source, client_ip, username, user_agent, site, protocol, detail`).all();
    const once = openDatabase(join(root, 'once.db'));
    await scanOnce(once, join(root, 'logs'), new Date());
    const often = openDatabase(join(root, 'often.db'));
    await scanOnce(often, join(root, 'logs'), new Date(), { flushLines: 7, flushRows: 3 });
    expect(all(often)).toEqual(all(once));
    const hitsBy = Object.fromEntries(
      (once.prepare(`SELECT source, sum(hits) AS n FROM usage GROUP BY source`).all() as { source: string; n: number }[]).map((x) => [x.source, x.n]),
    );
    expect(hitsBy).toEqual(r.sessions);
    once.close();
    often.close();
  });

  it('no line is behind the batch that covers it: held CSV lines are parsed before every commit', async () => {
    const root = tempDir();
    const r = generateExchangeFolder(root, { servers: ['EXCH01'], hours: 1, startDate: '2024-03-11', smtpPerHour: 80, popImapPerHour: 1, seed: 4 });
    const path = r.files.find((f) => f.includes('RECV'));
    if (path === undefined) throw new Error('no RECV file generated');
    const input = plainInput({ path, folders: ['EXCH01', 'SmtpReceive'], size: statSync(path).size, mtimeMs: 0 });
    const record = { id: 1, format: 'exchange-smtp', fpBytes: 0, consumed: 0, lines: 0, records: 0, badLines: 0, tlsFields: false, state: null, tailHash: null };
    const batches: Batch[] = [];
    const limits = { fieldMap: DEFAULT_FIELD_MAP, naming: { serverName: null, hostName: 'HOST' }, nowMs: Date.parse('2024-03-11T01:00:30Z'), settleMs: 0, flushRows: 1_000_000, flushLines: 50 };
    await runSession(input, exchangeSmtpFormat, record, limits, (b) => batches.push(b));
    expect(batches.length).toBeGreaterThan(10);
    for (const b of batches) expect(b.records).toBe(b.lines - 5); // every data line up to the batch's position was read
    expect(batches.reduce((n, b) => n + b.rows.reduce((m, row) => m + row.hits, 0), 0)).toBe(80);
  });

  it('an old export cut mid-session counts it after an hour idle, and takes it back if a longer copy turns up', async () => {
    const root = tempDir();
    const file = join(root, 'RECV2024031108-1.LOG');
    const base = Date.parse('2024-03-11T08:59:50Z');
    writeFileSync(file, HEADER + head(base, '08DC41A2B7C3D300'));
    const db = openDatabase(join(root, 'x.db'));
    await scanOnce(db, file, new Date());
    expect(smtpRows(db)).toEqual([{ protocol: 'failed', username: null, user_agent: 'scanner-2F', hits: 1 }]);
    appendFileSync(file, tail(base, '08DC41A2B7C3D300'));
    await scanOnce(db, file, new Date());
    expect(smtpRows(db)).toEqual([{ protocol: 'TLS 1.0', username: 'CONTOSO\\scan', user_agent: 'scanner-2F', hits: 1 }]);
    const total = db.prepare(`SELECT sum(hits) AS n FROM usage`).get() as { n: number };
    expect(total.n).toBe(1);
    db.close();
  });
});
