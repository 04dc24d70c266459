// Noise classes and hints are per source (issue 11): the HTTP classes (challenge-only, scanner, health-check, UA
// probes) only for HTTP sources; SMTP Send rows never noise; SMTP Receive, POP3 and IMAP4 clients never noise by their
// counts, only a HealthMailbox account; failed mail sign-ins get a mail hint, never the HTTP 401 sentence. Each client
// shape below is written once per source, and the matrix says what the view must make of it. A database left by the
// previous release (its schema 6 dump, with the old view) gives the same view once opened.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HINTS, MAIL_AUTH_FAILED_HINT, NOISE_HINTS, SMTP_SEND_HINT } from '../../src/clients/hints.js';
import { NOISE_CLASSES } from '../../src/clients/noise.js';
import { classifyUserAgents } from '../../src/store/classify-clients.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { fixture, tempDir, writeUsage } from '../helpers.js';

const SOURCES = ['iis', 'httperr', 'smtp-receive', 'smtp-send', 'pop3', 'imap4', 'exo-smtp-auth', 'exo-connector'] as const;
type Source = (typeof SOURCES)[number];
const HTTP: readonly Source[] = ['iis', 'httperr'];
const SIGN_IN_MAIL: readonly Source[] = ['smtp-receive', 'pop3', 'imap4'];

interface Shape {
  readonly id: string;
  readonly user: string | null;
  readonly ua: string | null;
  readonly hits: number;
  readonly authFailures: number;
  readonly errors: number;
  /** The noise class an HTTP source gives it. */
  readonly http: string | null;
}

const OUTLOOK = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)';

const SHAPES: readonly Shape[] = [
  { id: 'all-auth-failed', user: null, ua: 'mfp-3f.contoso.com', hits: 3, authFailures: 3, errors: 0, http: 'challenge-only' },
  { id: 'all-errors-no-ua', user: null, ua: null, hits: 2, authFailures: 0, errors: 2, http: 'scanner' },
  { id: 'quiet-no-ua', user: null, ua: null, hits: 4, authFailures: 0, errors: 0, http: 'health-check' },
  { id: 'scanner-ua', user: null, ua: 'Mozilla/5.0 zgrab/0.x', hits: 1, authFailures: 0, errors: 0, http: 'scanner' },
  { id: 'monitor-ua', user: null, ua: 'citrix-relay.contoso.com', hits: 1, authFailures: 0, errors: 0, http: 'health-check' },
  { id: 'probe-ua', user: null, ua: 'AMProbe/Local/ClientAccess', hits: 1, authFailures: 0, errors: 0, http: 'managed-availability' },
  { id: 'health-mailbox', user: 'CONTOSO\\HealthMailbox0a1b2c', ua: OUTLOOK, hits: 2, authFailures: 0, errors: 0, http: 'managed-availability' },
  { id: 'real', user: 'CONTOSO\\jdoe', ua: 'mail.contoso.com', hits: 5, authFailures: 1, errors: 0, http: null },
];

/** What each source makes of a shape's noise. */
function expectedNoise(source: Source, s: Shape): string | null {
  if (HTTP.includes(source)) return s.http;
  if (SIGN_IN_MAIL.includes(source) && s.id === 'health-mailbox') return 'managed-availability';
  return null;
}

function build(db: Db): void {
  writeUsage(db, SOURCES.flatMap((source, i) => SHAPES.map((s, j) => ({
    day: '2024-03-11', source, server: 'EXCH01', site: source.startsWith('smtp') ? 'EXCH01\\Default Frontend EXCH01' : null,
    client_ip: `10.${i}.${j}.1`, username: s.user, user_agent: s.ua, endpoint: 'X', protocol: 'TLS 1.0',
    hits: s.hits, auth_failures: s.authFailures, errors: s.errors,
    first_seen: '2024-03-11T07:00:00Z', last_seen: '2024-03-11T08:00:00Z',
  }))));
  classifyUserAgents(db);
}

interface ViewRow { source: Source; client_ip: string; client: string; tls12_capable: string; noise: string | null; hint: string | null }

