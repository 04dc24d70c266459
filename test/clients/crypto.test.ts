// The SQL of the views agrees with the JS over every cipher, hash and key exchange name the decoder can produce,
// and the Office 365 suite table gives the expected verdicts for the suites that share logged values.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LOOKALIKE_TLS12_SUITES, O365_TLS12_SUITES, o365Match, o365Sql, weaknessOf, weaknessSql } from '../../src/clients/crypto.js';
import { CIPHER_ALGS, HASH_ALGS, KEY_EXCHANGE_ALGS } from '../../src/tls/tables.js';

const names = (t: Record<string, { name: string }>): (string | null)[] => [...new Set(Object.values(t).map((e) => e.name)), 'unknown', null];

describe('weak crypto and Office 365 suites: SQL twins of the JS', () => {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE t (protocol TEXT, cipher TEXT, hash TEXT, key_exchange TEXT)`);
  const insert = db.prepare(`INSERT INTO t VALUES (?, ?, ?, ?)`);
  const protocols = ['TLS 1.2', 'TLS 1.0', 'TLS 1.3'];
  db.transaction(() => {
    for (const p of protocols)
      for (const c of names(CIPHER_ALGS)) for (const h of names(HASH_ALGS)) for (const k of names(KEY_EXCHANGE_ALGS)) insert.run(p, c, h, k);
  })();
  const rows = db
    .prepare(`SELECT protocol, cipher, hash, key_exchange, ${weaknessSql()} AS weakness, ${o365Sql()} AS o365 FROM t`)
    .all() as { protocol: string; cipher: string | null; hash: string | null; key_exchange: string | null; weakness: string | null; o365: string | null }[];

  it('covers the cross product', () => {
    expect(rows.length).toBeGreaterThan(3 * 10 * 10 * 8);
  });

  it('weaknessSql = weaknessOf for every combination', () => {
    const bad = rows.filter((r) => r.weakness !== weaknessOf(r.cipher, r.hash, r.key_exchange));
    expect(bad).toEqual([]);
  });

  it('o365Sql = o365Match for every combination', () => {
    const bad = rows.filter((r) => r.o365 !== o365Match(r.protocol, r.cipher, r.hash, r.key_exchange));
    expect(bad).toEqual([]);
  });
});

describe('Office 365 TLS 1.2 suites', () => {
  it('every accepted suite matches, as yes or (for a look-alike) maybe', () => {
    for (const s of O365_TLS12_SUITES) {
      const expected = LOOKALIKE_TLS12_SUITES.some((l) => l.cipher === s.cipher && l.hash === s.hash && l.keyExchange === s.keyExchange) ? 'maybe' : 'yes';
      expect(o365Match('TLS 1.2', s.cipher, s.hash, s.keyExchange)).toBe(expected);
    }
  });

  it('suites outside the list do not match', () => {
    expect(o365Match('TLS 1.2', 'AES-256', 'SHA-1', 'RSA')).toBe('no'); // TLS_RSA_WITH_AES_256_CBC_SHA
    expect(o365Match('TLS 1.2', 'AES-256', 'SHA-384', 'DHE')).toBe('no');
    expect(o365Match('TLS 1.2', '3DES', 'SHA-1', 'RSA')).toBe('no');
    expect(o365Match('TLS 1.2', 'AES-128', 'SHA-256', 'RSA')).toBe('maybe'); // GCM accepted, CBC_SHA256 not
  });

  it('says nothing for other versions or missing parts', () => {
    expect(o365Match('TLS 1.0', 'AES-256', 'SHA-1', 'ECDHE')).toBeNull();
    expect(o365Match('TLS 1.2', null, 'SHA-1', 'ECDHE')).toBeNull();
    expect(o365Match('TLS 1.2', 'AES-256', 'unknown', 'ECDHE')).toBeNull();
  });
});
