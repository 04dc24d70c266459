// `scan --fields` (issue 11): W3C field names for IIS and HTTP.sys files without #Fields of their own. Such a file is
// read as if the list had been its #Fields line, on every read path (this thread, parse workers, byte ranges of a big
// file) and on later scans of the grown file; files.layout and the summary say how it was read; a file with its own
// #Fields ignores the option; an unknown name is a usage error (exit 2, one line, no stack).
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCAN, scan, type ScanOptions } from '../../src/engine/scan.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';
import { runCli } from '../cli/run-cli.js';
import { fixture, readFixture, tempDir } from '../helpers.js';

const OLD = new Date('2024-01-01T00:00:00Z');
const IIS_DEFAULT = 'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

/** The composed crypt-field log up to its second header block: its #Fields value and its data lines. */
function cryptLines(): { fields: string; header: string; data: string } {
  const text = readFixture('iis/composed-crypt-fields.log').toString('latin1');
  const lines = text.split('\n');
  const second = lines.findIndex((l, i) => i > 3 && l.startsWith('#'));
  const head = lines.slice(0, second);
  const fields = head.find((l) => l.startsWith('#Fields:'))!.slice('#Fields: '.length).trim();
  const header = head.filter((l) => l.startsWith('#')).join('\n') + '\n';
  return { fields, header, data: head.filter((l) => !l.startsWith('#')).join('\n') + '\n' };
}

function write(path: string, bytes: string | Buffer, encoding: BufferEncoding = 'latin1'): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof bytes === 'string' ? Buffer.from(bytes, encoding) : bytes);
  utimesSync(path, OLD, OLD);
}

async function run(db: Db, paths: string[], extra: Partial<ScanOptions> = {}) {
  const warnings: string[] = [];
  const stats = await scan(new Store(db), {
    ...DEFAULT_SCAN, paths, jobs: 1, fieldMap: DEFAULT_FIELD_MAP, now: new Date(), exclude: [db.name],
    onDiagnostic: (f, l, c) => warnings.push(`${l}:${c}`),
    ...extra,
  });
  return { stats, warnings: warnings.sort() };
}

const usage = (db: Db) =>
  db.prepare(`SELECT day, server, client_ip, username, user_agent, endpoint, protocol, cipher, hash, key_exchange, proxy_ip, hits, auth_failures, errors, first_seen, last_seen FROM usage ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`).all();
const files = (db: Db) => db.prepare(`SELECT format, status, reason, lines, records, bad_lines, tls_fields, layout FROM files ORDER BY path`).all();

