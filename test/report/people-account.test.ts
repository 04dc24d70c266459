// One person in every source: an Entra ID sign-in user and the same user on IIS (`CONTOSO\JDoe`, `jdoe@contoso.com`)
// are listed next to each other in the report's people (every format) and share an account in legacy_people.
// Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { accountOf } from '../../src/report/people.js';
import { fixture, tempDir } from '../helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tls-census.js');
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('the same user on premises and in Entra ID', () => {
  it.each([
    ['CONTOSO\\JDoe', 'jdoe'], ['jdoe@contoso.com', 'jdoe'], ['JDoe', 'jdoe'], ['contoso.com\\j.doe@contoso.com', 'j.doe'], ['', null], [null, null],
  ])('%j is the account %j', (name, account) => expect(accountOf(name)).toBe(account));

  it('lists them together in every format, and legacy_people gives both one account', () => {
    const dir = tempDir();
    const iis = join(dir, 'EXCH01', 'u_ex261110.log');
    mkdirSync(join(dir, 'EXCH01'));
    // a heavy on-premises user between them, so that only grouping puts jdoe's rows together
    writeFileSync(iis, '#Fields: date time c-ip cs-username cs(User-Agent) crypt-protocol\n' +
      Array.from({ length: 5 }, () => '2026-11-10 10:00:00 10.1.1.7 CONTOSO\\JDoe Microsoft+Office/14.0+(Windows+NT+6.1;+Microsoft+Outlook+14.0.7268;+Pro) 40').join('\n') + '\n' +
      Array.from({ length: 3 }, () => '2026-11-10 10:00:00 10.1.1.8 CONTOSO\\zoe curl/7.29.0 40').join('\n') + '\n');
    const old = new Date('2026-11-11T00:00:00Z');
    utimesSync(iis, old, old);
    const entra = join(dir, 'entra');
    cpSync(fixture('entra/main'), entra, { recursive: true });
    const db = join(dir, 'census.db');
    expect(cli(['scan', join(dir, 'EXCH01'), entra, '--db', db, '--tenant', 'contoso', '--quiet']).code).toBe(0);

    const conn = new Database(db, { readonly: true });
    const accounts = conn.prepare(`SELECT source, username, account FROM legacy_people WHERE account IN ('jdoe', 'zoe') ORDER BY source, client_ip`).all();
    conn.close();
    expect(accounts).toEqual([
      { source: 'entra-signin', username: 'jdoe@contoso.com', account: 'jdoe' },
      { source: 'entra-signin', username: 'jdoe@contoso.com', account: 'jdoe' },
      { source: 'iis', username: 'CONTOSO\\JDoe', account: 'jdoe' },
      { source: 'iis', username: 'CONTOSO\\zoe', account: 'zoe' },
    ]);

    const json = JSON.parse(cli(['report', '--db', db, '--format', 'json']).out) as {
      legacyPeople: { source: string; username: string; account: string | null; sameUserAsAbove: boolean; hitsByProtocol: Record<string, number> }[];
    };
    const rows = json.legacyPeople.map((p) => [p.source, p.username, p.sameUserAsAbove]);
    const at = rows.findIndex((r) => r[1] === 'CONTOSO\\JDoe');
    // jdoe's IIS row (5 hits) first, then the two Entra ID addresses of jdoe, then zoe (3 hits)
    expect(rows.slice(at, at + 4)).toEqual([
      ['iis', 'CONTOSO\\JDoe', false], ['entra-signin', 'jdoe@contoso.com', true], ['entra-signin', 'jdoe@contoso.com', true], ['iis', 'CONTOSO\\zoe', false],
    ]);
    expect(json.legacyPeople[at + 1].hitsByProtocol['TLS 1.0/1.1 or 3DES']).toBe(1);

    const text = cli(['report', '--db', db]).out;
    expect(text).toMatch(/CONTOSO\\JDoe[^\n]*\n(?:(?! {2}\s*\d+ )[^\n]*\n)*\s+1 old\/3DES\s+\S+\s+jdoe@contoso\.com\s+\S+\s+same user as above/);
    const md = cli(['report', '--db', db, '--format', 'markdown']).out;
    expect(md).toMatch(/\| CONTOSO\\\\JDoe \|[^\n]*\n\|[^\n]*\| jdoe@contoso\.com \(same user as above\) \|/);
    const html = cli(['report', '--db', db, '--format', 'html']).out;
    expect(html).toMatch(/<td>CONTOSO\\JDoe<\/td>[\s\S]*?<\/tr>\s*<tr>[^\n]*<td>jdoe@contoso\.com \(same user as above\)<\/td>/);
  });
});
