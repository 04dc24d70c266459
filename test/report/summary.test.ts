// The report data of a window: legacy clients in order, --top, every filter in SQL with bound values, the
// identification columns and noise groups, and the per-site verdicts with their evidence.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KnownException } from '../../src/exceptions/exceptions.js';
import { NO_FILTER, resolveFilter, usageCondition, type FilterSpec } from '../../src/report/filter.js';
import { readSummary } from '../../src/report/summary.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { fixture } from '../helpers.js';
import { buildDb, testIdentificationView, type UsageSpec } from './report-db.js';

const ROWS: UsageSpec[] = [
  // EXCH01: a TLS 1.0 client on two days, a TLS 1.1 one on the second day, plenty of TLS 1.2.
  { day: '2024-03-10', client_ip: '10.0.0.5', username: 'CONTOSO\\bob', user_agent: 'Legacy App/1.0', protocol: 'TLS 1.0', protocol_code: '40', hits: 7 },
  { day: '2024-03-12', client_ip: '10.0.0.5', username: 'CONTOSO\\bob', user_agent: 'Legacy App/1.0', protocol: 'TLS 1.0', protocol_code: '40', hits: 3 },
  { day: '2024-03-12', client_ip: '10.0.0.6', username: 'CONTOSO\\carol', user_agent: 'Old Phone', protocol: 'TLS 1.1', protocol_code: '100', hits: 2, endpoint: 'ActiveSync' },
  { day: '2024-03-12', client_ip: '10.0.0.6', username: 'CONTOSO\\carol', user_agent: 'Old Phone', protocol: 'TLS 1.2', hits: 5 },
  { day: '2024-03-10', hits: 100 },
  { day: '2024-03-12', hits: 50 },
  // EXCH02: only a probe on TLS 1.0 (noise under the test view) and TLS 1.2 traffic.
  { day: '2024-03-11', server: 'EXCH02', client_ip: '10.0.0.9', username: 'HealthMailbox01', user_agent: 'AMProbe/Local', protocol: 'TLS 1.0', protocol_code: '40', hits: 4 },
  { day: '2024-03-11', server: 'EXCH02', hits: 30 },
  // EXCH03: logs without TLS fields (protocol unknown, no code).
  { day: '2024-03-11', server: 'EXCH03', protocol: 'unknown', protocol_code: null, hits: 9 },
  // Another source on EXCH01.
  { day: '2024-03-11', source: 'smtp', site: null, client_ip: '192.0.2.7', username: null, user_agent: 'mail.example', protocol: 'TLS 1.0', protocol_code: null, hits: 11, endpoint: 'SMTP' },
];

/** The Core's legacy_clients (schema 1, as released), without identification columns. */
const LEGACY_CLIENTS_V1 = /CREATE VIEW legacy_clients AS[^;]*;/.exec(readFileSync(fixture('db/schema-1.sql'), 'utf8'))![0];
const coreView = (db: Db): void => {
  db.exec(`DROP VIEW legacy_clients; ${LEGACY_CLIENTS_V1}`);
};

function summary(spec: FilterSpec, top: number | null = null, view: 'test' | 'core' = 'test', exceptions: KnownException[] = []) {
  const db = openDatabase(buildDb(ROWS, view === 'test' ? testIdentificationView : coreView), { readonly: true });
  try {
    return readSummary(db, { top, filter: resolveFilter(db, spec), exceptions });
  } finally {
    db.close();
  }
}

