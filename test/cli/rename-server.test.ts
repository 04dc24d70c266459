// rename-server on an existing database: the rows of a server scanned under a generic name (LogFiles, from an
// earlier release) become rows of the right name, counts of equal rows add up, verdicts follow; a wrong name, the
// same name twice and a merge target are refused with one line and exit 2. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open-database.js';
import { buildDb } from '../report/report-db.js';
import { tempDir } from '../helpers.js';

function cli(args: string[]) {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'tls-census.js');
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const rows = (db: string) => {
  const d = openDatabase(db, { readonly: true });
  try {
    return d.prepare('SELECT server, site, protocol, hits FROM usage ORDER BY server, site, protocol').all();
  } finally {
    d.close();
  }
};

describe('rename-server', () => {
  it('moves every row of OLD to NEW, adding counts where NEW has the same row', () => {
    const db = buildDb([
      { server: 'LogFiles', protocol: 'TLS 1.2', hits: 10 },
      { server: 'LogFiles', site: 'W3SVC2', protocol: 'TLS 1.0', hits: 3, user_agent: 'Legacy App' },
      { server: 'EXCH01', protocol: 'TLS 1.2', hits: 5 },
      { server: 'EXCH02', protocol: 'TLS 1.2', hits: 7 },
    ]);
    const r = cli(['rename-server', 'LogFiles', 'EXCH01', '--db', db]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe('Renamed server LogFiles to EXCH01: 2 usage rows (13 hits), 1 of them added into rows EXCH01 already had.\n');
    expect(rows(db)).toEqual([
      { server: 'EXCH01', site: 'W3SVC1', protocol: 'TLS 1.2', hits: 15 },
      { server: 'EXCH01', site: 'W3SVC2', protocol: 'TLS 1.0', hits: 3 },
      { server: 'EXCH02', site: 'W3SVC1', protocol: 'TLS 1.2', hits: 7 },
    ]);
    const json = JSON.parse(cli(['report', '--db', db, '--format', 'json']).out) as { servers: { server: string; safeToDisable: string }[] };
    expect(json.servers.map((s) => [s.server, s.safeToDisable])).toEqual([['EXCH01', 'no'], ['EXCH02', 'yes']]);
  });

  it('refuses an unknown name, the same name twice, a bad new name, and a merge target', () => {
    const db = buildDb([{ server: 'LogFiles', hits: 1 }]);
    const unknown = cli(['rename-server', 'logs', 'EXCH01', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no server named "logs" in this database (servers: LogFiles)');
    expect(cli(['rename-server', 'LogFiles', 'LogFiles', '--db', db]).code).toBe(2);
    expect(cli(['rename-server', 'LogFiles', 'EXCH 01', '--db', db]).err).toContain('Invalid option NEW');
    expect(rows(db)).toEqual([{ server: 'LogFiles', site: 'W3SVC1', protocol: 'TLS 1.2', hits: 1 }]);
    const central = join(tempDir(), 'central.db');
    expect(cli(['merge', '--db', central, db]).code).toBe(0);
    const merged = cli(['rename-server', 'LogFiles', 'EXCH01', '--db', central]);
    expect(merged.code).toBe(2);
    expect(merged.err).toContain('holds merged data');
  });
});
