// The real public files of ../shared/corpus that no other test scans end to end (issue 11): each is copied into
// test/fixtures/ (attribution in its README) and scanned here as a user would, and what tls-census makes of it is
// asserted: rows, protocol, timestamps against the peer suites' expected outputs (lnav's test_logfile.sh, Filebeat's
// expected JSON), and for files it does not read, the skip and its reason. Never a crash, never a silent loss.
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { fixture, tempDir } from '../helpers.js';

interface FileRow {
  path: string; format: string | null; status: string; reason: string | null; lines: number; records: number;
  bad_lines: number; reasons: string | null; tls_fields: number; layout: string | null;
}
interface UsageRow { source: string; server: string | null; client_ip: string | null; user_agent: string | null; protocol: string; hits: number; errors: number; first_seen: string; last_seen: string; day: string }

/** Scans copies of the fixtures (destination path → fixture name) into a new database; returns what it holds. */
async function scan(files: Record<string, string>, ...more: string[]) {
  const dir = tempDir('tls-census-corpus-');
  const logs = join(dir, 'logs');
  for (const [dest, name] of Object.entries(files)) {
    mkdirSync(dirname(join(logs, dest)), { recursive: true });
    copyFileSync(fixture(name), join(logs, dest));
  }
  const dbPath = join(dir, 'c.db');
  const r = await runCli(['scan', logs, '--db', dbPath, '--quiet', ...more]);
  expect(r.err).not.toMatch(/\n\s+at /); // never a stack
  expect(r.code).toBe(0);
  const db = new Database(dbPath, { readonly: true });
  try {
    const file = (dest: string): FileRow =>
      db.prepare(`SELECT path, format, status, reason, lines, records, bad_lines, reasons, tls_fields, layout FROM files WHERE path LIKE ?`).get(`%${dest}`) as FileRow;
    const usage = db.prepare(`SELECT source, server, client_ip, user_agent, protocol, hits, errors, first_seen, last_seen, day FROM usage ORDER BY first_seen, client_ip`).all() as UsageRow[];
    return { files: Object.keys(files).map(file), usage, out: r.out };
  } finally {
    db.close();
  }
}

describe('lnav test logs (tstack/lnav, BSD-2-Clause)', () => {
  it('logfile_w3c.0: an HTTP Server API 2.0 log with comments after the directives: one IE 5.5 request, TLS version unknown', async () => {
    const { files, usage } = await scan({ 'HOST/logfile_w3c.0.log': 'iis/lnav-logfile_w3c.0.log' });
    expect(files[0]).toMatchObject({ format: 'iis-w3c', status: 'read', records: 1, bad_lines: 0, tls_fields: 0 });
    expect(usage).toEqual([expect.objectContaining({
      source: 'iis', client_ip: '172.22.255.255', user_agent: 'Mozilla/4.0 (compatible;MSIE 5.5; Windows 2000 Server)', protocol: 'unknown',
      hits: 1, first_seen: '2002-05-02T17:42:15Z',
    })]);
  });

  it('logfile_w3c.1: Oracle Web Cache, columns padded with several spaces, quoted values: one request, read whole', async () => {
    const { files, usage } = await scan({ 'HOST/logfile_w3c.1.log': 'iis/lnav-logfile_w3c.1.log' });
    expect(files[0]).toMatchObject({ format: 'iis-w3c', status: 'read', records: 1, bad_lines: 0 });
    expect(usage).toEqual([expect.objectContaining({
      client_ip: '64.103.37.2', user_agent: 'Mozilla/4.5 [en] (WinNT; I)', protocol: 'unknown', first_seen: '2001-10-31T00:00:18Z',
    })]);
  });

  it('logfile_w3c.2: time-only lines take their day from #Date, as lnav expects (14 messages, second block a day later)', async () => {
    const { files, usage } = await scan({ 'HOST/logfile_w3c.2.log': 'iis/lnav-logfile_w3c.2.log' });
    expect(files[0]).toMatchObject({ format: 'iis-w3c', status: 'read', lines: 22, records: 14, bad_lines: 0 });
    // lnav's expected timestamps (../shared/corpus/lnav/expected_from_test_logfile_sh.json): 11 on 2000-10-09 from
    // 16:44:49 to 16:48:44, 3 on 2000-10-10 from 16:44:49 to 16:48:05
    const byDay = usage.map((u) => [u.day, u.client_ip, u.hits, u.first_seen, u.last_seen]);
    expect(byDay).toEqual([
      ['2000-10-09', '1.1.1.1', 11, '2000-10-09T16:44:49Z', '2000-10-09T16:48:44Z'],
      ['2000-10-10', '1.1.1.1', 3, '2000-10-10T16:44:49Z', '2000-10-10T16:48:05Z'],
    ]);
  });

  it('logfile_w3c.4: Incapsula, every value quoted and a non-ISO #Date: the two requests at lnav\'s timestamps, server from s-computername', async () => {
    const { files, usage } = await scan({ 'HOST/logfile_w3c.4.log': 'iis/lnav-logfile_w3c.4.log' });
    expect(files[0]).toMatchObject({ format: 'iis-w3c', status: 'read', records: 2, bad_lines: 0 });
    expect(usage.map((u) => [u.first_seen, u.client_ip, u.server, u.protocol])).toEqual([
      ['2017-06-26T18:21:17Z', '125.125.125.125', 'www.example.com', 'unknown'],
      ['2017-06-28T07:26:35Z', '123.123.123.123', 'www.example.com', 'unknown'],
    ]);
    expect(usage[1].user_agent).toBe('Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/58.0.3029.110 Safari/537.36');
  });
});

