// `tls-census export` end to end: scan the samples, export them, and check every line against the database.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tls-census.js');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Doc {
  '@timestamp': string;
  tls?: { version?: string; version_protocol?: string };
  server?: { address: string };
  tls_census: { row_id: string; hits: number; protocol: string; day: string };
}

const lines = (text: string): unknown[] => {
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as unknown);
};

describe('tls-census export', () => {
  let dir: string;
  let db: string;
  let usage: { rows: number; hits: number; legacy: number };

  beforeAll(() => {
    dir = tempDir();
    db = join(dir, 'samples.db');
    const scan = cli(['scan', 'samples', '--db', db, '--quiet']);
    expect(scan.code).toBe(0);
    const sql = new Database(db, { readonly: true });
    usage = sql
      .prepare<[], { rows: number; hits: number; legacy: number }>(
        `SELECT count(*) AS rows, sum(hits) AS hits,
                sum(CASE WHEN protocol IN ('SSL 3.0','TLS 1.0','TLS 1.1') THEN hits ELSE 0 END) AS legacy FROM usage`,
      )
      .get()!;
    sql.close();
    expect(usage.rows).toBeGreaterThan(100);
  });

  it('writes one ECS document per usage row, whose hits add up to the database', () => {
    const r = cli(['export', '--db', db, '--format', 'ecs-ndjson']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const docs = lines(r.out) as Doc[];
    expect(docs).toHaveLength(usage.rows);
    expect(docs.reduce((s, d) => s + d.tls_census.hits, 0)).toBe(usage.hits);
    const legacy = docs.filter((d) => ['3.0', '1.0', '1.1'].includes(d.tls?.version ?? ''));
    expect(legacy.reduce((s, d) => s + d.tls_census.hits, 0)).toBe(usage.legacy);
    expect(new Set(docs.map((d) => d.tls_census.row_id)).size).toBe(usage.rows);
    expect(docs.every((d) => d['@timestamp'].startsWith(d.tls_census.day))).toBe(true);
  });

  it('alternates _bulk action lines and documents with --bulk, ids equal to row_id', () => {
    const r = cli(['export', '--db', db, '--format', 'ecs-ndjson', '--bulk', '--index', 'census-test']);
    expect(r.code).toBe(0);
    const all = lines(r.out);
    expect(all).toHaveLength(2 * usage.rows);
    for (let i = 0; i < all.length; i += 2) {
      const action = all[i] as { index: { _index: string; _id: string } };
      const doc = all[i + 1] as Doc;
      expect(Object.keys(action)).toEqual(['index']);
      expect(action.index._index).toBe('census-test');
      expect(action.index._id).toBe(doc.tls_census.row_id);
    }
  });

  it('writes the same bytes to --out as to stdout, and says how much it wrote', () => {
    const out = join(dir, 'export.ndjson');
    const r = cli(['export', '--db', db, '--format', 'ecs-ndjson', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^Exported ${usage.rows.toLocaleString('en-US')} documents`));
    expect(readFileSync(out, 'utf8')).toBe(cli(['export', '--db', db, '--format', 'ecs-ndjson']).out);
  });

  it('exports only the window and servers asked for', () => {
    const all = lines(cli(['export', '--db', db, '--format', 'ecs-ndjson']).out) as Doc[];
    const days = [...new Set(all.map((d) => d.tls_census.day))].sort();
    expect(days.length).toBeGreaterThan(1);
    const r = cli(['export', '--db', db, '--format', 'ecs-ndjson', '--since', days[1]]);
    expect(r.code).toBe(0);
    const some = lines(r.out) as Doc[];
    expect(some.length).toBe(all.filter((d) => d.tls_census.day >= days[1]).length);
    expect(some.length).toBeLessThan(all.length);
    const one = lines(cli(['export', '--db', db, '--format', 'ecs-ndjson', '--server', 'exch02']).out) as Doc[];
    expect(one.length).toBe(all.filter((d) => d.server?.address === 'EXCH02').length);
    expect(one.length).toBeGreaterThan(0);
    expect(one.every((d) => d.server?.address === 'EXCH02')).toBe(true);
  });

  it('prints an index mapping that types client.ip as ip', () => {
    const r = cli(['export', '--format', 'ecs-ndjson', '--mapping']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.out) as { mappings: { properties: { client: { properties: { ip: unknown } } } } };
    expect(body.mappings.properties.client.properties.ip).toEqual({ type: 'ip' });
  });

  it('exits 2 with one line for a bad --format, --index without --bulk, a bad index or --out', () => {
    const fail = (args: string[], pattern: RegExp) => {
      const r = cli(['export', '--db', db, ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(pattern);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out).toBe('');
    };
    fail(['--format', 'csv'], /Invalid option --format: expect ecs-ndjson, got "csv"/);
    fail(['--format', 'ecs-ndjson', '--index', 'x'], /Invalid option --index: expect --bulk with it/);
    fail(['--format', 'ecs-ndjson', '--bulk', '--index', 'Upper Case'], /Invalid option --index/);
    const missing = join(dir, 'no', 'such', 'x.ndjson');
    fail(['--format', 'ecs-ndjson', '--out', missing], /cannot write --out .*x\.ndjson/);
    expect(existsSync(missing)).toBe(false);
  });
});
