// The verdict per machine: every source of a server (IIS sites, SMTP, POP3/IMAP4, HTTP.sys) in one answer, with the
// per-source rows beneath; own traffic blocks with the server-side fix named; blind spots make it unknown and say
// which; a yes over fewer than --min-days days says so. Rows are stored as a scan stores them.
import { describe, expect, it } from 'vitest';
import { resolveFilter } from '../../src/report/filter.js';
import { readSummary } from '../../src/report/summary.js';
import { toJson } from '../../src/report/json.js';
import { openDatabase } from '../../src/store/open-database.js';
import { buildDb, testIdentificationView, type UsageSpec } from './report-db.js';

function machines(rows: UsageSpec[], minDays?: number, realView = false) {
  const db = openDatabase(buildDb(rows, realView ? undefined : testIdentificationView), { readonly: true });
  try {
    return readSummary(db, { top: null, filter: resolveFilter(db, {}), minDays });
  } finally {
    db.close();
  }
}

const days = (n: number, spec: UsageSpec): UsageSpec[] =>
  Array.from({ length: n }, (_, i) => ({ ...spec, day: `2024-03-${String(i + 1).padStart(2, '0')}` }));

describe('machine verdicts', () => {
  it('join every source of one server, case-insensitively, with the per-source rows as evidence', () => {
    const s = machines([
      ...days(14, { server: 'EXCH01', hits: 100 }),
      { server: 'EXCH01', site: 'W3SVC2', hits: 40, internal: 1 },
      { server: 'exch01', source: 'smtp-receive', site: null, endpoint: 'SMTP', user_agent: null, protocol: 'TLS 1.2', hits: 9 },
      { server: 'EXCH01', source: 'httperr', site: 'W3SVC1', protocol: 'unknown', protocol_code: null, user_agent: null, hits: 5, errors: 5 },
    ]);
    expect(s.machines).toHaveLength(1);
    const m = s.machines[0];
    expect(m).toMatchObject({ verdict: 'yes', days: 14, shortWindow: false, blockers: [], unknowns: [], headline: 'yes, over 14 days' });
    expect(m.sources.map((v) => [v.source, v.site, v.verdict])).toEqual([
      ['httperr', 'W3SVC1', 'yes'], // IIS logs with TLS versions cover this server: HTTP.sys drops are not a blind spot
      ['iis', 'W3SVC1', 'yes'],
      ['iis', 'W3SVC2', 'yes'],
      ['smtp-receive', null, 'yes'],
    ]);
  });

  it('is no when one source of the machine has a real legacy client, whatever the others say', () => {
    const s = machines([
      ...days(14, { server: 'EXCH01', hits: 100 }),
      { server: 'EXCH01', source: 'smtp-receive', site: null, client_ip: '192.0.2.7', username: null, user_agent: 'mfp.contoso.com', protocol: 'TLS 1.0', hits: 3 },
      { server: 'EXCH02', hits: 5 },
    ]);
    const [exch01, exch02] = s.machines;
    expect(exch01).toMatchObject({ server: 'EXCH01', verdict: 'no', headline: 'no: 1 person or device still on TLS 1.0/1.1' });
    expect(exch01.blockers).toMatchObject([{ kind: 'clients', source: 'smtp-receive', clients: 1, hits: 3 }]);
    expect(exch02).toMatchObject({ server: 'EXCH02', verdict: 'yes', days: 1, shortWindow: true, headline: 'yes, but only 1 days observed (fewer than 14)' });
  });

  it('makes Managed Availability probes, server-to-server and loopback traffic a blocker of their own with the fix named', () => {
    const s = machines([
      ...days(14, { server: 'EXCH01', hits: 100 }),
      { server: 'EXCH01', client_ip: '10.0.0.9', username: 'HealthMailbox0123abcd', user_agent: 'AMProbe/Local/ClientAccess', protocol: 'TLS 1.0', hits: 4 },
      { server: 'EXCH02', site: 'W3SVC2', client_ip: '10.0.0.12', user_agent: 'Outlook', protocol: 'TLS 1.0', internal: 1, hits: 6 },
      { server: 'EXCH03', client_ip: '::1', user_agent: 'PowerShell', protocol: 'TLS 1.1', hits: 2 },
    ]);
    for (const m of s.machines) {
      expect(m.verdict, m.server ?? '').toBe('no');
      expect(m.blockers.map((b) => b.kind)).toEqual(['server-own']);
      expect(m.blockers[0].text).toMatch(/SystemDefaultTlsVersions.*SchUseStrongCrypto.*Schannel Client/);
      expect(m.headline).toBe("no: the server's own components on TLS 1.0/1.1");
    }
    // Still listed as noise in the client list, but not counted as noise in the verdict
    expect(s.noise.map((g) => g.noise)).toEqual(['managed-availability']);
    expect(s.verdicts.find((v) => v.server === 'EXCH01')).toMatchObject({ noiseHits: 0, ownHits: 4, ownClients: 1 });
  });

  it('keeps scanners and challenge-only clients as noise: an internet-facing server with only those is yes', () => {
    const s = machines([
      ...days(20, { server: 'EXCH01', hits: 100 }),
      { server: 'EXCH01', client_ip: '203.0.113.9', username: null, user_agent: null, protocol: 'TLS 1.0', hits: 8, errors: 8 },
      { server: 'EXCH01', client_ip: '198.51.100.4', username: 'jdoe', user_agent: 'Old Phone', protocol: 'TLS 1.0', hits: 5, auth_failures: 5 },
    ], undefined, true); // the real legacy_clients view: noise from the counts
    expect(s.machines[0]).toMatchObject({ verdict: 'yes', days: 20, blockers: [] });
    expect(s.verdicts[0]).toMatchObject({ noiseHits: 13, noiseClasses: ['challenge-only', 'scanner'] });
  });

  it('is unknown when a source cannot tell the version, and says which; a blocker still wins', () => {
    const blind = machines([
      ...days(14, { server: 'EXCH01', hits: 100 }),
      { server: 'EXCH01', site: 'W3SVC2', protocol: 'unknown', protocol_code: null, hits: 30 },
      { server: 'EXCH01', source: 'pop3', site: null, endpoint: 'POP3', user_agent: null, protocol: 'unknown', protocol_code: null, hits: 4 },
      { server: 'EXCH02', source: 'httperr', site: 'W3SVC1', protocol: 'unknown', protocol_code: null, user_agent: null, hits: 7, errors: 7 },
    ]);
    const [exch01, exch02] = blind.machines;
    expect(exch01.verdict).toBe('unknown');
    expect(exch01.unknowns.map((u) => [u.reason, u.source, u.site, u.hits])).toEqual([
      ['no-tls-fields', 'iis', 'W3SVC2', 30],
      ['no-mail-versions', 'pop3', null, 4],
    ]);
    expect(exch01.headline).toBe('unknown: iis W3SVC2, pop3 cannot tell the TLS version');
    expect(exch01.unknowns[1].text).toContain('POP3/IMAP4 sessions whose logs carry no TLS version');
    // Only HTTP.sys drops for EXCH02: nothing shows which TLS versions its clients use
    expect(exch02).toMatchObject({ verdict: 'unknown', unknowns: [{ reason: 'httperr-only', source: 'httperr' }] });
    const blocked = machines([
      { server: 'EXCH01', protocol: 'unknown', protocol_code: null, hits: 30 },
      { server: 'EXCH01', site: 'W3SVC2', user_agent: 'Legacy App', protocol: 'TLS 1.0', hits: 1 },
    ]);
    expect(blocked.machines[0]).toMatchObject({ verdict: 'no' });
    expect(blocked.machines[0].unknowns).toHaveLength(1);
  });

  it('takes --min-days and writes servers[] in the documented JSON shape', () => {
    const s = machines(days(3, { server: 'EXCH01', hits: 10 }), 2);
    expect(s.machines[0]).toMatchObject({ verdict: 'yes', days: 3, minDays: 2, shortWindow: false });
    const json = toJson(s, { db: 'x.db', color: false });
    expect(Object.keys(json.servers[0]).slice(0, 2)).toEqual(['server', 'safeToDisable']);
    expect(json.servers[0]).toMatchObject({ server: 'EXCH01', safeToDisable: 'yes', days: 3, blockers: [], unknowns: [] });
    expect(json.servers[0].sources[0]).toMatchObject({ source: 'iis', site: 'W3SVC1', safeToDisable: 'yes' });
  });
});
