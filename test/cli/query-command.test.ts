// `tls-census query`: read-only SQL as table, CSV or JSON; statements that would write fail with one line, exit 2.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open-database.js';
import { buildDb } from '../report/report-db.js';
import { runCli } from './run-cli.js';

const db = buildDb([
  { client_ip: '10.0.0.1', user_agent: '=cmd|calc', protocol: 'TLS 1.0', hits: 3 },
  { client_ip: '10.0.0.2', user_agent: 'Mozilla/5.0', protocol: 'TLS 1.2', hits: 5 },
]);

const hits = (): number => {
  const d = openDatabase(db, { readonly: true });
  try {
    return (d.prepare('SELECT sum(hits) AS n FROM usage').get() as { n: number }).n;
  } finally {
    d.close();
  }
};

describe('tls-census query', () => {
  it('prints a table with a row count', async () => {
    const r = await runCli(['query', '--db', db, 'SELECT client_ip, protocol, hits FROM usage ORDER BY hits']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toBe(
      ['client_ip  protocol  hits', '---------  --------  ----', '10.0.0.1   TLS 1.0      3', '10.0.0.2   TLS 1.2      5', '(2 rows)', ''].join('\n'),
    );
  });

  it('prints CSV with formula cells neutralized, and JSON', async () => {
    const csv = await runCli(['query', '--db', db, '--format', 'csv', 'SELECT client_ip, user_agent, hits FROM usage ORDER BY hits']);
    expect(parse(csv.out)).toEqual([['client_ip', 'user_agent', 'hits'], ['10.0.0.1', "'=cmd|calc", '3'], ['10.0.0.2', 'Mozilla/5.0', '5']]);
    // Same-named columns keep every value in JSON.
    const json = await runCli(['query', '--db', db, '--format', 'json', 'SELECT u.client_ip AS ip, u.hits, l.client_ip AS ip FROM usage u JOIN legacy_clients l USING (client_ip)']);
    expect(JSON.parse(json.out)).toEqual([{ ip: '10.0.0.1', hits: 3, 'ip:2': '10.0.0.1' }]);
  });

  it.each([
    'INSERT INTO usage_rows (day, key_id, hits, first_seen, last_seen) VALUES (1, 2, 3, 4, 5)',
    'UPDATE usage_rows SET hits = 0',
    'DELETE FROM usage_rows',
    'DROP TABLE usage_rows',
    'DROP VIEW usage',
    'DELETE FROM strings',
    // usage is a view (schema 6): SQLite refuses to prepare these at all
    'INSERT INTO usage (day, source, protocol, hits, first_seen, last_seen) VALUES (1, 2, 3, 4, 5, 6)',
    'UPDATE usage SET hits = 0',
    'DELETE FROM usage',
    'CREATE TABLE x (a)',
    'PRAGMA user_version = 99',
    'VACUUM',
    "ATTACH DATABASE 'x.db' AS x",
  ])('refuses a statement that would write: %s', async (sql) => {
    const r = await runCli(['query', '--db', db, sql]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toMatch(
      /^tls-census: query: (the database is opened read-only|unable to open database|cannot modify usage because it is a view)/,
    );
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(hits()).toBe(8);
  });

  it('says what is wrong with bad SQL, several statements or a missing parameter, exit 2', async () => {
    const param = await runCli(['query', '--db', db, 'SELECT * FROM usage WHERE protocol = ?']);
    expect(param.code).toBe(2);
    expect(param.err).toMatch(/^tls-census: query: /);
    const bad = await runCli(['query', '--db', db, 'SELEC 1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^tls-census: query: near "SELEC": syntax error/);
    const two = await runCli(['query', '--db', db, 'SELECT 1; SELECT 2']);
    expect(two.code).toBe(2);
    expect(two.err).toMatch(/more than one statement/);
  });
});
