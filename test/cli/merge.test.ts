// `merge` end to end: exact sums, idempotent (the same database twice changes nothing), a newer copy adds only
// what is new, and the merges that would count twice are refused. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tls-census.js');
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const OLD = new Date('2024-04-01T00:00:00Z');
function log(path: string, lines: string[]): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#Fields: date time c-ip cs-username crypt-protocol\n${lines.join('\n')}\n`);
  utimesSync(path, OLD, OLD);
}

function usage(db: string) {
  const d = new Database(db, { readonly: true });
  const rows = d.prepare(`SELECT day, server, client_ip, username, protocol, hits, first_seen, last_seen FROM usage
    ORDER BY day, server, client_ip, protocol`).all();
  d.close();
  return rows;
}

describe('merge', () => {
  it('adds server databases exactly, once, and only what a newer copy adds', () => {
    const dir = tempDir();
    log(join(dir, 'EXCH01', 'u_ex1.log'), ['2024-03-01 10:00:00 192.0.2.1 alice 40', '2024-03-01 11:00:00 192.0.2.1 alice 40']);
    log(join(dir, 'EXCH02', 'u_ex1.log'), ['2024-03-01 09:00:00 192.0.2.1 alice 40', '2024-03-02 10:00:00 192.0.2.2 bob 400']);
    const s1 = join(dir, 's1.db');
    const s2 = join(dir, 's2.db');
    const central = join(dir, 'central.db');
    expect(cli(['scan', join(dir, 'EXCH01'), '--db', s1, '--quiet']).code).toBe(0);
    expect(cli(['scan', join(dir, 'EXCH02'), '--db', s2, '--quiet']).code).toBe(0);

    const first = cli(['merge', '--db', central, s1, s2]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Merged .*s1\.db \(database [0-9a-f]{32}, first time\): 1 rows changed, 2 hits added\n/);
    // one scan of both folders into one database gives the same rows (the server comes from the folder)
    const together = join(dir, 'together.db');
    expect(cli(['scan', join(dir, 'EXCH01'), join(dir, 'EXCH02'), '--db', together, '--quiet']).code).toBe(0);
    expect(usage(central)).toEqual(usage(together));

    const again = cli(['merge', '--db', central, s1, s2, s1]);
    // merged before: only the days their scans wrote are read again (s1 one day, s2 two)
    expect(again.out).toMatch(new RegExp('s1\\.db .*: nothing new; read the 1 day written since the last merge\n' +
      '.*s2\\.db .*: nothing new; read the 2 days written since the last merge\n.*s1\\.db .*: nothing new; read the 1 day'));
    expect(usage(central)).toEqual(usage(together));

    // the server scans more; a copy of its database taken now adds only the new hits
    appendFileSync(join(dir, 'EXCH01', 'u_ex1.log'), '2024-03-01 12:00:00 192.0.2.1 alice 40\n2024-03-03 08:00:00 192.0.2.3 carol 100\n');
    utimesSync(join(dir, 'EXCH01', 'u_ex1.log'), OLD, OLD);
    expect(cli(['scan', join(dir, 'EXCH01'), '--db', s1, '--quiet']).code).toBe(0);
    const copy = join(dir, 's1-copy.db');
    copyFileSync(s1, copy);
    const newer = cli(['merge', '--db', central, copy]);
    // the run merged last (2024-03-01) and the new one (2024-03-01, 2024-03-03)
    expect(newer.out).toMatch(/: 2 rows changed, 2 hits added; read the 2 days written since the last merge\n/);
    expect(cli(['scan', join(dir, 'EXCH01'), join(dir, 'EXCH02'), '--db', together, '--quiet']).code).toBe(0);
    expect(usage(central)).toEqual(usage(together));
    expect(cli(['merge', '--db', central, s1]).out).toMatch(/nothing new/);
    expect(cli(['merge', '--db', central, s1, '--full']).out).toMatch(/: nothing new\n/);
    expect(usage(central)).toEqual(usage(together));

    const d = new Database(central, { readonly: true });
    expect(d.prepare(`SELECT count(*) AS n FROM merge_sources`).get()).toEqual({ n: 2 });
    expect(d.prepare(`SELECT command, files FROM scans ORDER BY id`).all()).toEqual([
      { command: 'merge', files: 2 }, { command: 'merge', files: 3 }, { command: 'merge', files: 1 }, { command: 'merge', files: 1 },
      { command: 'merge', files: 1 },
    ]);
    d.close();

    // the central database merged on into a regional one: a merge keeps the days it wrote, as a scan does
    const region = join(dir, 'region.db');
    expect(cli(['merge', '--db', region, central]).out).toMatch(/first time/);
    appendFileSync(join(dir, 'EXCH02', 'u_ex1.log'), '2024-03-04 07:00:00 192.0.2.4 dave 40\n');
    utimesSync(join(dir, 'EXCH02', 'u_ex1.log'), OLD, OLD);
    expect(cli(['scan', join(dir, 'EXCH02'), '--db', s2, '--quiet']).code).toBe(0);
    expect(cli(['merge', '--db', central, s2]).out).toMatch(/: 1 rows changed, 1 hits added; read the 3 days written/);
    // the central database's run merged last (it wrote nothing) and the one that wrote 2024-03-04
    expect(cli(['merge', '--db', region, central]).out).toMatch(/: 1 rows changed, 1 hits added; read the 1 day written since/);
    expect(usage(region)).toEqual(usage(central));
    expect(cli(['scan', join(dir, 'EXCH01'), join(dir, 'EXCH02'), '--db', together, '--quiet']).code).toBe(0);
    expect(usage(region)).toEqual(usage(together));
    // and the legacy clients each run saw first, read on the days it wrote, are those of the scans themselves
    const seen = (db: string) => {
      const x = new Database(db, { readonly: true });
      const rows = x.prepare(`SELECT source, client_ip, username, user_agent FROM legacy_seen ORDER BY client_ip`).all();
      x.close();
      return rows;
    };
    expect(seen(together).length).toBeGreaterThan(1);
    expect(seen(region)).toEqual(seen(together));
    expect(seen(central)).toEqual(seen(together));
  });

  it('refuses a database into itself, a copy with another history, and a database already inside another', () => {
    const dir = tempDir();
    log(join(dir, 'A', 'a.log'), ['2024-03-01 10:00:00 192.0.2.1 alice 40']);
    log(join(dir, 'B', 'b.log'), ['2024-03-02 10:00:00 192.0.2.2 bob 40']);
    const s1 = join(dir, 's1.db');
    const central = join(dir, 'central.db');
    expect(cli(['scan', join(dir, 'A'), '--db', s1, '--quiet']).code).toBe(0);
    const self = cli(['merge', '--db', s1, s1]);
    expect(self.code).toBe(2);
    expect(self.err).toMatch(/is this database \(or a copy of it\)/);

    const cloned = join(dir, 'cloned.db');
    copyFileSync(s1, cloned); // a server database copied to start another server's: same database id
    expect(cli(['scan', join(dir, 'B'), '--db', s1, '--quiet']).code).toBe(0);
    expect(cli(['merge', '--db', central, s1]).code).toBe(0);
    expect(cli(['scan', join(dir, 'B'), '--db', cloned, '--quiet']).code).toBe(0);
    const clone = cli(['merge', '--db', central, cloned]);
    expect(clone.code).toBe(2);
    expect(clone.err).toMatch(/has the database id of a database merged before but not its history/);

    const region = join(dir, 'region.db');
    expect(cli(['merge', '--db', region, s1]).code).toBe(0);
    const twice = cli(['merge', '--db', central, region]);
    expect(twice.code).toBe(2);
    expect(twice.err).toMatch(/hold the same merged data/);
  });
});
