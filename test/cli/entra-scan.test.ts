// The built CLI on composed Entra ID sign-in exports (run after `npm run build`, as `npm test` does): every export
// shape, each sign-in counted once across overlapping exports, renamed copies and re-scans, the tenant verdict,
// blind spots, password spraying, and broken downloads named with file and position.
import { spawnSync } from 'node:child_process';
import { cpSync, copyFileSync, writeFileSync } from 'node:fs';
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

function copy(name: string): string {
  const dir = join(tempDir(), name);
  cpSync(fixture(`entra/${name}`), dir, { recursive: true });
  return dir;
}

const query = (db: string, sql: string): unknown[] => {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(sql).all();
  } finally {
    conn.close();
  }
};

const totals = (db: string) => query(db, `SELECT protocol, sum(hits) AS hits, sum(auth_failures) AS failed FROM usage GROUP BY protocol ORDER BY protocol`);

// 11 distinct sign-ins in 6 files holding 17: pages 1 and 2, the portal array (two of page 1 again), NDJSON (one of
// page 1 again, one broken line), Log Analytics JSON and CSV (one of page 2 again)
const MAIN = [
  { protocol: 'TLS 1.0/1.1 or 3DES', hits: 8, failed: 2 },
  { protocol: 'TLS 1.2+', hits: 3, failed: 0 },
];

