// A database written by schema 1 (before client identification) upgrades in place: the clients table and the new
// legacy_clients columns appear, old user agents are classified on the next scan or report, and a classifier
// version change reclassifies what was stored by the older version.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLASSIFIER_VERSION } from '../../src/clients/identify.js';
import { classifyUserAgents, lastUserAgentId, refreshClients, unclassifiedUserAgents } from '../../src/store/classify-clients.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openDatabase } from '../../src/store/open-database.js';
import { fixture } from '../helpers.js';

function v1Database(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tls-census-v1-')), 'old.db');
  const db = new Database(path);
  db.exec(readFileSync(fixture('db/schema-1.sql'), 'utf8')); // as the release of schema 1 made it
  db.pragma('user_version = 1');
  const insert = db.prepare(
    `INSERT INTO usage (day, source, server, client_ip, username, user_agent, endpoint, protocol, cipher, hash, key_exchange, hits, auth_failures, errors, first_seen, last_seen)
     VALUES ('2024-03-11', 'iis', 'EXCH01', ?, ?, ?, 'OWA', ?, 'AES-256', 'SHA-1', 'RSA', ?, ?, 0, '2024-03-11T07:00:00Z', '2024-03-11T08:00:00Z')`,
  );
  insert.run('10.0.0.1', 'CONTOSO\\bob', 'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)', 'TLS 1.0', 5, 0);
  insert.run('10.0.0.2', null, 'Java/1.7.0_80', 'TLS 1.1', 3, 3);
  insert.run('10.0.0.3', 'CONTOSO\\eve', 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)', 'TLS 1.2', 9, 0);
  db.close();
  return path;
}

const legacy = (path: string) => {
  const db = openDatabase(path, { readonly: true });
  try {
    return db.prepare(`SELECT client_ip, client, tls12_capable, noise, hint FROM legacy_clients ORDER BY client_ip`).all();
  } finally {
    db.close();
  }
};

describe('upgrading a schema 1 database', () => {
  it('adds the table and columns; user agents wait for the next scan or report', () => {
    const path = v1Database();
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare(`SELECT count(*) FROM clients`).pluck().get()).toBe(0);
    expect(unclassifiedUserAgents(db)).toHaveLength(3);
    const before = db.prepare(`SELECT client, tls12_capable, noise FROM legacy_clients ORDER BY client_ip`).all();
    expect(before).toEqual([
      { client: '(not classified yet)', tls12_capable: 'unknown', noise: null },
      { client: '(not classified yet)', tls12_capable: 'unknown', noise: 'challenge-only' },
    ]);
    // a scan looks again only at the user agents its commits add: those above the highest id it classified
    const ids = db.prepare(`SELECT id FROM user_agents ORDER BY id`).pluck().all() as number[];
    expect(lastUserAgentId(db)).toBe(ids[2]);
    expect(classifyUserAgents(db, ids[1])).toBe(1);
    expect(unclassifiedUserAgents(db)).toHaveLength(2);
    expect(classifyUserAgents(db)).toBe(2);
    expect(classifyUserAgents(db)).toBe(0);
    db.close();
    expect(legacy(path)).toMatchObject([
      { client_ip: '10.0.0.1', client: 'IE 9 on Windows 7', tls12_capable: 'no', noise: null },
      { client_ip: '10.0.0.2', client: 'Java 7', tls12_capable: 'no', noise: 'challenge-only' },
    ]);
  });

  it('refreshClients (before a report) migrates and classifies; a missing or empty file is left alone', () => {
    const path = v1Database();
    expect(refreshClients(path)).toBe(true);
    expect(legacy(path)).toMatchObject([{ client: 'IE 9 on Windows 7' }, { client: 'Java 7' }]);
    expect(refreshClients(join(tmpdir(), 'tls-census-no-such.db'))).toBe(false);
  });

  it('reclassifies what an older classifier version stored', () => {
    const path = v1Database();
    const db = openDatabase(path);
    classifyUserAgents(db);
    db.prepare(`UPDATE clients SET client = 'stale', classifier = ? WHERE user_agent LIKE 'Java/%'`).run(CLASSIFIER_VERSION - 1);
    expect(unclassifiedUserAgents(db)).toEqual(['Java/1.7.0_80']);
    expect(classifyUserAgents(db)).toBe(1);
    expect(db.prepare(`SELECT client FROM clients WHERE user_agent LIKE 'Java/%'`).pluck().get()).toBe('Java 7');
    db.close();
  });
});