describe('scan --fields on W3C files without #Fields', () => {
  it('reads the RD Web log of IPBan (BOM, no directives) with the IIS default fields; the files row and the summary say how', async () => {
    const dir = tempDir('tls-census-fields-');
    const logs = join(dir, 'RDWEB01');
    mkdirSync(logs);
    copyFileSync(fixture('iis/ipban-rdweb-no-directives.log'), join(logs, 'u_ex230320.log'));
    const db = join(dir, 'f.db');
    const without = await runCli(['scan', logs, '--db', join(dir, 'none.db'), '--quiet']);
    expect(without.code).toBe(0);
    // comma-separated, as the issue allows
    const r = await runCli(['scan', logs, '--db', db, '--fields', IIS_DEFAULT.replace(/ /g, ',')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Files: 1 read, 0 skipped/);
    expect(r.out).toMatch(/read without directives: \S*u_ex230320\.log: W3C fields/);
    const json = JSON.parse((await runCli(['report', '--db', db, '--format', 'json'])).out);
    expect(json.files.inferred).toEqual([expect.objectContaining({ format: 'iis-w3c', layout: `W3C fields given by --fields: ${IIS_DEFAULT}` })]);
    const conn = openDatabase(db);
    try {
      expect(files(conn)).toEqual([expect.objectContaining({
        format: 'iis-w3c', status: 'read', lines: 7, records: 7, bad_lines: 0, tls_fields: 0, layout: `W3C fields given by --fields: ${IIS_DEFAULT}`,
      })]);
      // IPBan's TestLogFilesRDWeb: 2.3.4.5 without a user name five times (its one failed login, Count = 5); the two
      // lines with a user name are the signed-in ones
      const rows = conn.prepare(`SELECT client_ip, username, sum(hits) AS hits FROM usage GROUP BY 1, 2 ORDER BY 2`).all();
      expect(rows).toEqual([
        { client_ip: '2.3.4.5', username: null, hits: 5 },
        { client_ip: '2.3.4.5', username: 'domain\\username', hits: 1 },
        { client_ip: '2.3.4.5', username: 'username', hits: 1 },
      ]);
      expect(conn.prepare(`SELECT DISTINCT protocol FROM usage`).pluck().all()).toEqual(['unknown']);
    } finally {
      conn.close();
    }
  });

  it('reads a crypt-field log without directives exactly as with its #Fields line; a file with its own #Fields ignores the option', async () => {
    const { fields, header, data } = cryptLines();
    const dir = tempDir('tls-census-fields-');
    write(join(dir, 'bare', 'EXCH01', 'u_ex240311.log'), data);
    write(join(dir, 'full', 'EXCH01', 'u_ex240311.log'), header + data);
    const bare = openDatabase(join(dir, 'bare.db'));
    const full = openDatabase(join(dir, 'full.db'));
    const own = openDatabase(join(dir, 'own.db'));
    try {
      const a = await run(bare, [join(dir, 'bare')], { fields: fields.split(' ') });
      const b = await run(full, [join(dir, 'full')]);
      expect(usage(bare)).toEqual(usage(full));
      expect(a.stats.records).toBe(b.stats.records);
      expect(a.warnings).toEqual(b.warnings.map((w) => w.replace(/^\d+/, (n) => String(Number(n) - 4)))); // 4 directive lines fewer
      expect(files(bare)).toEqual([expect.objectContaining({ tls_fields: 1, layout: `W3C fields given by --fields: ${fields}` })]);
      expect(usage(bare).filter((r) => (r as { protocol: string }).protocol === 'TLS 1.0').length).toBeGreaterThan(0);
      // its own #Fields wins over a wrong list: the same rows, no layout noted
      await run(own, [join(dir, 'full')], { fields: ['date', 'time', 'c-ip'] });
      expect(usage(own)).toEqual(usage(full));
      expect(files(own)).toEqual([expect.objectContaining({ layout: null })]);
    } finally {
      bare.close();
      full.close();
      own.close();
    }
  });

  it('reads Filebeat\'s HTTP.sys log without its header, given HTTP.sys fields, exactly as with them', async () => {
    const text = readFileSync(fixture('httperr/beats-error-test.log'), 'latin1');
    const fields = /^#Fields: (.*)$/m.exec(text)![1].trim();
    const dir = tempDir('tls-census-fields-');
    write(join(dir, 'bare', 'HOST', 'httperr1.log'), text.split('\n').filter((l) => !l.startsWith('#')).join('\n'));
    write(join(dir, 'full', 'HOST', 'httperr1.log'), text);
    const bare = openDatabase(join(dir, 'bare.db'));
    const full = openDatabase(join(dir, 'full.db'));
    try {
      await run(bare, [join(dir, 'bare')], { fields: fields.split(' ') });
      await run(full, [join(dir, 'full')]);
      expect(usage(bare)).toEqual(usage(full));
      expect(usage(bare)).toHaveLength(4);
      expect(files(bare)).toEqual([expect.objectContaining({ format: 'httperr', records: 4, bad_lines: 0, layout: `HTTP.sys fields given by --fields: ${fields}` })]);
    } finally {
      bare.close();
      full.close();
    }
  });

  it('keeps the fields for the grown file on the next scan, without the option', async () => {
    const { fields, data } = cryptLines();
    const dir = tempDir('tls-census-fields-');
    const log = join(dir, 'EXCH01', 'u_ex240311.log');
    write(log, data);
    const db = openDatabase(join(dir, 'g.db'));
    try {
      await run(db, [dir], { fields: fields.split(' ') });
      const before = db.prepare(`SELECT sum(hits) FROM usage`).pluck().get() as number;
      appendFileSync(log, data.split('\n')[0].replace('198.51.100.7', '198.51.100.8') + '\n');
      utimesSync(log, OLD, OLD);
      const again = await run(db, [dir]);
      expect(again.stats.records).toBe(1);
      expect(db.prepare(`SELECT sum(hits) FROM usage`).pluck().get()).toBe(before + 1);
      expect(db.prepare(`SELECT protocol FROM usage WHERE client_ip = '198.51.100.8'`).pluck().all()).toEqual(['TLS 1.0']);
    } finally {
      db.close();
    }
  });

  it('reaches parse workers and the byte ranges of a big file: the same database as one thread, and as with #Fields', async () => {
    const { fields, header, data } = cryptLines();
    const good = data.split('\n').filter((l) => l.startsWith('2024-') && l.split(' ').length === fields.split(' ').length);
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const l = good[i % good.length];
      lines.push(l.replace(/^2024-03-11 07:(\d\d):(\d\d)/, `2024-03-11 ${String(8 + (i % 10)).padStart(2, '0')}:$1:$2`)
        .replace(/ (\d+\.\d+\.\d+\.)\d+ /, (_m, p: string) => ` ${p}${i % 200} `));
    }
    lines.splice(3000, 0, 'a short line');
    const body = lines.join('\n') + '\n';
    const dir = tempDir('tls-census-fields-');
    write(join(dir, 'bare', 'EXCH01', 'u_ex240311.log'), body);
    write(join(dir, 'full', 'EXCH01', 'u_ex240311.log'), header + body);
    const dbs = ['one', 'workers', 'ranges', 'full'].map((n) => openDatabase(join(dir, `${n}.db`)));
    const [one, workers, ranges, full] = dbs;
    try {
      const list = fields.split(' ');
      const r1 = await run(one, [join(dir, 'bare')], { fields: list });
      const r2 = await run(workers, [join(dir, 'bare')], { fields: list, jobs: 2, workerMinBytes: 0 });
      const r3 = await run(ranges, [join(dir, 'bare')], { fields: list, jobs: 2, workerMinBytes: 0, splitBytes: 128 * 1024 });
      const r4 = await run(full, [join(dir, 'full')]);
      expect(r1.stats.records).toBe(6000);
      expect(r1.warnings).toEqual(['3001:field_count']);
      for (const [db, r] of [[workers, r2], [ranges, r3]] as const) {
        expect(usage(db)).toEqual(usage(one));
        expect(files(db)).toEqual(files(one));
        expect(r.warnings).toEqual(r1.warnings);
      }
      expect(usage(one)).toEqual(usage(full));
      expect(r4.stats.records).toBe(6000);
    } finally {
      for (const d of dbs) d.close();
    }
  });

  it('skips a file whose lines do not fit the list, with a reason naming --fields', async () => {
    const dir = tempDir('tls-census-fields-');
    write(join(dir, 'logs', 'x.log'), readFileSync(fixture('iis/beats-test-x-forward-for.log')));
    const db = join(dir, 'x.db');
    expect((await runCli(['scan', join(dir, 'logs'), '--db', db, '--quiet', '--fields', 'date time c-ip cs(User-Agent)'])).code).toBe(0);
    const r = await runCli(['query', '--db', db, '--format', 'json', `SELECT status, reason FROM files`]);
    expect(JSON.parse(r.out)).toEqual([{
      status: 'skipped',
      reason: 'not a recognized log: no #Fields of its own, and its lines do not fit the 4 fields given by --fields (its first line has 16 values)',
    }]);
  });

  const EXTENDED = 'date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version ' +
    'cs(User-Agent) cs(Cookie) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken X-Forwarded-For';
  it.each([
    ['test-iis-7.2.log (non-UTF-8 traversal bytes)', 'iis/beats-test-iis-7.2.log', IIS_DEFAULT,
      [{ client_ip: '10.50.6.188', proxy_ip: null, hits: 5, auth_failures: 2, errors: 3 }]],
    ['test-x-forward-for.log (the forwarded address is the client, the proxy kept)', 'iis/beats-test-x-forward-for.log', `${IIS_DEFAULT} X-Forwarded-For`,
      [{ client_ip: '192.168.198.23', proxy_ip: '192.168.7.63', hits: 9, auth_failures: 0, errors: 0 }]],
    ['test-x-forward-for-extended.log (CRLF, 23 fields)', 'iis/beats-test-x-forward-for-extended.log', EXTENDED, [
      { client_ip: '116.189.86.89', proxy_ip: '10.24.136.240', hits: 1, auth_failures: 0, errors: 1 },
      { client_ip: '119.16.157.180', proxy_ip: '10.24.136.240', hits: 1, auth_failures: 0, errors: 0 },
      { client_ip: '119.160.162.213', proxy_ip: '10.24.136.240', hits: 2, auth_failures: 0, errors: 0 },
      { client_ip: '156.189.143.218', proxy_ip: '10.24.136.240', hits: 2, auth_failures: 0, errors: 0 },
    ]],
  ])('reads Filebeat\'s %s, which has no directives', async (_, name, list, want) => {
    const dir = tempDir('tls-census-fields-');
    write(join(dir, 'logs', 'WEB01', 'u_ex201007.log'), readFileSync(fixture(name)));
    const db = join(dir, 'x.db');
    const r = await runCli(['scan', join(dir, 'logs'), '--db', db, '--quiet', '--fields', list]);
    expect(r.code).toBe(0);
    const q = await runCli(['query', '--db', db, '--format', 'json',
      `SELECT client_ip, proxy_ip, sum(hits) AS hits, sum(auth_failures) AS auth_failures, sum(errors) AS errors FROM usage GROUP BY 1, 2 ORDER BY 1`]);
    expect(JSON.parse(q.out)).toEqual(want);
    const f = await runCli(['query', '--db', db, '--format', 'json', `SELECT bad_lines FROM files`]);
    expect(JSON.parse(f.out)).toEqual([{ bad_lines: 0 }]);
  });
});

describe('--fields usage errors', () => {
  it.each([
    ['an unknown name', 'date time s-ip bogus-field', /^tls-census: Invalid option --fields: "bogus-field" is not a W3C field name/],
    ['no date and time', 'c-ip cs(User-Agent)', /^tls-census: Invalid option --fields: expect W3C field names with date and time/],
  ])('%s: exit 2, one line, no stack, no database left', async (_, value, message) => {
    const dir = tempDir('tls-census-fields-');
    const r = await runCli(['scan', dir, '--db', join(dir, 'x.db'), '--fields', value]);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
    expect(r.err.split('\n')[0]).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
