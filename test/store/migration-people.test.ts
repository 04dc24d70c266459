// The legacy_people view (schema 7): one row per (source, username, client_ip), its user agents summed up; noise
// only when every agent of it is noise; legacy_clients keeps its per-agent rows.
import { describe, expect, it } from 'vitest';
import { classifyUserAgents } from '../../src/store/classify-clients.js';
import { openDatabase } from '../../src/store/open-database.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { buildDb } from '../report/report-db.js';

const OUTLOOK_2010 = 'Microsoft Office/14.0 (Windows NT 6.1; Microsoft Outlook 14.0.7268; Pro)';

const path = buildDb(
  [
    // One person at one address: Outlook 2010 and Outlook Anywhere, plus a modern browser on TLS 1.2.
    { client_ip: '10.30.2.42', username: 'CONTOSO\\thayes', user_agent: OUTLOOK_2010, protocol: 'TLS 1.0', protocol_code: '40', hits: 6, endpoint: 'EWS' },
    { day: '2024-03-12', client_ip: '10.30.2.42', username: 'CONTOSO\\thayes', user_agent: 'MSRPC', protocol: 'TLS 1.0', protocol_code: '40', hits: 5, endpoint: 'RPC', server: 'EXCH02' },
    { client_ip: '10.30.2.42', username: 'CONTOSO\\thayes', user_agent: 'MSRPC', protocol: 'TLS 1.1', protocol_code: '100', hits: 1, endpoint: 'RPC' },
    { client_ip: '10.30.2.42', username: 'CONTOSO\\thayes', protocol: 'TLS 1.2', hits: 9 },
    // The same user from another address is another device.
    { client_ip: '10.30.2.99', username: 'CONTOSO\\thayes', user_agent: OUTLOOK_2010, protocol: 'TLS 1.0', protocol_code: '40', hits: 2 },
    // A probe: noise on its only agent.
    { client_ip: '10.0.0.9', username: 'CONTOSO\\HealthMailbox01', user_agent: 'AMProbe/Local/ClientAccess', protocol: 'TLS 1.0', protocol_code: '40', hits: 4 },
    // Modern only: not a legacy person.
    { client_ip: '10.0.0.1', username: 'CONTOSO\\alice', protocol: 'TLS 1.2', hits: 3 },
  ],
  (db) => {
    classifyUserAgents(db);
  },
);

describe('legacy_people', () => {
  it('groups the agents of one (source, username, client_ip) into one row', () => {
    const db = openDatabase(path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const people = db.prepare(`SELECT * FROM legacy_people ORDER BY legacy_hits DESC, client_ip`).all();
      expect(people).toEqual([
        {
          source: 'iis', client_ip: '10.30.2.42', username: 'CONTOSO\\thayes', agents: 2, real_agents: 2,
          clients: expect.stringMatching(/^(Outlook 2010 on Windows 7,Outlook Anywhere \(RPC\/HTTP\)|Outlook Anywhere \(RPC\/HTTP\),Outlook 2010 on Windows 7)$/),
          noise: null, legacy_hits: 12, ssl2_hits: 0, ssl3_hits: 0, tls10_hits: 11, tls11_hits: 1, modern_hits: 9,
          first_seen: '2024-03-11T08:00:00Z', last_seen: '2024-03-12T17:00:00Z',
          servers: expect.stringMatching(/^(EXCH01,EXCH02|EXCH02,EXCH01)$/), endpoints: expect.any(String), internal: 0,
          account: 'thayes',
        },
        expect.objectContaining({ client_ip: '10.0.0.9', agents: 1, real_agents: 0, noise: 'managed-availability', legacy_hits: 4 }),
        expect.objectContaining({ client_ip: '10.30.2.99', username: 'CONTOSO\\thayes', agents: 1, legacy_hits: 2, modern_hits: 0 }),
      ]);
      // legacy_clients keeps one row per agent
      expect(db.prepare(`SELECT count(*) AS n FROM legacy_clients`).get()).toEqual({ n: 4 });
    } finally {
      db.close();
    }
  });
});
