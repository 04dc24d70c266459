import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tls-census.js');

function cli(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function expectUserError(r: ReturnType<typeof cli>, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.err).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
}

describe('tls-census CLI', () => {
  it('scans the bundled samples and prints the summary with legacy clients', () => {
    const db = join(tempDir(), 'samples.db');
    const r = cli(['scan', 'samples', '--db', db]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Hits by protocol/);
    expect(r.out).toMatch(/iis\s+TLS 1\.2/);
    expect(r.out).toMatch(/Legacy clients \(SSL 2\.0\/3\.0, TLS 1\.0\/1\.1\): \d+ clients/);
    expect(r.out).toMatch(/Plain HTTP \(no TLS\): [1-9][\d,]* hits/);
    const report = cli(['report', '--db', db, '--top', '3']);
    expect(report.code).toBe(0);
    expect(report.out).toMatch(/top 3 by hits/);
  });

  it('stops quietly with its exit code when the reader closes the pipe early (query | head)', async () => {
    const db = join(tempDir(), 'samples.db');
    expect(cli(['scan', 'samples', '--db', db, '--quiet']).code).toBe(0);
    // 200,000 rows: megabytes, far more than a pipe holds, and more values than a spread argument list takes
    const sql = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT i, i * 2 AS twice FROM n';
    for (const format of ['table', 'csv', 'json']) {
      const child = spawn(process.execPath, [BIN, 'query', '--db', db, '--format', format, sql], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += String(d)));
      // the first chunk read, then the reading end closed, as `head -c 10` does
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      expect(err, format).toBe('');
      expect(code, format).toBe(0);
    }
    const all = spawnSync(process.execPath, [BIN, 'query', '--db', db, sql], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(all.stderr).toBe('');
    expect(all.status).toBe(0);
    expect(all.stdout.endsWith('(200000 rows)\n')).toBe(true);
  });

  it('exits 2 with one line for a path that does not exist, and leaves no database or lock file', () => {
    const db = join(tempDir(), 'x.db');
    const r = cli(['scan', 'no/such/folder', '--db', db]);
    expectUserError(r, /^tls-census: no such file or folder: no\/such\/folder\n$/);
    for (const f of [db, `${db}-lock`, `${db}-wal`, `${db}-shm`]) expect(existsSync(f), f).toBe(false);
  });

  it('names every command when run without one', () => {
    const r = cli([]);
    expect(r.code).toBe(2);
    for (const name of ['scan', 'report', 'merge', 'prune', 'exceptions', 'query', 'export']) expect(r.err).toContain(name);
  });

  it('says in scan --help that the window flags only choose what the thresholds look at', () => {
    const help = cli(['scan', '--help']).out.replace(/\s+/g, ' ');
    expect(help).toMatch(/--server .*Only these servers .*: the window --fail-on-legacy looks at \(the scan still reads every path/);
    expect(help).not.toMatch(/--server[^-]*Only these servers \(repeat or comma-separate\) \[array\]/);
  });

  it('warns when an exception is added with an expiry in the past, and stores it', () => {
    const db = join(tempDir(), 'exc.db');
    const r = cli(['exceptions', 'add', '--db', db, '--ip', '10.0.0.1', '--reason', 'old', '--expires', '2020-01-31']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^tls-census: warning: --expires 2020-01-31 is in the past: exception 1 is stored but does not apply/);
    expect(cli(['exceptions', 'list', '--db', db]).out).toMatch(/1 expired ip {5}10\.0\.0\.1 {2}until 2020-01-31/);
    const later = cli(['exceptions', 'add', '--db', db, '--ip', '10.0.0.2', '--reason', 'new', '--expires', '2999-01-31']);
    expect(later.err).toBe('');
  });

  it('exits 2 when the --db folder does not exist', () => {
    const r = cli(['scan', 'samples', '--db', join(tempDir(), 'missing', 'x.db')]);
    expectUserError(r, /folder .*missing does not exist/);
  });

  it('refuses a --db that is not SQLite and leaves it untouched', () => {
    const path = join(tempDir(), 'notes.db');
    writeFileSync(path, 'my precious notes\n');
    const r = cli(['scan', 'samples', '--db', path]);
    expectUserError(r, /is not an SQLite database/);
    expect(readFileSync(path, 'utf8')).toBe('my precious notes\n');
    expectUserError(cli(['report', '--db', path]), /is not an SQLite database/);
  });

  it('exits 2 for a report on a database that does not exist', () => {
    expectUserError(cli(['report', '--db', join(tempDir(), 'none.db')]), /does not exist/);
  });

  it('exits 2 for bad options with a message naming the flag', () => {
    expectUserError(cli(['scan', 'samples', '--field-map', 'crypt-proto=x', '--db', join(tempDir(), 'x.db')]), /Invalid option --field-map/);
    expectUserError(cli(['scan', 'samples', '--top', '0', '--db', join(tempDir(), 'x.db')]), /Invalid option --top/);
    expectUserError(cli([]), /Name a command/);
    expectUserError(cli(['frobnicate']), /Unknown argument|Unknown command/);
  });

  it('prints bad lines as file:line warnings and still scans the rest', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'u_ex.log'), '#Fields: date time c-ip crypt-protocol\n2024-01-01 00:00:00 192.0.2.1\n2024-01-01 00:00:01 192.0.2.1 40\n');
    const r = cli(['scan', dir, '--db', join(dir, 'x.db')]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: .*u_ex\.log:2: field_count/);
    expect(r.out).toMatch(/1 bad lines/);
    expect(r.out).toMatch(/Legacy clients .*: 1 clients, 1 hits/);
  });

  it('is quiet with --quiet', () => {
    const r = cli(['scan', 'samples', '--quiet', '--db', join(tempDir(), 'q.db')]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toBe('');
  });
});

