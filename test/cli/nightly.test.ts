// The nightly flags end to end: --fail-on-legacy [N] on scan and report with the window (--days counts back from
// the newest event), --fail-on-bad-lines, known exceptions (stored and --exceptions FILE), what changed since the
// last scan, --full, prune. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tls-census.js');

export function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const FIELDS = '#Software: Microsoft Internet Information Services 10.0\n#Fields: date time c-ip cs-username cs(User-Agent) crypt-protocol\n';
/** crypt-protocol as IIS logs it: 40 TLS 1.0, 100 TLS 1.1 (…_SERVER), 400 TLS 1.2. */
type Hit = [day: string, ip: string, user: string, agent: string, proto: '40' | '100' | '400', times: number];

export function writeLog(path: string, hits: readonly Hit[], extra = ''): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const lines = hits.flatMap(([day, ip, user, agent, proto, times]) =>
    Array.from({ length: times }, (_, i) => `${day} 10:00:0${i} ${ip} ${user} ${agent} ${proto}\n`));
  writeFileSync(path, FIELDS + lines.join('') + extra);
  const old = new Date('2024-04-01T00:00:00Z');
  utimesSync(path, old, old);
}

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const MARCH_1: Hit[] = [
  ['2024-03-01', '192.0.2.1', 'alice', 'OldApp/1.0', '40', 3],
  ['2024-03-01', '192.0.2.2', 'bob', 'Printer/2', '100', 2],
  ['2024-03-01', '192.0.2.3', 'carol', 'NewApp/9', '400', 5],
  ['2024-03-01', '192.0.2.4', 'dave', 'Scanner/1', '40', 1],
];
const MARCH_10: Hit[] = [
  ['2024-03-10', '192.0.2.2', 'bob', 'Printer/2', '40', 1],
  ['2024-03-10', '192.0.2.1', 'alice', 'OldApp/1.0', '400', 1],
  ['2024-03-10', '192.0.2.5', 'eve', 'Kiosk/3', '40', 2],
];

describe('thresholds, window and exceptions', () => {
  it('trips --fail-on-legacy on scan and report, counting only the window, and excepted hits do not count', () => {
    const dir = tempDir();
    writeLog(join(dir, 'logs', 'WEB01', 'a.log'), MARCH_1);
    writeLog(join(dir, 'logs', 'WEB01', 'b.log'), MARCH_10);
    const db = join(dir, 'n.db');
    // the flag without a value, before the path: means 0
    const scan = cli(['scan', '--fail-on-legacy', join(dir, 'logs'), '--db', db, '--quiet']);
    expect(scan.code).toBe(1);
    expect(scan.out).toBe('');
    expect(scan.err).toBe('tls-census: threshold: --fail-on-legacy 0: 9 legacy hits from 4 clients in the window\n');
    expect(cli(['report', '--db', db, '--fail-on-legacy', '9']).code).toBe(0);
    expect(cli(['report', '--db', db, '--fail-on-legacy', '8']).code).toBe(1);
    const lastDay = cli(['report', '--db', db, '--days', '1', '--fail-on-legacy']);
    expect(lastDay.code).toBe(1);
    expect(lastDay.err).toMatch(/3 legacy hits from 2 clients in the window/);
    expect(cli(['report', '--db', db, '--since', '2024-03-02', '--until', '2024-03-09', '--fail-on-legacy']).code).toBe(0);

    const add = cli(['exceptions', 'add', '--db', db, '--ip', '192.0.2.0/30', '--reason', 'badge readers, replaced in May', '--expires', day(30)]);
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/^Added exception 1: ip 192\.0\.2\.0\/30 until /);
    const excepted = cli(['report', '--db', db, '--fail-on-legacy', '3']);
    expect(excepted.code).toBe(0); // alice (3) and bob (3) excepted: dave 1 + eve 2 = 3 counted
    expect(excepted.out).toMatch(/192\.0\.2\.2 +bob[^\n]*\n(.*\n)*? +known exception until \d{4}-\d{2}-\d{2}: badge readers, replaced in May/);
    expect(cli(['report', '--db', db, '--fail-on-legacy', '2']).code).toBe(1);
    const scanned = cli(['scan', join(dir, 'logs'), '--db', db]); // the scan's summary marks them too
    expect(scanned.out).toMatch(/known exception until \d{4}-\d{2}-\d{2}: badge readers/);

    const file = join(dir, 'exceptions.csv');
    writeFileSync(file, `# known devices\nmatch,value,expires,reason\nagent,Kiosk,${day(1)},lobby kiosk\nuser,dave,${day(-1)},expired yesterday\n`);
    const withFile = cli(['report', '--db', db, '--exceptions', file, '--fail-on-legacy', '0']);
    expect(withFile.err).toMatch(/1 legacy hits from 1 clients in the window \(8 more covered by known exceptions\)/);
    expect(cli(['exceptions', 'expire', '1', '--db', db]).code).toBe(0);
    expect(cli(['exceptions', 'list', '--db', db]).out).toMatch(/^ {3}1 expired ip {5}192\.0\.2\.0\/30/);
    expect(cli(['report', '--db', db, '--fail-on-legacy', '3']).code).toBe(1);

    writeFileSync(file, 'match,value,expires,reason\nmac,00:11,2030-01-01,x\n');
    const bad = cli(['report', '--db', db, '--exceptions', file, '--fail-on-legacy']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Invalid exception .*exceptions\.csv:2: expect ip\|user\|agent\|sender, got "mac"/);
  });

  it('trips --fail-on-bad-lines on the lines of this scan', () => {
    const dir = tempDir();
    writeLog(join(dir, 'logs', 'x.log'), [['2024-03-01', '192.0.2.9', 'x', 'A', '400', 3]], '2024-03-01 garbage\n');
    const db = join(dir, 'b.db');
    const r = cli(['scan', join(dir, 'logs'), '--db', db, '--fail-on-bad-lines', '10', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--fail-on-bad-lines 10: 1 bad lines of 6 \(16\.67%\)/);
    expect(cli(['report', '--db', db, '--fail-on-bad-lines', '20']).code).toBe(0);
    expect(cli(['scan', join(dir, 'logs'), '--db', db, '--fail-on-bad-lines', '101']).code).toBe(2);
  });
});

