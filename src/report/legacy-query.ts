// Legacy clients of a window, aggregated once per report into a temporary table of this connection (the database
// file is never written), with the identification columns of the legacy_clients view when the schema has them.
import type { ExceptionMatcher } from '../exceptions/exceptions.js';
import { LEGACY_SQL_LIST, legacyHitColumnsSql, MODERN_SQL_LIST } from '../tls/legacy.js';
import type { Db } from '../store/open-database.js';
import { dayCondition, usageCondition, type ReportFilter, type SqlValue } from './filter.js';
import { derivedView, keyedUsage } from './keyed-usage.js';
import { keyedRows } from '../store/usage-by-key.js';
import type { Dependency, LegacyClient, LegacyPerson, LegacyTally, NoiseGroup, Share, Tls12Capable } from './model.js';
import { groupPeople, personKey } from './people.js';

/** Columns of legacy_clients that client identification adds (migration 4); older databases lack them. */
const IDENTIFICATION = ['client', 'tls12_capable', 'noise', 'hint'] as const;

const T = 'temp.report_legacy';
const SAME_CLIENT = (a: string, b: string): string =>
  `${a}.source = ${b}.source AND ${a}.client_ip IS ${b}.client_ip AND ${a}.username IS ${b}.username AND ${a}.user_agent IS ${b}.user_agent`;

interface Row {
  source: string;
  client_ip: string | null;
  username: string | null;
  user_agent: string | null;
  legacy_hits: number;
  ssl2_hits: number;
  ssl3_hits: number;
  tls10_hits: number;
  tls11_hits: number;
  modern_hits: number;
  auth_failures: number;
  errors: number;
  first_seen: string;
  last_seen: string;
  servers: string;
  endpoints: string;
  internal: number;
  client: string | null;
  tls12_capable: string | null;
  noise: string | null;
  hint: string | null;
}

/** A json_group_array of names without its NULLs, sorted so the output does not depend on scan order. */
function names(json: string): string[] {
  const values = JSON.parse(json) as unknown[];
  return values.filter((v): v is string => typeof v === 'string').sort();
}

const capable = (v: string | null): Tls12Capable | null => (v === 'yes' || v === 'no' || v === 'unknown' ? v : null);

function toClient(r: Row, match: ExceptionMatcher | null): LegacyClient {
  const e = match?.({ source: r.source, clientIp: r.client_ip, username: r.username, userAgent: r.user_agent }) ?? null;
  return {
    source: r.source,
    clientIp: r.client_ip,
    username: r.username,
    userAgent: r.user_agent,
    client: r.client,
    tls12Capable: capable(r.tls12_capable),
    noise: r.noise,
    hint: r.hint,
    legacyHits: r.legacy_hits,
    ssl2Hits: r.ssl2_hits,
    ssl3Hits: r.ssl3_hits,
    tls10Hits: r.tls10_hits,
    tls11Hits: r.tls11_hits,
    modernHits: r.modern_hits,
    authFailures: r.auth_failures,
    errors: r.errors,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    servers: names(r.servers),
    endpoints: names(r.endpoints),
    internal: r.internal === 1,
    exception: e === null ? null : { match: e.match, value: e.value, reason: e.reason, expires: e.expires },
  };
}

export interface LegacyResult {
  readonly listed: readonly LegacyClient[];
  /** Every legacy client of the window, noise included, in the same order (the plans need them all). */
  readonly all: readonly LegacyClient[];
  /** Real clients as people and devices, cut to `top` people. */
  readonly people: readonly LegacyPerson[];
  readonly peopleCount: number;
  readonly clients: number;
  readonly hits: number;
  readonly noise: readonly NoiseGroup[];
  /** Real (not noise) clients that a known exception in force covers. */
  readonly excepted: { readonly clients: number; readonly hits: number };
}

/**
 * Legacy hits per (source, server, site) split into noise, excepted, the server's own traffic and real clients, for
 * the verdicts. Own traffic (Managed Availability probes and health mailboxes, Exchange's server-to-server traffic,
 * loopback) is counted apart from noise: it blocks the switch until the server's own client settings change.
 */
export interface SiteLegacy {
  readonly source: string;
  readonly server: string | null;
  readonly site: string | null;
  readonly legacyHits: number;
  /** Noise that does not block: health checks, challenge-only clients, scanners (own traffic not included). */
  readonly noiseHits: number;
  readonly noiseClasses: readonly string[];
  readonly exceptedHits: number;
  readonly exceptedClients: number;
  readonly ownHits: number;
  readonly ownClients: number;
  readonly realHits: number;
  readonly realClients: number;
  /** The real clients as people or devices (distinct username and address). */
  readonly realPeople: number;
  /** SMTP sources: every real legacy client (not noise, not excepted), most legacy hits first; else empty. */
  readonly dependencies: readonly Dependency[];
}