describe('readSummary', () => {
  it('lists real legacy clients by hits, then noise, with the identification columns', () => {
    const s = summary({});
    expect(s.legacy.map((c) => [c.clientIp, c.legacyHits, c.noise])).toEqual([
      ['192.0.2.7', 11, null],
      ['10.0.0.5', 10, null],
      ['10.0.0.6', 2, null],
      ['10.0.0.9', 4, 'managed-availability'],
    ]);
    const bob = s.legacy[1];
    expect(bob).toMatchObject({ client: 'Legacy App', tls12Capable: 'no', hint: 'replace the app', tls10Hits: 10, servers: ['EXCH01'] });
    expect(s.legacy[2]).toMatchObject({ tls11Hits: 2, modernHits: 5, endpoints: ['ActiveSync'] });
    expect(s.legacyClients).toBe(4);
    expect(s.legacyHits).toBe(27);
    expect(s.noise).toEqual([{ noise: 'managed-availability', clients: 1, hits: 4, addresses: ['10.0.0.9'] }]);
  });

  it('cuts the list to --top in SQL but keeps the totals of the window', () => {
    const s = summary({}, 2);
    expect(s.legacy.map((c) => c.clientIp)).toEqual(['192.0.2.7', '10.0.0.5']);
    expect(s.legacyClients).toBe(4);
    expect(s.legacyHits).toBe(27);
  });

  it('filters by day, server and source', () => {
    const since = summary({ since: '2024-03-11' });
    expect(since.legacy.find((c) => c.clientIp === '10.0.0.5')?.legacyHits).toBe(3);
    expect(since.firstDay).toBe('2024-03-11');
    const until = summary({ until: '2024-03-10' });
    expect(until.legacy.map((c) => c.clientIp)).toEqual(['10.0.0.5']);
    expect(until.totals.reduce((n, t) => n + t.hits, 0)).toBe(107);
    const server = summary({ servers: ['exch02'] });
    expect(server.legacy.map((c) => c.clientIp)).toEqual(['10.0.0.9']);
    expect(server.verdicts.map((v) => v.server)).toEqual(['EXCH02']);
    const source = summary({ sources: ['SMTP'] });
    expect(source.legacy.map((c) => c.clientIp)).toEqual(['192.0.2.7']);
    expect(source.totals).toEqual([{ source: 'smtp', protocol: 'TLS 1.0', hits: 11, clients: 1, share: 1 }]);
  });

  it('counts --days back from the newest day stored, not from today', () => {
    const s = summary({ days: 1 });
    expect(s.filter).toMatchObject({ since: '2024-03-12', until: '2024-03-12', days: 1 });
    expect(s.legacy.map((c) => [c.clientIp, c.legacyHits])).toEqual([['10.0.0.5', 3], ['10.0.0.6', 2]]);
    expect(summary({ days: 2 }).filter).toMatchObject({ since: '2024-03-11', until: '2024-03-12' });
  });

  it('treats hostile filter values as values: no SQL is built from them', () => {
    const hostile = ["x' OR '1'='1", 'EXCH01") OR 1=1 --', '%'];
    const s = summary({ servers: hostile });
    expect(s.legacy).toEqual([]);
    expect(s.totals).toEqual([]);
    const c = usageCondition({ ...NO_FILTER, servers: hostile.map((h) => h.toLowerCase()), since: "2024' --" });
    for (const h of hostile) expect(c.sql).not.toContain(h);
    expect(c.sql).toBe('day >= ? AND lower(server) IN (?, ?, ?)');
    expect(c.params).toEqual(["2024' --", ...hostile.map((h) => h.toLowerCase())]);
  });

  it('says per site whether TLS 1.0/1.1 can go, noise and logs without TLS fields considered', () => {
    const byServer = Object.fromEntries(summary({}).verdicts.filter((v) => v.source === 'iis').map((v) => [v.server, v]));
    expect(byServer.EXCH01).toMatchObject({ verdict: 'no', legacyHits: 12, noiseHits: 0, realLegacyClients: 2 });
    expect(byServer.EXCH01.evidence).toBe('12 legacy hits from 2 people or devices (2 clients) in 167 hits, 2024-03-10 to 2024-03-12');
    // A Managed Availability probe on TLS 1.0 is the server's own traffic: it blocks, apart from real clients
    expect(byServer.EXCH02).toMatchObject({ verdict: 'no', legacyHits: 4, noiseHits: 0, noiseClasses: [], ownHits: 4, realLegacyClients: 0 });
    expect(byServer.EXCH02.evidence).toBe("4 legacy hits from the server's own components (1 client: probes, server-to-server) in 34 hits, 2024-03-11");
    expect(byServer.EXCH03).toMatchObject({ verdict: 'unknown', noTlsFieldHits: 9, unknownReason: 'no-tls-fields' });
    // A window that leaves the legacy days out turns EXCH01 green.
    const later = summary({ since: '2024-03-13' });
    expect(later.verdicts).toEqual([]);
    const first = summary({ since: '2024-03-11', until: '2024-03-11', servers: ['EXCH01'], sources: ['iis'] });
    expect(first.verdicts).toEqual([]);
  });

  it('reads the breakdowns by day and endpoint', () => {
    const s = summary({ servers: ['EXCH01'], sources: ['iis'] });
    expect(s.daily.map((d) => [d.day, d.hits])).toEqual([
      ['2024-03-10', { 'TLS 1.0': 7, 'TLS 1.2': 100 }],
      ['2024-03-12', { 'TLS 1.0': 3, 'TLS 1.1': 2, 'TLS 1.2': 55 }],
    ]);
    expect(s.daily[0].legacyShare).toBeCloseTo(7 / 107);
    expect(s.endpoints[0]).toEqual({
      source: 'iis', endpoint: 'OWA', hits: 165, legacyHits: 10, legacyClients: 1, protocols: { 'TLS 1.0': 10, 'TLS 1.2': 155 },
    });
  });

  it('lists every client, unidentified, on a database without identification columns', () => {
    const s = summary({}, null, 'core');
    expect(s.legacy.map((c) => [c.clientIp, c.legacyHits])).toEqual([
      ['192.0.2.7', 11], ['10.0.0.5', 10], ['10.0.0.9', 4], ['10.0.0.6', 2],
    ]);
    for (const c of s.legacy) expect([c.client, c.tls12Capable, c.noise, c.hint]).toEqual([null, null, null, null]);
    expect(s.noise).toEqual([]);
    expect(s.verdicts.find((v) => v.server === 'EXCH02')?.verdict).toBe('no');
  });

  it('marks clients under known exceptions and keeps them out of the verdicts', () => {
    const exception = (match: KnownException['match'], value: string, reason: string): KnownException => ({
      id: null, match, value, reason, expires: '2099-12-31', origin: 'test',
    });
    const bob = exception('user', 'CONTOSO\\bob', 'ERP box, replaced in May');
    const one = summary({}, null, 'test', [bob]);
    expect(one.legacy.find((c) => c.username === 'CONTOSO\\bob')?.exception).toEqual({
      match: 'user', value: 'CONTOSO\\bob', reason: 'ERP box, replaced in May', expires: '2099-12-31',
    });
    expect(one.legacy.find((c) => c.username === 'CONTOSO\\carol')?.exception).toBeNull();
    expect(one.excepted).toEqual({ clients: 1, hits: 10 });
    const exch01 = one.verdicts.find((v) => v.server === 'EXCH01' && v.source === 'iis');
    expect(exch01).toMatchObject({ verdict: 'no', exceptedHits: 10, exceptedClients: 1, realLegacyClients: 1 });
    expect(exch01?.evidence).toBe('2 legacy hits from 1 person or device (1 client) in 167 hits, 2024-03-10 to 2024-03-12; 10 from 1 clients under known exceptions');
    const both = summary({}, null, 'test', [bob, exception('agent', 'Old Phone', 'CEO phone')]);
    expect(both.verdicts.find((v) => v.server === 'EXCH01' && v.source === 'iis')?.verdict).toBe('yes');
    // A probe is the server's own traffic: an exception on the probe's address changes nothing.
    const probe = summary({}, null, 'test', [exception('ip', '10.0.0.9', 'probe')]);
    expect(probe.excepted).toEqual({ clients: 0, hits: 0 });
    expect(probe.verdicts.find((v) => v.server === 'EXCH02')).toMatchObject({ verdict: 'no', ownHits: 4, exceptedHits: 0 });
  });
});