describe('what changed since the last scan', () => {
  it('lists legacy clients new in the last scan, gone for --stale-days, and moved to TLS 1.2', () => {
    const dir = tempDir();
    writeLog(join(dir, 'mon', 'WEB01', 'a.log'), MARCH_1);
    writeLog(join(dir, 'tue', 'WEB01', 'b.log'), MARCH_10);
    const db = join(dir, 'c.db');
    expect(cli(['scan', join(dir, 'mon'), '--db', db]).out).toMatch(/What changed in the first run\n {2}New legacy clients: 3\n/);
    const second = cli(['scan', join(dir, 'tue'), '--db', db]);
    expect(second.out).toMatch(/What changed since the previous run \(.* UTC\)\n {2}New legacy clients: 1\n {2}iis: 192\.0\.2\.5 {2}eve {2}Kiosk\/3 \(2 legacy hits, first 2024-03-10\)\n/);
    expect(second.out).toMatch(/Moved to TLS 1\.2\+ .*: 1\n {2}iis: 192\.0\.2\.1 {2}alice .*last legacy 2024-03-01, TLS 1\.2\+ 2024-03-10/);
    expect(second.out).toMatch(/Not seen for 7 days before 2024-03-10: 1\n {2}iis: 192\.0\.2\.4 {2}dave/);
    const report = cli(['report', '--db', db, '--since-last-scan', '--stale-days', '30']);
    expect(report.code).toBe(0);
    expect(report.out).toMatch(/New legacy clients: 1\n/);
    expect(report.out).toMatch(/Not seen for 30 days before 2024-03-10: 0\n/);
    const d = new Database(db, { readonly: true });
    expect(d.prepare(`SELECT command, status, files, lines, bad_lines, new_legacy_clients FROM scans ORDER BY id`).all()).toEqual([
      { command: 'scan', status: 'done', files: 1, lines: 13, bad_lines: 0, new_legacy_clients: 3 },
      { command: 'scan', status: 'done', files: 1, lines: 6, bad_lines: 0, new_legacy_clients: 1 },
    ]);
    d.close();
  });
});