describe('Filebeat IIS module test logs (elastic/beats, Apache-2.0)', () => {
  type Ecs = { '@timestamp': string; 'source.address': string };
  const expected = (name: string): Ecs[] => JSON.parse(readFileSync(fixture(`httperr/${name}-expected.json`), 'utf8')) as Ecs[];
  /** Per address: events and first/last time, from Filebeat's expected events. */
  const perAddress = (events: readonly Ecs[]) => {
    const m = new Map<string, { hits: number; first: string; last: string }>();
    for (const e of events) {
      const t = e['@timestamp'].replace('.000Z', 'Z');
      const a = m.get(e['source.address']);
      m.set(e['source.address'], a ? { hits: a.hits + 1, first: a.first < t ? a.first : t, last: a.last > t ? a.last : t } : { hits: 1, first: t, last: t });
    }
    return Object.fromEntries(m);
  };
  const fromUsage = (usage: readonly UsageRow[]) => {
    const m = new Map<string, { hits: number; first: string; last: string }>();
    for (const u of usage) {
      const a = m.get(u.client_ip ?? '-');
      m.set(u.client_ip ?? '-', a
        ? { hits: a.hits + u.hits, first: a.first < u.first_seen ? a.first : u.first_seen, last: a.last > u.last_seen ? a.last : u.last_seen }
        : { hits: u.hits, first: u.first_seen, last: u.last_seen });
    }
    return Object.fromEntries(m);
  };

  it.each(['beats-error-test.log', 'beats-error-ipv6_zone_id.log'])(
    'HTTPERR %s: every event Filebeat expects, by address and time, each an HTTP.sys error (zone ids kept as written)',
    async (name) => {
      const { files, usage } = await scan({ [`HOST/HTTPERR/${name}`]: `httperr/${name}` });
      expect(files[0]).toMatchObject({ format: 'httperr', status: 'read', bad_lines: 0, records: expected(name).length });
      expect(fromUsage(usage)).toEqual(perAddress(expected(name)));
      expect(usage.every((u) => u.source === 'httperr' && u.protocol === 'unknown' && u.errors === u.hits)).toBe(true);
    },
  );

  it('access logs without directives (test-iis-7.2 with non-UTF-8 bytes, the two X-Forwarded-For logs) are skipped with a reason, never guessed', async () => {
    const { files, usage } = await scan({
      'HOST/a/test-iis-7.2.log': 'iis/beats-test-iis-7.2.log',
      'HOST/b/test-x-forward-for.log': 'iis/beats-test-x-forward-for.log',
      'HOST/c/test-x-forward-for-extended.log': 'iis/beats-test-x-forward-for-extended.log',
    });
    for (const f of files) {
      expect(f).toMatchObject({ format: null, status: 'skipped', records: 0 });
      expect(f.reason).toMatch(/no #Software\/#Fields directives/);
    }
    expect(usage).toEqual([]);
  });
});

describe('artefacts.help Exchange message tracking log (Qazeer/artefacts.help, CC0)', () => {
  it('MSGTRKMS…LOG is not a log tls-census reads: skipped with a reason naming its log type, the rest of the folder read', async () => {
    const { files, usage, out } = await scan({
      'EXCH01/MessageTracking/MSGTRKMS2022091915-1.LOG': 'exchange/artefacts-MSGTRKMS2022091915-1.LOG',
      'EXCH01/SmtpReceive/RECV2023011116-1.LOG': 'exchange/artefacts-RECV2023011116-1.LOG',
    });
    expect(files[0]).toMatchObject({ format: null, status: 'skipped', records: 0, bad_lines: 0 });
    expect(files[0].reason).toMatch(/^an Exchange "Message Tracking Log" \(#Log-type\), not a log tls-census reads: TLS versions are in the protocol logs/);
    expect(files[1]).toMatchObject({ format: 'exchange-smtp', status: 'read' });
    expect(usage.map((u) => [u.source, u.protocol])).toEqual([['smtp-receive', 'TLS 1.2']]);
    expect(out).toBe('');
  });
});
