// Identity semantics of Exchange Online report rows through the real scan and store: (sender, period) and
// (connector, day, type, direction) are replaced by a newer export, never added to; older exports change nothing.
import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportPeriod } from '../../src/aggregate/report-rows.js';
import { DEFAULT_SCAN, scan } from '../../src/engine/scan.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';
import { fixture, tempDir } from '../helpers.js';

const WEEK: ReportPeriod = { start: '2024-03-04', end: '2024-03-10' };
const HEADER = 'Sender address,Domain,TLS 1.0,TLS 1.1,TLS 1.2,Messages sent';

/** Writes a file with a fixed modification time (the export's age decides which of two is newer). */
function put(dir: string, name: string, text: string, mtime: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  utimesSync(path, new Date(mtime), new Date(mtime));
  return path;
}

async function scanInto(db: Db, paths: string[], reportPeriod?: ReportPeriod, flushRows: number = DEFAULT_SCAN.flushRows) {
  return scan(new Store(db), {
    ...DEFAULT_SCAN,
    flushRows,
    paths,
    exclude: [db.name],
    fieldMap: DEFAULT_FIELD_MAP,
    now: new Date(),
    reportPeriod,
  });
}

const senders = (db: Db) =>
  db
    .prepare(
      `SELECT sender, period_start, period_end, period_source, messages, tls10, tls11, tls12, unknown, estimated
       FROM exo_smtp_auth ORDER BY sender, period_start`,
    )
    .all();
const usage = (db: Db, source = 'exo-smtp-auth') =>
  db
    .prepare(
      `SELECT day, username, site, endpoint, detail, protocol, hits, estimated, first_seen, last_seen FROM usage
       WHERE source = ? ORDER BY username, site, day, protocol`,
    )
    .all(source);
const hitsOf = (db: Db, sender: string): number =>
  (db.prepare(`SELECT coalesce(sum(hits), 0) AS n FROM usage WHERE username = ?`).get(sender) as { n: number }).n;