describe('--full and prune', () => {
  it('rebuilds with --full without double counting, and prune keeps pruned days out of re-scans', () => {
    const dir = tempDir();
    writeLog(join(dir, 'logs', 'WEB01', 'a.log'), MARCH_1);
    writeLog(join(dir, 'logs', 'WEB01', 'b.log'), MARCH_10);
    const db = join(dir, 'f.db');
    const sum = (): unknown => {
      const d = new Database(db, { readonly: true });
      const r = d.prepare(`SELECT sum(hits) AS hits, count(*) AS rows, min(day) AS first FROM usage`).get();
      d.close();
      return r;
    };
    expect(cli(['scan', join(dir, 'logs'), '--db', db, '--quiet']).code).toBe(0);
    const once = sum();
    expect(cli(['scan', join(dir, 'logs'), '--db', db, '--full', '--quiet']).code).toBe(0);
    expect(cli(['scan', join(dir, 'logs'), '--db', db, '--full', '--quiet']).code).toBe(0);
    expect(sum()).toEqual(once);
    expect(once).toEqual({ hits: 15, rows: 7, first: '2024-03-01' });

    const prune = cli(['prune', '--db', db, '--older-than', '5d']);
    expect(prune.out).toBe('Pruned 4 usage rows before 2024-03-05 (5 days before the newest day stored).\n');
    expect(sum()).toEqual({ hits: 4, rows: 3, first: '2024-03-10' });
    expect(cli(['scan', join(dir, 'logs'), '--db', db, '--quiet']).code).toBe(0);
    expect(sum()).toEqual({ hits: 4, rows: 3, first: '2024-03-10' });
    expect(cli(['prune', '--db', db, '--older-than', 'a year']).code).toBe(2);
  });

  it('keeps Exchange Online report rows through --full and never counts them twice', () => {
    const dir = tempDir();
    cpSync(fixture('exo/cli'), join(dir, 'in'), { recursive: true });
    writeLog(join(dir, 'in', 'WEB01', 'a.log'), MARCH_1);
    const db = join(dir, 'e.db');
    const bySource = (): unknown => {
      const d = new Database(db, { readonly: true });
      const r = d.prepare(`SELECT source, sum(hits) AS hits, count(*) AS rows FROM usage GROUP BY source ORDER BY source`).all();
      d.close();
      return r;
    };
    expect(cli(['scan', join(dir, 'in'), '--db', db, '--quiet']).code).toBe(0);
    const once = bySource();
    expect((once as { source: string }[]).map((r) => r.source)).toContain('exo-smtp-auth');
    expect(cli(['scan', join(dir, 'in'), '--db', db, '--full', '--quiet']).code).toBe(0);
    expect(bySource()).toEqual(once);
    expect(cli(['scan', join(dir, 'WEB01-only-not-there'), '--db', db, '--full', '--quiet']).code).toBe(2);
    expect(cli(['scan', join(dir, 'in', 'WEB01'), '--db', db, '--full', '--quiet']).code).toBe(0);
    // the reports are kept even when their files are not scanned again; the IIS counts are those of WEB01 alone
    const exo = (once as { source: string }[]).filter((r) => r.source !== 'iis');
    expect(bySource()).toEqual([...exo, { source: 'iis', hits: 11, rows: 4 }]);
  });

  it('rebuilds Exchange protocol logs (sessions spanning files) with --full to the same rows as a fresh database', () => {
    const dir = tempDir();
    cpSync(fixture('exchange'), join(dir, 'logs'), { recursive: true });
    const rows = (db: string): unknown => {
      const d = new Database(db, { readonly: true });
      const r = d.prepare(`SELECT * FROM usage ORDER BY day, source, server, client_ip, username, protocol, endpoint, detail`).all();
      d.close();
      return r;
    };
    const fresh = join(dir, 'fresh.db');
    const full = join(dir, 'full.db');
    expect(cli(['scan', join(dir, 'logs'), '--db', fresh, '--quiet']).code).toBe(0);
    expect(cli(['scan', join(dir, 'logs'), '--db', full, '--quiet']).code).toBe(0);
    expect(cli(['scan', join(dir, 'logs'), '--db', full, '--full', '--quiet']).code).toBe(0);
    expect(cli(['scan', join(dir, 'logs'), '--db', full, '--quiet']).code).toBe(0);
    expect((rows(fresh) as unknown[]).length).toBeGreaterThan(0);
    expect(rows(full)).toEqual(rows(fresh));
  });
});
