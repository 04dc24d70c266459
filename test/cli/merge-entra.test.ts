// `merge` of Entra ID sign-ins: two databases that read overlapping exports of one tenant merge into a central one
// that counts each sign-in once, as one scan of every export would; merging again, and scanning the exports into the
// central database afterwards, add nothing; a renamed tenant still merges by its sign-ins. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tls-census.js');
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

function query(db: string, sql: string): unknown[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all();
  } finally {
    d.close();
  }
}

const usage = (db: string) => query(db, `SELECT day, server, client_ip, username, user_agent, endpoint, protocol, detail, hits,
  auth_failures, first_seen, last_seen FROM usage ORDER BY day, server, client_ip, username, user_agent, endpoint, protocol, detail`);

/** The composed exports of one tenant, split in two overlapping sets (each holds the portal array and page 1). */
function exports(dir: string): { a: string; b: string; all: string } {
  const all = join(dir, 'all');
  cpSync(fixture('entra/main'), all, { recursive: true });
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  mkdirSync(a);
  mkdirSync(b);
  // page 2 and the CSV hold one sign-in with two different times (composed): kept in one set, read in one order
  for (const f of ['signins-page-1.json', 'signins-page-2.json', 'InteractiveSignIns_2026-11-04_2026-11-10.json', 'query_data.csv']) {
    cpSync(join(all, f), join(a, f));
  }
  for (const f of ['signins-page-1.json', 'InteractiveSignIns_2026-11-04_2026-11-10.json', 'signins.ndjson', 'la-query-results.json']) {
    cpSync(join(all, f), join(b, f));
  }
  return { a, b, all };
}

describe('merge of Entra ID sign-ins', () => {
  it('counts each sign-in once across databases that read overlapping exports; again adds nothing', () => {
    const dir = tempDir();
    const { a, b, all } = exports(dir);
    const [s1, s2, central, together] = ['s1', 's2', 'central', 'together'].map((n) => join(dir, `${n}.db`));
    for (const [src, db] of [[a, s1], [b, s2], [all, together]]) {
      expect(cli(['scan', src, '--db', db, '--tenant', 'contoso', '--quiet']).code).toBe(0);
    }
    const merged = cli(['merge', '--db', central, s1, s2]);
    expect(merged.code).toBe(0);
    expect(merged.err).toBe(''); // no "counted twice" warning: the same exports in both count once
    expect(usage(central)).toEqual(usage(together));
    expect(query(central, `SELECT sum(hits) AS n FROM usage`)).toEqual([{ n: 11 }]);
    expect(query(central, `SELECT count(*) AS n FROM entra_signins`)).toEqual([{ n: 11 }]);

    expect(cli(['merge', '--db', central, s2, s1]).out).toMatch(/s2\.db .*: nothing new; read the \d+ days? written since the last merge\n.*s1\.db .*: nothing new; read/);
    // the central database scanning the exports itself: every sign-in is already counted
    expect(cli(['scan', all, '--db', central, '--quiet']).code).toBe(0);
    expect(usage(central)).toEqual(usage(together));

    // the merged database merged on: the ids travel with it
    const region = join(dir, 'region.db');
    expect(cli(['merge', '--db', region, central]).code).toBe(0);
    expect(usage(region)).toEqual(usage(together));

    // a database merged before, then given the other exports: its merge reads the days its scans wrote since and
    // adds their new sign-ins, each once
    const solo = join(dir, 'solo.db');
    expect(cli(['merge', '--db', solo, s1]).code).toBe(0);
    expect(query(solo, `SELECT sum(hits) AS n FROM usage`)).not.toEqual([{ n: 11 }]);
    expect(cli(['scan', b, '--db', s1, '--tenant', 'contoso', '--quiet']).code).toBe(0);
    expect(cli(['merge', '--db', solo, s1]).out).toMatch(/rows changed, [1-9]\d* hits added; read the [1-9]\d* days? written since/);
    expect(usage(solo)).toEqual(usage(together));
    expect(query(solo, `SELECT count(*) AS n FROM entra_signins`)).toEqual([{ n: 11 }]);
  });

  it('a tenant renamed in its own database merges under the new name, each sign-in once', () => {
    const dir = tempDir();
    const { a, b, all } = exports(dir);
    const [s1, s2, central, together] = ['s1', 's2', 'central', 'together'].map((n) => join(dir, `${n}.db`));
    expect(cli(['scan', a, '--db', s1, '--tenant', 'old-name', '--quiet']).code).toBe(0);
    expect(cli(['rename-server', 'old-name', 'contoso', '--db', s1, '--quiet']).code).toBe(0);
    expect(cli(['scan', b, '--db', s2, '--tenant', 'contoso', '--quiet']).code).toBe(0);
    expect(cli(['scan', all, '--db', together, '--tenant', 'contoso', '--quiet']).code).toBe(0);
    const merged = cli(['merge', '--db', central, s1, s2]);
    expect(merged.err).toBe('');
    expect(usage(central)).toEqual(usage(together));
  });
});
