// One server name per machine, end to end: a copy of a machine's inetpub\logs\LogFiles, HTTPERR and Exchange
// Logging folders scanned in place gets the host name (or --server-name) on every row, says so in the summary, and
// two such databases merged keep two servers; rename-server fixes the name in an existing database.
// Real samples (test/fixtures/README.md) in the layout Windows writes them. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { localHostName } from '../../src/engine/path-hints.js';
import { tempDir } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tls-census.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A machine's log folders as Windows lays them out; returns the three folders a nightly job scans in place. */
function machine(): string[] {
  const root = tempDir('tls-census-machine-');
  const iis = join(root, 'inetpub', 'logs', 'LogFiles');
  const httperr = join(root, 'Windows', 'System32', 'LogFiles', 'HTTPERR');
  const logging = join(root, 'Program Files', 'Microsoft', 'Exchange Server', 'V15', 'Logging');
  cpSync(join(FIXTURES, 'machine', 'amprobe', 'LogFiles'), iis, { recursive: true });
  mkdirSync(httperr, { recursive: true });
  cpSync(join(FIXTURES, 'httperr', 'plaso-httperr.log'), join(httperr, 'httperr1.log'));
  mkdirSync(join(logging, 'Pop3'), { recursive: true });
  // The crowdsec sample's lines under the header Exchange writes (domain.md §4.4)
  const pop = readFileSync(join(FIXTURES, 'exchange', 'crowdsec-exchange-pop-logs.log'), 'utf8');
  const popFile = join(logging, 'Pop3', 'POP320220720-1.LOG');
  writeFileSync(popFile, POP3_HEADER + pop);
  const old = new Date('2022-07-21T00:00:00Z'); // a finished log: its last line (no newline) counts
  utimesSync(popFile, old, old);
  return [iis, httperr, logging];
}

const POP3_HEADER = '#Software: Microsoft Exchange Server\r\n#Version: 15.02.1544.004\r\n#Log-type: POP3 Protocol Log\r\n' +
  '#Date: 2022-07-20T21:00:00.000Z\r\n#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n';

const servers = (db: string): { source: string; server: string | null }[] => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT DISTINCT source, server FROM usage ORDER BY source').all() as { source: string; server: string | null }[];
  } finally {
    d.close();
  }
};

describe('server names of a machine scanned in place', () => {
  it('gives IIS, HTTP.sys and POP3 rows the host name, or --server-name, and says where it came from', () => {
    const folders = machine();
    const db = join(tempDir(), 'own.db');
    const own = cli(['scan', ...folders, '--db', db]);
    expect(own.code).toBe(0);
    const host = localHostName();
    expect(servers(db)).toEqual([
      { source: 'httperr', server: host }, { source: 'iis', server: host }, { source: 'pop3', server: host },
    ]);
    expect(own.out).toContain(`  ${host}: 3 files, this machine's host name (no server folder; --server-name NAME sets one)`);
    const named = join(tempDir(), 'named.db');
    const scan = cli(['scan', ...folders, '--db', named, '--server-name', 'EXCH01']);
    expect(scan.out).toContain('  EXCH01: 3 files, --server-name\n');
    expect(new Set(servers(named).map((r) => r.server))).toEqual(new Set(['EXCH01']));
    // The machine verdict joins them: own probes block, POP3 is unknown, HTTP.sys is evidence beside the IIS log
    const json = JSON.parse(cli(['report', '--db', named, '--format', 'json']).out) as {
      servers: { server: string; safeToDisable: string; unknowns: { reason: string }[]; sources: { source: string }[] }[];
    };
    expect(json.servers).toHaveLength(1);
    expect(json.servers[0]).toMatchObject({ server: 'EXCH01', safeToDisable: 'no', unknowns: [{ reason: 'no-mail-versions' }] });
    expect(json.servers[0].sources.map((s) => s.source)).toEqual(['httperr', 'iis', 'pop3']);
  });

  it('keeps two servers when two machines\' databases are merged', () => {
    const dbs = ['EXCH01', 'EXCH02'].map((name) => {
      const db = join(tempDir(), `${name}.db`);
      expect(cli(['scan', ...machine(), '--db', db, '--server-name', name, '--quiet']).code).toBe(0);
      return db;
    });
    const central = join(tempDir(), 'central.db');
    expect(cli(['merge', '--db', central, ...dbs]).code).toBe(0);
    const json = JSON.parse(cli(['report', '--db', central, '--format', 'json']).out) as { servers: { server: string }[] };
    expect(json.servers.map((s) => s.server)).toEqual(['EXCH01', 'EXCH02']);
  });
});
