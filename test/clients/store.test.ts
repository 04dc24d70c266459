// Scans the composed client fixture and checks what the database says about each client: the legacy_clients
// identification columns, the weak_crypto view and the blind spots, all through plain SQL.
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeBlindSpots, readBlindSpots } from '../../src/report/sections/blind-spots.js';
import { BACK_END_HINT, CAPABLE_HINT, HINTS, MEASURED_HINT, NOISE_HINTS } from '../../src/clients/hints.js';
import { readWeakCrypto } from '../../src/report/sections/weak-crypto.js';
import { findingsSection, formatFindingsText, readFindings, redactFindings } from '../../src/report/sections/findings.js';
import { DEFAULT_SCAN, scan } from '../../src/engine/scan.js';
import { DEFAULT_FIELD_MAP } from '../../src/formats/iis-w3c.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { Store } from '../../src/store/store.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'clients', 'composed-clients.log');

interface Row {
  client_ip: string | null;
  user_agent: string | null;
  client: string;
  client_family: string | null;
  os: string | null;
  tls12_capable: string;
  tls12_basis: string | null;
  noise: string | null;
  hint: string | null;
  weak_crypto: string | null;
}

let db: Db;
let rows: Row[];
const byIp = (ip: string, ua?: string): Row => {
  const hit = rows.filter((r) => r.client_ip === ip && (ua === undefined || r.user_agent === ua));
  expect(hit).toHaveLength(1);
  return hit[0];
};

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-census-clients-'));
  mkdirSync(join(dir, 'logs', 'EXCH01', 'W3SVC1'), { recursive: true });
  copyFileSync(FIXTURE, join(dir, 'logs', 'EXCH01', 'W3SVC1', 'u_ex240311.log'));
  db = openDatabase(join(dir, 'census.db'));
  await scan(new Store(db), { ...DEFAULT_SCAN, settleMs: 0, paths: [join(dir, 'logs')], fieldMap: DEFAULT_FIELD_MAP, now: new Date() });
  rows = db.prepare(`SELECT * FROM legacy_clients ORDER BY client_ip, user_agent`).all() as Row[];
});