const rowsOf = (db: Db): ViewRow[] =>
  db.prepare(`SELECT source, client_ip, client, tls12_capable, noise, hint FROM legacy_clients ORDER BY source, client_ip`).all() as ViewRow[];

describe('noise and hints per source in legacy_clients', () => {
  const db = openDatabase(join(tempDir('tls-census-noise-source-'), 'n.db'));
  build(db);
  const rows = rowsOf(db);
  const row = (source: Source, shape: string): ViewRow => {
    const i = SOURCES.indexOf(source);
    const j = SHAPES.findIndex((s) => s.id === shape);
    return rows.find((r) => r.client_ip === `10.${i}.${j}.1`)!;
  };

  it.each(SOURCES.flatMap((source) => SHAPES.map((s) => [source, s.id, expectedNoise(source, s) ?? 'not noise', s] as const)))(
    '%s, %s → %s',
    (source, _id, _label, s) => {
      expect(row(source, s.id).noise).toBe(expectedNoise(source, s));
    },
  );

  it('the HTTP 401 sentence is printed for HTTP sources only', () => {
    for (const r of rows) {
      if (r.hint === NOISE_HINTS['challenge-only']) expect(HTTP).toContain(r.source);
    }
    expect(row('iis', 'all-auth-failed').hint).toBe(NOISE_HINTS['challenge-only']);
  });

  it('mail clients whose every sign-in failed get the mail hint (they still break when TLS 1.0/1.1 go)', () => {
    for (const source of SIGN_IN_MAIL) expect(row(source, 'all-auth-failed').hint).toBe(MAIL_AUTH_FAILED_HINT);
    expect(row('smtp-receive', 'real').hint).toBe(HINTS.smtpHost);
  });

  it('SMTP Send rows: the remote server is the legacy party, whatever the session did', () => {
    for (const s of SHAPES) expect(row('smtp-send', s.id)).toMatchObject({ noise: null, hint: SMTP_SEND_HINT });
  });

  it('an EHLO name is read as a host name, not as an HTTP user agent', () => {
    expect(row('smtp-receive', 'monitor-ua')).toMatchObject({ client: 'SMTP host citrix-relay.contoso.com', noise: null });
    expect(row('iis', 'monitor-ua').client).toBe('health check (citrix-relay.contoso.com)');
    expect(row('smtp-receive', 'scanner-ua')).toMatchObject({ client: 'SMTP host Mozilla/5.0 zgrab/0.x', tls12_capable: 'unknown' });
    expect(row('smtp-receive', 'real').client).toBe('SMTP host mail.contoso.com');
  });

  it('the Exchange Online exports are never noise', () => {
    for (const source of ['exo-smtp-auth', 'exo-connector'] as const) {
      for (const s of SHAPES) expect(row(source, s.id).noise).toBeNull();
    }
  });

  it('each class names the sources it applies to, and a source outside them never gets it', () => {
    for (const cls of NOISE_CLASSES) {
      for (const r of rows.filter((x) => x.noise === cls.id)) expect(cls.sources).toContain(r.source);
    }
  });

  it('a database of the previous release (schema 6, the old view) gives the same view once opened', () => {
    const path = join(tempDir('tls-census-v6-'), 'v6.db');
    const old = new Database(path);
    old.exec(readFileSync(fixture('db/schema-6.sql'), 'utf8'));
    old.prepare(`INSERT INTO meta (key, value) VALUES ('database_id', 'x')`).run();
    old.pragma('user_version = 6');
    expect(old.prepare(`SELECT sql FROM sqlite_master WHERE name = 'legacy_clients'`).pluck().get()).not.toMatch(/ua_ok/);
    old.close();
    const upgraded = openDatabase(path);
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    build(upgraded);
    expect(rowsOf(upgraded)).toEqual(rows);
    const viewSql = (d: Db) => d.prepare(`SELECT sql FROM sqlite_master WHERE name = 'legacy_clients'`).pluck().get();
    expect(viewSql(upgraded)).toBe(viewSql(db));
    upgraded.close();
  });
});