describe('SMTP AUTH report rows: identity (sender, period)', () => {
  it('re-importing the same export changes nothing, also under another name', async () => {
    const dir = tempDir();
    const text = `${HEADER}\nscan@contoso.com,contoso.com,100%,0%,0%,412\nerp@contoso.com,contoso.com,12.5%,0%,87.5%,1184\n`;
    const a = put(dir, 'smtp-a.csv', text, '2024-03-11T08:00:00Z');
    const db = openDatabase(join(dir, 'out.db'));
    await scanInto(db, [a], WEEK);
    const before = { s: senders(db), u: usage(db) };
    expect(before.s).toHaveLength(2);
    const again = await scanInto(db, [a], WEEK);
    expect(again.filesUnchanged).toBe(1);
    const copy = put(dir, 'copy-of-smtp-a.csv', text, '2024-03-20T08:00:00Z');
    await scanInto(db, [copy], WEEK);
    expect({ s: senders(db), u: usage(db) }).toEqual(before);
  });

  it('two exports of the same period with different senders add up', async () => {
    const dir = tempDir();
    const a = put(dir, 'a.csv', `${HEADER}\none@contoso.com,contoso.com,50%,0%,50%,10\n`, '2024-03-11T08:00:00Z');
    const b = put(dir, 'b.csv', `${HEADER}\ntwo@contoso.com,contoso.com,0%,25%,75%,8\n`, '2024-03-11T09:00:00Z');
    const db = openDatabase(join(dir, 'out.db'));
    await scanInto(db, [a, b], WEEK);
    expect(senders(db).map((s) => (s as { sender: string }).sender)).toEqual(['one@contoso.com', 'two@contoso.com']);
    expect(hitsOf(db, 'one@contoso.com') + hitsOf(db, 'two@contoso.com')).toBe(18);
    const legacy = db.prepare(`SELECT username, legacy_hits FROM legacy_clients WHERE source = 'exo-smtp-auth' ORDER BY username`).all();
    expect(legacy).toEqual([
      { username: 'one@contoso.com', legacy_hits: 5 },
      { username: 'two@contoso.com', legacy_hits: 2 },
    ]);
  });

  const OLDER = `${HEADER}\nshared@contoso.com,contoso.com,50%,0%,50%,100\nonly-old@contoso.com,contoso.com,100%,0%,0%,7\n`;
  const NEWER = `${HEADER}\nshared@contoso.com,contoso.com,0%,0%,100%,120\nonly-new@contoso.com,contoso.com,0%,10%,90%,30\n`;

  it('a newer export replaces the senders it contains and leaves the others', async () => {
    const dir = tempDir();
    const old = put(dir, 'old.csv', OLDER, '2024-03-11T08:00:00Z');
    const neu = put(dir, 'new.csv', NEWER, '2024-03-12T08:00:00Z');
    const db = openDatabase(join(dir, 'out.db'));
    await scanInto(db, [old], WEEK);
    expect(hitsOf(db, 'shared@contoso.com')).toBe(100);
    await scanInto(db, [neu], WEEK);
    expect(senders(db)).toEqual([
      { sender: 'only-new@contoso.com', period_start: WEEK.start, period_end: WEEK.end, period_source: 'option', messages: 30, tls10: 0, tls11: 3, tls12: 27, unknown: 0, estimated: 1 },
      { sender: 'only-old@contoso.com', period_start: WEEK.start, period_end: WEEK.end, period_source: 'option', messages: 7, tls10: 7, tls11: 0, tls12: 0, unknown: 0, estimated: 1 },
      { sender: 'shared@contoso.com', period_start: WEEK.start, period_end: WEEK.end, period_source: 'option', messages: 120, tls10: 0, tls11: 0, tls12: 120, unknown: 0, estimated: 1 },
    ]);
    // Replaced, not added: the old TLS 1.0 row of the shared sender is gone.
    const shared = usage(db).filter((u) => (u as { username: string }).username === 'shared@contoso.com');
    expect(shared).toEqual([
      { day: WEEK.end, username: 'shared@contoso.com', site: null, endpoint: 'SMTP AUTH', detail: 'period 2024-03-04..2024-03-10', protocol: 'TLS 1.2', hits: 120, estimated: 1, first_seen: '2024-03-04T00:00:00Z', last_seen: '2024-03-10T23:59:59Z' },
    ]);
  });

  it('scanning the older export after the newer one keeps the newer rows (order does not matter)', async () => {
    const dir = tempDir();
    const old = put(dir, 'old.csv', OLDER, '2024-03-11T08:00:00Z');
    const neu = put(dir, 'new.csv', NEWER, '2024-03-12T08:00:00Z');
    const forward = openDatabase(join(dir, 'forward.db'));
    await scanInto(forward, [old], WEEK);
    await scanInto(forward, [neu], WEEK);
    const backward = openDatabase(join(dir, 'backward.db'));
    await scanInto(backward, [neu], WEEK);
    await scanInto(backward, [old], WEEK);
    expect(senders(backward)).toEqual(senders(forward));
    expect(usage(backward)).toEqual(usage(forward));
    const note = backward.prepare(`SELECT d.count, d.first_line FROM diagnostics d JOIN files f ON f.id = d.file_id
      WHERE d.code = 'older_export' AND f.path LIKE '%old.csv'`).get();
    expect(note).toEqual({ count: 1, first_line: 2 });
  });

  it('the same sender in two different periods is two identities', async () => {
    const dir = tempDir();
    const w1 = put(dir, 'SMTPAuth_2024-03-04_2024-03-10.csv', `${HEADER}\nx@contoso.com,contoso.com,100%,0%,0%,5\n`, '2024-03-11T08:00:00Z');
    const w2 = put(dir, 'SMTPAuth_2024-03-11_2024-03-17.csv', `${HEADER}\nx@contoso.com,contoso.com,0%,0%,100%,6\n`, '2024-03-18T08:00:00Z');
    const db = openDatabase(join(dir, 'out.db'));
    await scanInto(db, [w1, w2]);
    expect(senders(db).map((s) => { const r = s as { period_end: string; period_source: string; messages: number }; return [r.period_end, r.period_source, r.messages]; })).toEqual([
      ['2024-03-10', 'file name', 5],
      ['2024-03-17', 'file name', 6],
    ]);
    expect(hitsOf(db, 'x@contoso.com')).toBe(11);
  });

  it('commits in several batches give the same rows as one', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 25 }, (_, i) => `s${i}@contoso.com,contoso.com,${i % 3 === 0 ? '10%' : '0%'},0%,${i % 3 === 0 ? '90%' : '100%'},${i + 1}`);
    const file = put(dir, 'big.csv', `${HEADER}\n${rows.join('\n')}\n`, '2024-03-11T08:00:00Z');
    const one = openDatabase(join(dir, 'one.db'));
    await scanInto(one, [file], WEEK);
    const many = openDatabase(join(dir, 'many.db'));
    await scanInto(many, [file], WEEK, 4);
    expect(senders(many)).toEqual(senders(one));
    expect(usage(many)).toEqual(usage(one));
  });
});

