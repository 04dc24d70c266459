// The built CLI on a folder holding an IIS log and Exchange Online exports (run after `npm run build`, as
// `npm test` does): EXO senders land in legacy_clients next to IIS clients, and the summary says where the period came from.
import { spawnSync } from 'node:child_process';
import { cpSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tls-census.js');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function folder(): string {
  const dir = join(tempDir(), 'exports');
  cpSync(fixture('exo/cli'), dir, { recursive: true });
  const old = new Date('2024-03-11T08:00:00Z');
  for (const f of ['u_ex240308.log', 'SMTP AUTH clients report.csv', 'Inbound messages report.csv']) utimesSync(join(dir, f), old, old);
  return dir;
}

describe('tls-census scan with Exchange Online exports', () => {
  it('stores EXO senders next to IIS clients and states the period source', () => {
    const dir = folder();
    const db = join(dir, '..', 'census.db');
    const r = cli(['scan', dir, '--db', db, '--period', '2024-03-04..2024-03-10']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Exchange Online SMTP AUTH senders on TLS 1\.0\/1\.1: 5 of 6, ~569 of 3,115 messages/);
    expect(r.out).toMatch(/period 2024-03-04\.\.2024-03-10 \(from --period; 6 senders\)/);
    expect(r.out).toMatch(/~412 100\.0% 1\.0 +412 {2}scan-3rdfloor@contoso\.com/);
    expect(r.out).toMatch(/~ estimated: derived from the percentages/);
    const conn = new Database(db, { readonly: true });
    try {
      const legacy = conn
        .prepare(`SELECT source, client_ip, username, legacy_hits FROM legacy_clients
          WHERE source IN ('iis', 'exo-smtp-auth') ORDER BY source, legacy_hits DESC, username`)
        .all();
      expect(legacy).toEqual([
        { source: 'exo-smtp-auth', client_ip: null, username: 'scan-3rdfloor@contoso.com', legacy_hits: 412 },
        { source: 'exo-smtp-auth', client_ip: null, username: 'erp-notify@contoso.com', legacy_hits: 148 },
        { source: 'exo-smtp-auth', client_ip: null, username: 'printer-2f@contoso.com', legacy_hits: 7 },
        { source: 'exo-smtp-auth', client_ip: null, username: 'alerts@fabrikam.com', legacy_hits: 1 },
        { source: 'exo-smtp-auth', client_ip: null, username: 'backup@contoso.com', legacy_hits: 1 },
        { source: 'iis', client_ip: '10.0.4.20', username: 'CONTOSO\\svc-erp', legacy_hits: 2 },
      ]);
      const estimated = conn.prepare(`SELECT DISTINCT estimated FROM usage WHERE source = 'exo-smtp-auth'`).pluck().all();
      expect(estimated).toEqual([1]);
    } finally {
      conn.close();
    }
  });

  it('without --period, takes the dates in the file name and says so', () => {
    const dir = tempDir();
    const file = join(dir, 'SMTPAuthClients_2024-02-01_2024-02-29.csv');
    cpSync(fixture('exo/smtp-auth-old-portal.csv'), file);
    const r = cli(['scan', file, '--db', join(dir, 'c.db')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/period 2024-02-01\.\.2024-02-29 \(from the file name; 3 senders\)/);
    expect(r.out).not.toMatch(/~ estimated/); // "44% (12)" cells carry their counts
  });

  it('with no date anywhere, uses the modification day and asks for --period', () => {
    const dir = tempDir();
    const file = join(dir, 'export.csv');
    cpSync(fixture('exo/smtp-auth-tls13.csv'), file);
    utimesSync(file, new Date('2024-05-06T10:00:00Z'), new Date('2024-05-06T10:00:00Z'));
    const r = cli(['scan', file, '--db', join(dir, 'c.db')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/period 2024-05-06 \(the file's modification day, as the export holds no dates: give\s+--period\s+START\.\.END; 2 senders\)/);
  });

  it('a report without a needed column: one warning naming file, columns found and expected; the scan goes on', () => {
    const dir = tempDir();
    cpSync(fixture('exo/smtp-auth-missing-column.csv'), join(dir, 'broken.csv'));
    cpSync(fixture('exo/smtp-auth-bad-cell.csv'), join(dir, 'with-bad-cells.csv'));
    const r = cli(['scan', dir, '--db', join(dir, 'c.db'), '--period', '2024-03-04..2024-03-10']);
    expect(r.code).toBe(0);
    const warnings = r.err.split('\n').filter((l) => l.includes('missing_column'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/broken\.csv:1: missing_column: .*no column "Messages sent"; columns found: "Sender address", "Domain", "TLS 1\.0", "TLS 1\.1", "TLS 1\.2"; expected: .*Messages sent/);
    expect(r.err).toMatch(/with-bad-cells\.csv:3: bad_cell: row 2, column "TLS 1\.0": "high" is not a percentage/);
    expect(r.out).toMatch(/Exchange Online exports not used \(a needed column is missing\):\n {2}.*broken\.csv:/);
    expect(r.out).toMatch(/SMTP AUTH senders on TLS 1\.0\/1\.1: 2 of 2, ~413 of 432 messages/); // the bad rows are not counted
  });

  it('rejects a malformed --period with the flag, what it expects and what it got', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.csv'), 'Sender address,TLS 1.0,TLS 1.1,TLS 1.2,Messages sent\n');
    const r = cli(['scan', dir, '--db', join(dir, 'c.db'), '--period', '2024-03-10..2024-03-04']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^tls-census: Invalid option --period: expect START\.\.END as YYYY-MM-DD\.\.YYYY-MM-DD, START not after END, got "2024-03-10\.\.2024-03-04"\n/);
  });
});