/** The noise class of the server's own probes and health mailboxes: it blocks a verdict (see SiteLegacy). */
export const OWN_NOISE = 'managed-availability';
const LOOPBACK = /^(?:127\.|::1$|::ffff:127\.)/;


export interface SiteShares {
  readonly sites: readonly SiteLegacy[];
  readonly tally: LegacyTally;
}

/**
 * Where one client's legacy hits go in a verdict: other noise first; probes and health mailboxes are own traffic
 * (like all noise, no exception covers them); then known exceptions; then server-to-server and loopback traffic as
 * own; the rest are real clients.
 */
function shareOf(r: Key & { noise: string | null; internal: number }, match: ExceptionMatcher | null): Share {
  if (r.noise === OWN_NOISE) return 'own';
  if (r.noise !== null) return 'noise';
  if (match !== null && match(keyOf(r)) !== null) return 'excepted';
  if (r.internal === 1 || (r.client_ip !== null && LOOPBACK.test(r.client_ip))) return 'own';
  return 'real';
}

/** Sources whose verdicts name their dependencies: a connector's real legacy clients are the remote mail hosts. */
const NAMED_DEPENDENCIES: ReadonlySet<string> = new Set(['smtp-receive', 'smtp-send']);

const byWeight = (a: Dependency, b: Dependency): number =>
  b.legacyHits - a.legacyHits || (a.lastDay < b.lastDay ? 1 : a.lastDay > b.lastDay ? -1 : 0) ||
  String(a.clientIp).localeCompare(String(b.clientIp)) || String(a.name).localeCompare(String(b.name));

type Key = { source: string; client_ip: string | null; username: string | null; user_agent: string | null };
const keyOf = (r: Key) => ({ source: r.source, clientIp: r.client_ip, username: r.username, userAgent: r.user_agent });

/**
 * The window's legacy clients: legacy rows aggregated first, then their TLS 1.2+ hits, then identification from the
 * view in one pass restricted to their user agents (SQLite pushes that filter into the view's GROUP BY).
 * close() drops the table.
 */
export class LegacyWindow {
  private constructor(private readonly db: Db, private readonly f: ReportFilter) {}

  static open(db: Db, f: ReportFilter): LegacyWindow {
    const k = keyedUsage(db, f);
    const kU = keyedUsage(db, f, 'u');
    db.exec(`DROP TABLE IF EXISTS ${T}`);
    db.prepare<SqlValue[]>(
      `CREATE TABLE ${T} AS ${k.with}
       SELECT source, client_ip, username, user_agent, sum(hits) AS legacy_hits,
${legacyHitColumnsSql('         ')}
         0 AS modern_hits, sum(auth_failures) AS auth_failures, sum(errors) AS errors,
         min(first_seen) AS first_seen, max(last_seen) AS last_seen,
         json_group_array(DISTINCT server) AS servers, json_group_array(DISTINCT endpoint) AS endpoints,
         min(internal) AS internal,
         CAST(NULL AS TEXT) AS client, CAST(NULL AS TEXT) AS tls12_capable, CAST(NULL AS TEXT) AS noise, CAST(NULL AS TEXT) AS hint
       FROM ${k.table} WHERE protocol IN ${LEGACY_SQL_LIST} AND ${k.where.sql}
       GROUP BY source, client_ip, username, user_agent`,
    ).run(...k.params, ...k.where.params);
    db.exec(`CREATE INDEX temp.report_legacy_key ON report_legacy (user_agent, client_ip, username, source)`);
    // CROSS JOIN keeps the keyed usage the outer loop: one pass over it, each key probing the table's key index (the
    // planner otherwise may scan it once per legacy client)
    db.prepare<SqlValue[]>(
      `${kU.with} UPDATE ${T} SET modern_hits = m.hits FROM (
         SELECT l.rowid AS id, sum(u.hits) AS hits FROM ${kU.table} u CROSS JOIN ${T} l ON ${SAME_CLIENT('u', 'l')}
         WHERE u.protocol IN ${MODERN_SQL_LIST} AND ${kU.where.sql} GROUP BY l.rowid
       ) m WHERE m.id = report_legacy.rowid`,
    ).run(...kU.params, ...kU.where.params);
    identify(db);
    return new LegacyWindow(db, f);
  }