describe('tls-census scan of Entra ID sign-in exports', () => {
  it('counts each sign-in once, under --tenant, with the legacy set, noise and hints', () => {
    const dir = copy('main');
    const db = join(dir, '..', 'census.db');
    const r = cli(['scan', dir, '--db', db, '--tenant', 'contoso.onmicrosoft.com', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(totals(db)).toEqual(MAIN);
    expect(query(db, `SELECT count(*) AS n FROM entra_signins`)).toEqual([{ n: 11 }]);
    expect(query(db, `SELECT DISTINCT server, site FROM usage`)).toEqual([{ server: 'contoso.onmicrosoft.com', site: null }]);
    const legacy = query(db, `SELECT client_ip, username, user_agent, legacy_hits, modern_hits, noise, tls12_capable, hint, details
      FROM legacy_clients ORDER BY username, client_ip`) as Record<string, unknown>[];
    expect(legacy.map((c) => [c.username, c.client_ip, c.noise])).toEqual([
      ['admin@contoso.com', '198.51.100.66', 'password-spray'],
      ['bob@contoso.com', '192.0.2.44', null],
      ['carol@contoso.com', '192.0.2.55', null],
      ['ceo@contoso.com', '198.51.100.66', 'password-spray'],
      ['dave@contoso.com', '203.0.113.30', null],
      ['jdoe@contoso.com', '2001:db8:85a3::8a2e:370:7334', null],
      ['jdoe@contoso.com', '203.0.113.10', null],
      ['printer-2f@contoso.com', '10.20.30.40', null],
    ]);
    const printer = legacy.find((c) => c.username === 'printer-2f@contoso.com');
    expect(printer).toMatchObject({ user_agent: null, details: 'app=Authenticated SMTP; non-interactive' });
    expect(printer?.hint).toMatch(/^SMTP AUTH/);
    expect(legacy.find((c) => c.username === 'bob@contoso.com')?.hint).toMatch(/^Exchange ActiveSync/);
    expect(legacy.find((c) => c.username === 'carol@contoso.com')?.hint).toMatch(/^IMAP4\/POP3/);
    expect(legacy.find((c) => c.username === 'admin@contoso.com')?.hint).toMatch(/password spraying/);
    // the same client measured on TLS 1.2+ elsewhere: anna is modern only, so not listed
    expect(legacy.some((c) => c.username === 'anna@contoso.com')).toBe(false);

    const report = JSON.parse(cli(['report', '--db', db, '--format', 'json']).out) as {
      verdicts: { server: string; safeToDisable: string; legacyClients: number; noiseClasses: string[] }[];
      legacyClients: { username: string; protocols: string[]; hitsByProtocol: Record<string, number> }[];
    };
    expect(report.verdicts).toMatchObject([{ server: 'contoso.onmicrosoft.com', safeToDisable: 'no', legacyClients: 6, noiseClasses: ['password-spray'] }]);
    const jdoe = report.legacyClients.find((c) => c.username === 'jdoe@contoso.com');
    expect(jdoe?.protocols).toEqual(['TLS 1.0/1.1 or 3DES']);
    expect(jdoe?.hitsByProtocol['TLS 1.0/1.1 or 3DES']).toBe(1);

    // --fail-on-legacy counts the flagged sign-ins (noise apart)
    const fail = cli(['report', '--db', db, '--fail-on-legacy']);
    expect(fail.code).toBe(1);

    // re-scan: nothing new; renamed copies and a Graph page saved again: nothing new either
    expect(cli(['scan', dir, '--db', db, '--quiet']).code).toBe(0);
    copyFileSync(join(dir, 'signins-page-1.json'), join(dir, 'copy of page 1.json'));
    const other = copy('main');
    expect(cli(['scan', dir, other, '--db', db, '--quiet']).code).toBe(0);
    expect(totals(db)).toEqual(MAIN);
  });

  it('takes the tenant from the data when --tenant is not given, and exports without details make it unknown', () => {
    const main = copy('main');
    const blind = copy('blind');
    const db = join(main, '..', 'census.db');
    expect(cli(['scan', main, blind, '--db', db, '--quiet']).code).toBe(0);
    const report = JSON.parse(cli(['report', '--db', db, '--format', 'json']).out) as {
      verdicts: { server: string; safeToDisable: string; noTlsFieldHits: number; evidence: string }[];
      servers: { server: string; safeToDisable: string; unknowns: { reason: string }[] }[];
    };
    // the tenant is a machine of the per-server verdicts too
    expect(report.servers.map((s) => [s.server, s.safeToDisable, s.unknowns.map((u) => u.reason)])).toEqual([
      ['11111111-2222-3333-4444-555555555555', 'no', []],
      ['Entra ID', 'unknown', ['no-signin-details']],
    ]);
    expect(report.verdicts.map((v) => [v.server, v.safeToDisable, v.noTlsFieldHits])).toEqual([
      ['11111111-2222-3333-4444-555555555555', 'no', 0],
      ['Entra ID', 'unknown', 2],
    ]);
    expect(report.verdicts[1].evidence).toMatch(/^2 of 2 hits, 2026-11-10, are Entra ID sign-ins from exports without authenticationProcessingDetails/);
    expect(query(db, `SELECT count(*) AS n FROM usage WHERE protocol = 'unknown' AND protocol_code IS NULL`)).toEqual([{ n: 2 }]);
  });

  it('names a truncated download and malformed JSON with file and position, and reads the rest', () => {
    const dir = copy('broken');
    const db = join(dir, '..', 'census.db');
    const r = cli(['scan', dir, copy('main'), '--db', db]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/download-truncated\.json:72: truncated: the JSON ends inside a sign-in at line 72, column 24 \(byte 2262\) \(an interrupted download\?\): the 1 sign-ins before the cut were read/);
    // the second of three sign-ins is broken: the first and the third are read
    expect(r.err).toMatch(/malformed\.json:51: bad_json: malformed JSON at line 51, column 5 \(byte 1472\): expected an object key; the sign-in there was skipped \(1 sign-ins before it were read\), reading went on after it/);
    const names = `('gina@contoso.com', 'hank@contoso.com', 'iris@contoso.com')`;
    expect(query(db, `SELECT username, sum(hits) AS hits FROM usage WHERE username IN ${names} GROUP BY 1 ORDER BY 1`))
      .toEqual([{ username: 'gina@contoso.com', hits: 1 }, { username: 'hank@contoso.com', hits: 1 }, { username: 'iris@contoso.com', hits: 1 }]);
    expect(query(db, `SELECT sum(hits) AS n FROM usage WHERE username NOT IN ${names}`)).toEqual([{ n: 11 }]);
    expect(query(db, `SELECT d.code, d.count, d.first_line FROM diagnostics d JOIN files f ON f.id = d.file_id
      WHERE f.path LIKE '%broken%' ORDER BY d.code`))
      .toEqual([{ code: 'bad_json', count: 1, first_line: 51 }, { code: 'truncated', count: 1, first_line: 72 }]);
  });
});

describe('prune and scan --full with Entra ID sign-ins', () => {
  it('prune drops the ids of the days it drops and keeps their sign-ins out; --full counts everything again once', () => {
    const dir = copy('main');
    const db = join(dir, '..', 'census.db');
    const later = join(dir, '..', 'later.ndjson');
    writeFileSync(later, JSON.stringify({
      id: '0000000a-aaaa-4bbb-8ccc-00000000000a', createdDateTime: '2026-11-12T10:00:00Z', userPrincipalName: 'ivy@contoso.com',
      ipAddress: '192.0.2.80', authenticationProcessingDetails: [],
    }) + '\n');
    expect(cli(['scan', dir, later, '--db', db, '--quiet']).code).toBe(0);
    expect(query(db, `SELECT count(*) AS n FROM entra_signins`)).toEqual([{ n: 12 }]);
    expect(cli(['prune', '--older-than', '1d', '--db', db, '--quiet']).code).toBe(0);
    // days before 2026-11-11 are gone, with their ids; a copy of the exports does not bring them back
    expect(query(db, `SELECT count(*) AS n FROM entra_signins`)).toEqual([{ n: 1 }]);
    const r = cli(['scan', copy('main'), '--db', db]);
    expect(r.err).toMatch(/pruned_day: a sign-in on a day removed by prune: not counted again/);
    expect(query(db, `SELECT min(day) AS day, sum(hits) AS hits FROM usage`)).toEqual([{ day: '2026-11-12', hits: 1 }]);

    const full = join(dir, '..', 'full.db');
    expect(cli(['scan', dir, '--db', full, '--quiet']).code).toBe(0);
    expect(cli(['scan', '--full', dir, '--db', full, '--quiet']).code).toBe(0);
    expect(totals(full)).toEqual(MAIN);
  });
});