describe('mail sources in the JSON report', () => {
  it('carries the Exchange Server and Exchange Online sections next to the legacy clients of every source', () => {
    const db = join(tempDir(), 'mail.db');
    const fixtures = join(ROOT, 'test', 'fixtures');
    const scan = cli(['scan', join(fixtures, 'exchange'), join(fixtures, 'httperr'), join(fixtures, 'exo', 'smtp-auth-new-eac.csv'),
      '--period', '2024-03-04..2024-03-10', '--db', db, '--quiet']);
    expect(scan.code).toBe(0);
    const r = cli(['report', '--db', db, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      legacyClients: { source: string }[];
      exchangeServer: { httpErr: { rows: number; clients: number } | null } | null;
      exchangeOnline: { smtpAuth: { senders: number; legacySenders: number } | null } | null;
    };
    expect(j.exchangeServer?.httpErr?.clients).toBeGreaterThan(0); // HTTP.sys drops and idle timeouts per address
    expect(j.exchangeOnline?.smtpAuth?.senders).toBeGreaterThan(0);
    expect(j.exchangeOnline?.smtpAuth?.legacySenders).toBeGreaterThan(0);
    expect(new Set(j.legacyClients.map((c) => c.source))).toContain('exo-smtp-auth');
  });

  it('shows the mail sections in Markdown and HTML too, with log strings escaped', () => {
    const dir = tempDir();
    const db = join(dir, 'mail.db');
    const hostile = '<img src=x onerror=alert(1)>';
    writeFileSync(
      join(dir, 'connectors.csv'),
      'Date,Connector direction and name,Connector type,Forced TLS?,No TLS,TLS 1.0,TLS 1.1,TLS 1.2,Volume\n' +
        `2024-03-04,Inbound - ${hostile},Partner,No,0,7,0,93,100\n`,
    );
    expect(cli(['scan', dir, join(ROOT, 'test', 'fixtures', 'httperr'), '--db', db, '--quiet']).code).toBe(0);
    const md = cli(['report', '--db', db, '--format', 'markdown']).out;
    expect(md).toMatch(/## Mail: Exchange Online and Exchange Server/);
    expect(md).toMatch(/### Exchange Online connectors on TLS 1\.0\/1\.1/);
    expect(md).toMatch(/### HTTP\.sys timeouts and dropped connections by address and day/);
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(md).not.toContain(hostile);
    const html = cli(['report', '--db', db, '--format', 'html']).out;
    expect(html).toContain('<section id="mail">');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain(hostile);
  });
});