  /** Real clients first (external before internal), then noise; most legacy hits first; ties by client key. */
  read(top: number | null, match: ExceptionMatcher | null): LegacyResult {
    // All of them: people are grouped from every real client before the list is cut
    const all = this.db
      .prepare<[], Row>(
        `SELECT * FROM ${T}
         ORDER BY noise IS NOT NULL, internal, legacy_hits DESC, last_seen DESC, source, client_ip, username, user_agent`,
      )
      .all()
      .map((r) => toClient(r, match));
    const people = groupPeople(all.filter((c) => c.noise === null));
    const totals = this.db.prepare<[], { n: number; hits: number | null }>(`SELECT count(*) AS n, sum(legacy_hits) AS hits FROM ${T}`).get();
    const noise = this.db
      .prepare<[], { noise: string; clients: number; hits: number; addresses: string }>(
        `SELECT noise, count(*) AS clients, sum(legacy_hits) AS hits, json_group_array(DISTINCT client_ip) AS addresses
         FROM ${T} WHERE noise IS NOT NULL GROUP BY noise ORDER BY hits DESC, noise`,
      )
      .all();
    let excepted = { clients: 0, hits: 0 };
    if (match !== null) {
      const real = this.db.prepare<[], Key & { hits: number }>(`SELECT source, client_ip, username, user_agent, legacy_hits AS hits FROM ${T} WHERE noise IS NULL`).all();
      const hit = real.filter((r) => match(keyOf(r)) !== null);
      excepted = { clients: hit.length, hits: hit.reduce((n, r) => n + r.hits, 0) };
    }
    return {
      listed: top === null ? all : all.slice(0, top),
      all,
      people: top === null ? people : people.slice(0, top),
      peopleCount: people.length,
      clients: totals?.n ?? 0,
      hits: totals?.hits ?? 0,
      noise: noise.map((g) => ({ noise: g.noise, clients: g.clients, hits: g.hits, addresses: names(g.addresses) })),
      excepted,
    };
  }

  /** Legacy hits per site split by share, and the window's totals per share (clients counted once). */
  sites(match: ExceptionMatcher | null): SiteShares {
    const k = keyedUsage(this.db, this.f, 'u');
    const rows = this.db
      .prepare<SqlValue[], Key & { server: string | null; site: string | null; noise: string | null; internal: number; hits: number; last: string }>(
        `${k.with} SELECT u.source, u.server, u.site, u.client_ip, u.username, u.user_agent, l.noise, max(u.internal) AS internal,
           sum(u.hits) AS hits, max(u.last_seen) AS last
         FROM ${k.table} u LEFT JOIN ${T} l ON ${SAME_CLIENT('l', 'u')}
         WHERE u.protocol IN ${LEGACY_SQL_LIST} AND ${k.where.sql}
         GROUP BY u.source, u.server, u.site, u.client_ip, u.username, u.user_agent`,
      )
      .all(...k.params, ...k.where.params);
    const sites = new Map<string, SiteLegacy & { classes: Set<string>; people: Set<string>; deps: Dependency[] }>();
    const hits: Record<Share, number> = { noise: 0, excepted: 0, own: 0, real: 0 };
    const clients: Record<Share, Set<string>> = { noise: new Set(), excepted: new Set(), own: new Set(), real: new Set() };
    for (const r of rows) {
      const key = JSON.stringify([r.source, r.server, r.site]);
      const s = sites.get(key) ?? {
        source: r.source, server: r.server, site: r.site, legacyHits: 0, noiseHits: 0, noiseClasses: [],
        exceptedHits: 0, exceptedClients: 0, ownHits: 0, ownClients: 0, realHits: 0, realClients: 0, realPeople: 0,
        dependencies: [], classes: new Set<string>(), people: new Set<string>(), deps: [],
      };
      const share = shareOf(r, match);
      hits[share] += r.hits;
      clients[share].add(JSON.stringify([r.source, r.client_ip, r.username, r.user_agent]));
      if (share === 'noise' && r.noise !== null) s.classes.add(r.noise);
      if (share === 'real') s.people.add(personKey(keyOf(r)));
      if ((share === 'real' || share === 'own') && NAMED_DEPENDENCIES.has(r.source)) {
        s.deps.push({ clientIp: r.client_ip, name: r.user_agent, username: r.username, legacyHits: r.hits, lastDay: r.last.slice(0, 10) });
      }
      const add = (which: Share, n: number): number => (share === which ? n : 0);
      sites.set(key, {
        ...s,
        legacyHits: s.legacyHits + r.hits,
        noiseHits: s.noiseHits + add('noise', r.hits),
        exceptedHits: s.exceptedHits + add('excepted', r.hits),
        exceptedClients: s.exceptedClients + add('excepted', 1),
        ownHits: s.ownHits + add('own', r.hits),
        ownClients: s.ownClients + add('own', 1),
        realHits: s.realHits + add('real', r.hits),
        realClients: s.realClients + add('real', 1),
        realPeople: s.people.size,
      });
    }
    const tally = (share: Share) => ({ hits: hits[share], clients: clients[share].size });
    return {
      sites: [...sites.values()].map(({ classes, people, deps, ...s }) => ({
        ...s, realPeople: people.size, noiseClasses: [...classes].sort(), dependencies: deps.sort(byWeight),
      })),
      tally: { noise: tally('noise'), excepted: tally('excepted'), own: tally('own'), real: tally('real') },
    };
  }