describe('connector report rows: identity (connector, day, type, direction)', () => {
  const HEAD = 'Date,Connector direction and name,Connector type,Forced TLS?,No TLS,TLS 1.0,TLS 1.1,TLS 1.2,Volume';
  const rows = (db: Db) =>
    db.prepare(`SELECT day, connector, connector_type, direction, no_tls, tls10, tls12, volume FROM exo_connector ORDER BY connector, day`).all();

  it('a newer export replaces its (connector, day) rows and leaves the rest; usage follows', async () => {
    const dir = tempDir();
    const first = put(dir, 'inbound-1.csv', `${HEAD}\n2024-03-04,Inbound - A,Partner,No,0,10,0,90,100\n2024-03-05,Inbound - A,Partner,No,0,5,0,95,100\n`, '2024-03-06T08:00:00Z');
    const second = put(dir, 'inbound-2.csv', `${HEAD}\n2024-03-05,Inbound - A,Partner,No,2,0,0,198,200\n2024-03-06,Inbound - A,Partner,No,0,0,0,50,50\n`, '2024-03-07T08:00:00Z');
    const db = openDatabase(join(dir, 'out.db'));
    await scanInto(db, [first, second]);
    expect(rows(db)).toEqual([
      { day: '2024-03-04', connector: 'Inbound - A', connector_type: 'Partner', direction: 'inbound', no_tls: 0, tls10: 10, tls12: 90, volume: 100 },
      { day: '2024-03-05', connector: 'Inbound - A', connector_type: 'Partner', direction: 'inbound', no_tls: 2, tls10: 0, tls12: 198, volume: 200 },
      { day: '2024-03-06', connector: 'Inbound - A', connector_type: 'Partner', direction: 'inbound', no_tls: 0, tls10: 0, tls12: 50, volume: 50 },
    ]);
    const day5 = usage(db, 'exo-connector').filter((u) => (u as { day: string }).day === '2024-03-05');
    expect(day5.map((u) => { const r = u as { protocol: string; hits: number; site: string; endpoint: string; detail: string }; return [r.protocol, r.hits, r.site, r.endpoint, r.detail]; })).toEqual([
      ['TLS 1.2', 198, 'Inbound - A', 'Partner', 'inbound'],
      ['none', 2, 'Inbound - A', 'Partner', 'inbound'],
    ]);
  });

  it('each connector is one client in legacy_clients (its name as username), never taken for noise', async () => {
    const dir = tempDir();
    const file = put(dir, 'inbound.csv', `${HEAD}
2024-03-04,Inbound - A,Partner,No,0,10,0,90,100
2024-03-04,Inbound - B,OnPremises,Yes,0,0,4,96,100
`, '2024-03-06T08:00:00Z');
    const db = openDatabase(join(dir, 'out.db'));
    await scanInto(db, [file]);
    const legacy = db.prepare(`SELECT username, legacy_hits, noise FROM legacy_clients WHERE source = 'exo-connector' ORDER BY username`).all();
    expect(legacy).toEqual([
      { username: 'Inbound - A', legacy_hits: 10, noise: null },
      { username: 'Inbound - B', legacy_hits: 4, noise: null },
    ]);
  });
});

describe('report files next to logs', () => {
  it('a folder with IIS logs and EXO exports: each file goes to its own format', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'EXCH01', 'W3SVC1'), { recursive: true });
    const log = join(dir, 'EXCH01', 'W3SVC1', 'u_ex240311.log');
    copyFileSync(fixture('iis/composed-crypt-fields.log'), log);
    utimesSync(log, new Date('2024-03-12T00:00:00Z'), new Date('2024-03-12T00:00:00Z'));
    copyFileSync(fixture('exo/smtp-auth-new-eac.csv'), join(dir, 'smtp.csv'));
    copyFileSync(fixture('exo/connector-inbound.csv'), join(dir, 'inbound.csv'));
    const db = openDatabase(join(dir, 'out.db'));
    await scanInto(db, [dir], WEEK);
    const formats = db.prepare(`SELECT format, records FROM files WHERE status = 'read' ORDER BY format`).all();
    expect(formats).toEqual([
      { format: 'exo-connector-report', records: 4 },
      { format: 'exo-smtp-auth-report', records: 6 },
      { format: 'iis-w3c', records: 13 },
    ]);
  });
});