describe('legacy_clients after a scan', () => {
  it('the scan classified every user agent', () => {
    const missing = db.prepare(`SELECT count(*) FROM usage u WHERE user_agent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM clients c WHERE c.user_agent = u.user_agent)`).pluck().get();
    expect(missing).toBe(0);
  });

  it('identifies real clients with capability and hint', () => {
    expect(byIp('10.30.2.40', 'MSRPC')).toMatchObject({ client: 'Outlook Anywhere (RPC/HTTP)', tls12_capable: 'unknown', noise: null, hint: HINTS.outlookAnywhere });
    expect(byIp('10.30.2.40', 'Microsoft Office/14.0 (Windows NT 6.1; Microsoft Outlook 14.0.7268; Pro)')).toMatchObject({
      client: 'Outlook 2010 on Windows 7', client_family: 'Outlook', os: 'Windows 7', tls12_capable: 'no', tls12_basis: 'user agent', noise: null, hint: HINTS.outlook2010,
    });
    expect(byIp('10.30.4.60')).toMatchObject({ client: 'IE 10 on Windows 7', tls12_capable: 'no', hint: HINTS.ieOld });
    expect(byIp('198.51.100.120')).toMatchObject({ client: 'Android ActiveSync (Android 4.2.2)', tls12_capable: 'no', hint: HINTS.androidOld });
    expect(byIp('10.40.0.22')).toMatchObject({ client: 'Java 7', tls12_capable: 'no', hint: HINTS.java7 });
    expect(byIp('10.50.0.10')).toMatchObject({ client: 'Teams Rooms 4.0.51.0', tls12_capable: 'no', hint: HINTS.teamsRooms });
    expect(byIp('10.30.9.15')).toMatchObject({ client: 'IE 8 on Windows XP', tls12_capable: 'no', hint: HINTS.windowsXp });
  });

  it('the trap: IE 11 in compatibility view is capable, with the capable-but-legacy hint', () => {
    expect(byIp('10.30.4.70')).toMatchObject({ client: 'IE 11 (compatibility view) on Windows 10/11', tls12_capable: 'yes', tls12_basis: 'user agent', hint: CAPABLE_HINT });
  });

  it('Exchange Back End traffic gets the server-side hint', () => {
    expect(byIp('10.20.0.16')).toMatchObject({ client: 'Outlook 2016+ on Windows 10/11', noise: null, hint: BACK_END_HINT });
  });

  it('measured TLS 1.2 beats the user agent', () => {
    expect(byIp('10.40.0.21')).toMatchObject({ client: '.NET Framework 4.6+ app', tls12_capable: 'yes', tls12_basis: 'measured', hint: MEASURED_HINT });
  });

  it('marks noise classes without filtering them out', () => {
    const probes = rows.filter((r) => r.client_ip === '10.20.0.15');
    expect(probes.map((r) => r.noise)).toEqual(['managed-availability', 'managed-availability']);
    expect(probes.every((r) => r.hint === NOISE_HINTS['managed-availability'])).toBe(true);
    expect(byIp('203.0.113.90')).toMatchObject({ client: 'Outlook for Mac 2011', noise: 'challenge-only' });
    expect(byIp('203.0.113.66')).toMatchObject({ client: '(no user agent)', noise: 'scanner', hint: NOISE_HINTS.scanner });
    expect(byIp('10.20.0.2')).toMatchObject({ client: '(no user agent)', noise: 'health-check' });
    expect(byIp('10.20.0.3')).toMatchObject({ client: 'health check (KEMP)', noise: 'health-check' });
    const real = rows.filter((r) => r.noise === null).map((r) => r.client_ip);
    expect(real).toContain('10.30.2.40');
    expect(rows).toHaveLength(17); // every legacy client of the fixture, noise included
  });

  it('lists the weak parts a legacy client used', () => {
    expect(byIp('10.30.9.15').weak_crypto).toBe('3DES cipher, RSA key exchange (no forward secrecy)');
    expect(byIp('198.51.100.200').weak_crypto).toBe('RC4 cipher, MD5 hash, RSA key exchange (no forward secrecy)');
    expect(byIp('10.40.0.22').weak_crypto).toBeNull();
  });

  it('keeps every Core column in order, then the identification columns', () => {
    const cols = (db.prepare(`SELECT name FROM pragma_table_info('legacy_clients')`).all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual([
      'source', 'client_ip', 'username', 'user_agent', 'legacy_hits', 'ssl2_hits', 'ssl3_hits', 'tls10_hits', 'tls11_hits',
      'modern_hits', 'legacy_auth_failures', 'legacy_errors', 'first_seen', 'last_seen', 'servers', 'endpoints', 'internal',
      'client', 'client_family', 'client_version', 'os', 'tls12_capable', 'tls12_basis', 'noise', 'hint', 'weak_crypto', 'details',
    ]);
  });
});

describe('weak_crypto view and blind spots', () => {
  it('shows TLS 1.2 clients with weak parts or suites Office 365 does not accept', () => {
    const w = readWeakCrypto(db);
    expect(w).not.toBeNull();
    const tls12 = w!.top.filter((r) => r.protocol === 'TLS 1.2');
    expect(tls12.map((r) => [r.clientIp, r.weakness, r.o365Suite])).toEqual([
      ['10.40.0.30', 'RSA key exchange (no forward secrecy)', 'no'],
      ['10.40.0.31', null, 'no'],
    ]);
    expect(w!.tls12NotO365).toEqual({ clients: 2, hits: 2 });
    expect(w!.byWeakness.find((b) => b.weakness === 'RC4 cipher, MD5 hash, RSA key exchange (no forward secrecy)')).toMatchObject({ clients: 1, hits: 1 });
    const modern = db.prepare(`SELECT count(*) FROM weak_crypto WHERE client_ip = '198.51.100.10'`).pluck().get();
    expect(modern).toBe(0); // ECDHE AES-256 SHA-384 on TLS 1.2: fine
  });

  it('finds the shared address, the back end and the missing HTTPERR logs', () => {
    const b = readBlindSpots(db, { minUsers: 4, minAgents: 10, limit: 10 });
    expect(b.sharedAddresses.map((s) => [s.clientIp, s.users])).toEqual([['192.0.2.50', 4]]);
    expect(b.backEnd).toEqual([{ server: 'EXCH01', hits: 1, legacyHits: 1 }]);
    expect(b.sitesWithoutCryptFields).toEqual([]);
    const ids = describeBlindSpots(b).map((f) => f.id);
    expect(ids).toEqual(['shared-address', 'back-end', 'failed-handshakes']);
    expect(describeBlindSpots(b).at(-1)!.text).toMatch(/No HTTPERR log was scanned/);
  });
});

describe('findings section of the text report', () => {
  it('prints weak crypto and blind spots within 100 columns', () => {
    const lines = formatFindingsText(readFindings(db));
    const text = lines.join('\n');
    expect(text).toContain('Weak cryptography');
    expect(text).toContain('1 client, 1 hits: RC4 cipher, MD5 hash, RSA key exchange (no forward secrecy)');
    expect(text).toContain('2 clients, 2 hits: TLS 1.2 with a suite Office 365 does not accept');
    expect(text).toContain('TLS 1.2 DHE AES-256 SHA-384: 10.40.0.31 curl 8.x (1 hits)');
    expect(text).toMatch(/Blind spots \(whole database\)\n {2}- Exchange Back End site/);
    expect(text).toContain('EXCH01: 1 hits, 1 legacy');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
    expect(formatFindingsText(null)).toEqual([]);
  });

  it('redacts addresses and user names', () => {
    const f = readFindings(db);
    const shared = findingsSection(f.weakCrypto, readBlindSpots(db, { minUsers: 4, minAgents: 10, limit: 10 }));
    const r = redactFindings(shared, (kind, v) => (v === null ? null : `${kind}-x`));
    const text = formatFindingsText(r).join('\n');
    expect(text).toContain('ip-x (iis): 4 users');
    expect(text).not.toMatch(/10\.40\.0\.3[01]|192\.0\.2\.50/);
  });
});