  /**
   * Per day of the window: the real (not noise) legacy clients' hits and how many people or devices they are —
   * the burn-down. Known exceptions count: they are still to be fixed.
   */
  daily(): Map<string, { readonly hits: number; readonly people: number }> {
    // The window's keys of real legacy clients first (each with its person), then the window's rows of those keys
    // by day: one pass over the rows in day order, probing the few keys by id (CROSS JOIN keeps the rows outside)
    if (!keyedRows(this.db)) return this.dailyOfRows();
    const k = keyedUsage(this.db, this.f, 'u');
    const days = dayCondition(this.f, 'r');
    const rows = this.db
      .prepare<SqlValue[], { day: string; hits: number; people: number }>(
        `${k.with} SELECT r.day AS day, sum(r.hits) AS hits, count(DISTINCT p.person) AS people
         FROM usage_rows r CROSS JOIN (
           SELECT u.key_id AS key_id, json_array(u.source, u.username, u.client_ip) AS person
           FROM ${k.table} u CROSS JOIN ${T} l ON ${SAME_CLIENT('u', 'l')}
           WHERE u.protocol IN ${LEGACY_SQL_LIST} AND l.noise IS NULL AND ${k.where.sql}
         ) p ON p.key_id = r.key_id
         WHERE ${days.sql}
         GROUP BY r.day`,
      )
      .all(...k.params, ...k.where.params, ...days.params);
    return new Map(rows.map((r) => [r.day, { hits: r.hits, people: r.people }]));
  }

  /** daily() on a database older than schema 8 (read as it is): its usage rows have no key ids. */
  private dailyOfRows(): Map<string, { readonly hits: number; readonly people: number }> {
    const where = usageCondition(this.f, 'u');
    const rows = this.db
      .prepare<SqlValue[], { day: string; hits: number; people: number }>(
        `SELECT u.day, sum(u.hits) AS hits, count(DISTINCT json_array(u.source, u.username, u.client_ip)) AS people
         FROM usage u CROSS JOIN ${T} l ON ${SAME_CLIENT('u', 'l')}
         WHERE u.protocol IN ${LEGACY_SQL_LIST} AND l.noise IS NULL AND ${where.sql}
         GROUP BY u.day`,
      )
      .all(...where.params);
    return new Map(rows.map((r) => [r.day, { hits: r.hits, people: r.people }]));
  }

  close(): void {
    this.db.exec(`DROP TABLE IF EXISTS ${T}`);
  }
}

/** Copies client, tls12_capable, noise and hint from legacy_clients (whole database) for the window's clients. */
function identify(db: Db): void {
  const names = new Set(db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('legacy_clients')`).all().map((c) => c.name));
  const columns = IDENTIFICATION.filter((c) => names.has(c));
  if (columns.length === 0) return;
  // One pass: nothing indexes the usage rows of a user agent (schema 6), so a lookup per user agent would read
  // all of usage each time
  db.prepare(
    `UPDATE ${T} SET ${columns.map((c) => `${c} = v.${c}`).join(', ')} FROM (
       SELECT source, client_ip, username, user_agent, ${columns.join(', ')} FROM ${derivedView(db, 'legacy_clients')}
       WHERE user_agent IN (SELECT user_agent FROM ${T}) OR user_agent IS NULL
     ) v WHERE ${SAME_CLIENT('v', 'report_legacy')}`,
  ).run();
}