describe('people and devices', () => {
  // One person at one address with two clients (an Outlook and its Outlook Anywhere connection), the same user at
  // another address (another device), and a probe (noise: not a person).
  const PEOPLE: UsageSpec[] = [
    { client_ip: '10.30.2.42', username: 'CONTOSO\\thayes', user_agent: 'Legacy Outlook', protocol: 'TLS 1.0', protocol_code: '40', hits: 6, endpoint: 'EWS' },
    { client_ip: '10.30.2.42', username: 'CONTOSO\\thayes', user_agent: 'MSRPC', protocol: 'TLS 1.0', protocol_code: '40', hits: 5, endpoint: 'RPC', server: 'EXCH02' },
    { client_ip: '10.30.2.42', username: 'CONTOSO\\thayes', user_agent: 'MSRPC', protocol: 'TLS 1.1', protocol_code: '100', hits: 1, endpoint: 'RPC' },
    { client_ip: '10.30.2.99', username: 'CONTOSO\\thayes', user_agent: 'Legacy Outlook', protocol: 'TLS 1.0', protocol_code: '40', hits: 7 },
    { client_ip: '10.0.0.9', username: 'HealthMailbox01', user_agent: 'AMProbe/Local', protocol: 'TLS 1.0', protocol_code: '40', hits: 4 },
    { hits: 50 },
  ];
  const read = (top: number | null) => {
    const db = openDatabase(buildDb(PEOPLE, testIdentificationView), { readonly: true });
    try {
      return readSummary(db, { top, filter: resolveFilter(db, {}) });
    } finally {
      db.close();
    }
  };

  it('groups the real clients of one (user, address) and counts people in the verdicts', () => {
    const s = read(null);
    expect(s.legacyClients).toBe(4);
    expect(s.legacyPeople).toBe(2);
    expect(s.people.map((p) => [p.clientIp, p.legacyHits, p.tls10Hits, p.tls11Hits, p.agents.map((c) => c.userAgent)])).toEqual([
      ['10.30.2.42', 12, 11, 1, ['Legacy Outlook', 'MSRPC']],
      ['10.30.2.99', 7, 7, 0, ['Legacy Outlook']],
    ]);
    expect(s.people[0]).toMatchObject({ servers: ['EXCH01', 'EXCH02'], endpoints: ['EWS', 'RPC'], username: 'CONTOSO\\thayes' });
    const exch01 = s.verdicts.find((v) => v.server === 'EXCH01');
    expect(exch01).toMatchObject({ verdict: 'no', realLegacyClients: 3, realLegacyPeople: 2 });
    expect(s.verdicts.find((v) => v.server === 'EXCH02')).toMatchObject({ realLegacyClients: 1, realLegacyPeople: 1 });
  });

  it('counts legacy people/devices and hits per day, noise aside', () => {
    expect(read(null).daily.map((d) => [d.day, d.legacyPeople, d.legacyHits, d.realLegacyHits])).toEqual([['2024-03-11', 2, 23, 19]]);
    const s = summary({});
    expect(s.daily.map((d) => [d.day, d.legacyPeople, d.realLegacyHits, d.legacyHits])).toEqual([
      ['2024-03-10', 1, 7, 7],
      ['2024-03-11', 1, 11, 15], // the smtp client; the probe is noise
      ['2024-03-12', 2, 5, 5],
    ]);
  });

  it('cuts the list to --top people, whatever their number of clients', () => {
    const s = read(1);
    expect(s.people).toHaveLength(1);
    expect(s.people[0].agents).toHaveLength(2);
    expect(s.legacyPeople).toBe(2);
    expect(s.legacy).toHaveLength(1);
  });
});
