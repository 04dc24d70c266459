// Legacy clients of a window, aggregated from `usage` in SQL, plus the identification columns of the
// legacy_clients view (client, tls12_capable, noise, hint) when this database has them. Reads only.
import type { Db } from '../store/open-database.js';
import { usageCondition, type ReportFilter, type SqlValue } from './filter.js';
import { LEGACY_PROTOCOLS, type LegacyClient, type NoiseGroup, type Tls12Capable } from './model.js';

const LEGACY = `(${LEGACY_PROTOCOLS.map((p) => `'${p}'`).join(', ')})`;
const IS_LEGACY = `protocol IN ${LEGACY}`;

/** Columns of legacy_clients that client identification adds (migration 4); older databases lack them. */
const IDENTIFICATION = ['client', 'tls12_capable', 'noise', 'hint'] as const;
type IdentificationColumn = (typeof IDENTIFICATION)[number];

export function identificationColumns(db: Db): ReadonlySet<IdentificationColumn> {
  const names = new Set(db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('legacy_clients')`).all().map((c) => c.name));
  return new Set(IDENTIFICATION.filter((c) => names.has(c)));
}

/**
 * `WITH w AS (…)`: one row per legacy client of the window with its identification columns.
 * The window's sums come from usage; identification is looked up in the view by the client key.
 */
function legacyCte(db: Db, f: ReportFilter): { sql: string; params: readonly SqlValue[] } {
  const where = usageCondition(f);
  const has = identificationColumns(db);
  const pick = (c: IdentificationColumn): string => (has.has(c) ? `v.${c}` : 'NULL');
  const join =
    has.size > 0
      ? `LEFT JOIN legacy_clients v ON v.source = a.source AND v.client_ip IS a.client_ip
           AND v.username IS a.username AND v.user_agent IS a.user_agent`
      : '';
  const sql = `
WITH a AS (
  SELECT source, client_ip, username, user_agent,
    sum(CASE WHEN ${IS_LEGACY} THEN hits ELSE 0 END) AS legacy_hits,
    sum(CASE WHEN protocol = 'SSL 2.0' THEN hits ELSE 0 END) AS ssl2_hits,
    sum(CASE WHEN protocol = 'SSL 3.0' THEN hits ELSE 0 END) AS ssl3_hits,
    sum(CASE WHEN protocol = 'TLS 1.0' THEN hits ELSE 0 END) AS tls10_hits,
    sum(CASE WHEN protocol = 'TLS 1.1' THEN hits ELSE 0 END) AS tls11_hits,
    sum(CASE WHEN protocol IN ('TLS 1.2', 'TLS 1.3') THEN hits ELSE 0 END) AS modern_hits,
    sum(CASE WHEN ${IS_LEGACY} THEN auth_failures ELSE 0 END) AS auth_failures,
    sum(CASE WHEN ${IS_LEGACY} THEN errors ELSE 0 END) AS errors,
    min(CASE WHEN ${IS_LEGACY} THEN first_seen END) AS first_seen,
    max(CASE WHEN ${IS_LEGACY} THEN last_seen END) AS last_seen,
    json_group_array(DISTINCT CASE WHEN ${IS_LEGACY} THEN server END) AS servers,
    json_group_array(DISTINCT CASE WHEN ${IS_LEGACY} THEN endpoint END) AS endpoints,
    min(CASE WHEN ${IS_LEGACY} THEN internal END) AS internal
  FROM usage WHERE ${where.sql}
  GROUP BY source, client_ip, username, user_agent
  HAVING legacy_hits > 0
), w AS (
  SELECT a.*, ${pick('client')} AS client, ${pick('tls12_capable')} AS tls12_capable,
    ${pick('noise')} AS noise, ${pick('hint')} AS hint
  FROM a ${join}
)`;
  return { sql, params: where.params };
}

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

function toClient(r: Row): LegacyClient {
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
  };
}

export interface LegacyResult {
  readonly listed: readonly LegacyClient[];
  readonly clients: number;
  readonly hits: number;
  readonly noise: readonly NoiseGroup[];
}

/**
 * Real clients first (external before internal), then noise; most legacy hits first; ties broken by the
 * client key so the order never depends on scan order. `top` (null = all) cuts the list in SQL.
 */
export function readLegacy(db: Db, f: ReportFilter, top: number | null): LegacyResult {
  const cte = legacyCte(db, f);
  const rows = db
    .prepare<SqlValue[], Row>(
      `${cte.sql}
       SELECT * FROM w
       ORDER BY noise IS NOT NULL, internal, legacy_hits DESC, last_seen DESC, source, client_ip, username, user_agent
       LIMIT ?`,
    )
    .all(...cte.params, top ?? -1);
  const totals = db
    .prepare<SqlValue[], { n: number; hits: number | null }>(`${cte.sql} SELECT count(*) AS n, sum(legacy_hits) AS hits FROM w`)
    .get(...cte.params) ?? { n: 0, hits: 0 };
  const noise = db
    .prepare<SqlValue[], { noise: string; clients: number; hits: number; addresses: string }>(
      `${cte.sql}
       SELECT noise, count(*) AS clients, sum(legacy_hits) AS hits, json_group_array(DISTINCT client_ip) AS addresses
       FROM w WHERE noise IS NOT NULL GROUP BY noise ORDER BY hits DESC, noise`,
    )
    .all(...cte.params);
  return {
    listed: rows.map(toClient),
    clients: totals.n,
    hits: totals.hits ?? 0,
    noise: noise.map((g) => ({ noise: g.noise, clients: g.clients, hits: g.hits, addresses: names(g.addresses) })),
  };
}

/** Legacy hits per (source, server, site) split into noise and real clients, for the verdicts. */
export interface SiteLegacy {
  readonly source: string;
  readonly server: string | null;
  readonly site: string | null;
  readonly legacyHits: number;
  readonly noiseHits: number;
  readonly noiseClasses: readonly string[];
  readonly realClients: number;
}

export function readSiteLegacy(db: Db, f: ReportFilter): SiteLegacy[] {
  const where = usageCondition(f, 'u');
  const hasNoise = identificationColumns(db).has('noise');
  const noiseOf = hasNoise ? 'c.noise' : 'NULL';
  const join = hasNoise
    ? `LEFT JOIN (SELECT source, client_ip, username, user_agent, noise FROM legacy_clients WHERE noise IS NOT NULL) c
         ON c.source = u.source AND c.client_ip IS u.client_ip AND c.username IS u.username AND c.user_agent IS u.user_agent`
    : '';
  return db
    .prepare<SqlValue[], { source: string; server: string | null; site: string | null; legacy_hits: number; noise_hits: number; classes: string; real_clients: number }>(
      `SELECT u.source, u.server, u.site, sum(u.hits) AS legacy_hits,
         sum(CASE WHEN ${noiseOf} IS NOT NULL THEN u.hits ELSE 0 END) AS noise_hits,
         json_group_array(DISTINCT ${noiseOf}) AS classes,
         count(DISTINCT CASE WHEN ${noiseOf} IS NULL
           THEN json_array(u.client_ip, u.username, u.user_agent) END) AS real_clients
       FROM usage u ${join}
       WHERE u.protocol IN ${LEGACY} AND ${where.sql}
       GROUP BY u.source, u.server, u.site`,
    )
    .all(...where.params)
    .map((r) => ({
      source: r.source,
      server: r.server,
      site: r.site,
      legacyHits: r.legacy_hits,
      noiseHits: r.noise_hits,
      noiseClasses: names(r.classes),
      realClients: r.real_clients,
    }));
}
