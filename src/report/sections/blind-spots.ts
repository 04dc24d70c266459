// What the logs cannot show, read from the database: sites without crypt fields, addresses carrying many users
// (proxies, NAT, load balancers), proxy hops, Exchange Back End traffic, and handshakes that never reach IIS.
// Read-only data plus one plain sentence per finding; formatters decide how to show them.
import type { Db } from '../../store/open-database.js';
import { LEGACY_SQL_LIST } from '../../tls/legacy.js';
import type { SqlValue } from '../filter.js';
import { keyedUsage } from '../keyed-usage.js';

export interface BlindSpotOptions {
  /** An address is "shared" with at least this many user names or user agents. */
  readonly minUsers: number;
  readonly minAgents: number;
  /** Rows per list. */
  readonly limit: number;
}

export const DEFAULT_BLIND_SPOTS: BlindSpotOptions = { minUsers: 10, minAgents: 10, limit: 10 };

export interface SiteWithoutCrypt {
  readonly server: string | null;
  readonly site: string | null;
  readonly hits: number;
}

export interface SharedAddress {
  readonly source: string;
  readonly clientIp: string;
  readonly users: number;
  readonly userAgents: number;
  readonly hits: number;
  readonly legacyHits: number;
}

export interface ProxyHop {
  readonly proxyIp: string;
  readonly clients: number;
  readonly hits: number;
  readonly legacyHits: number;
}

export interface BackEndTraffic {
  readonly server: string | null;
  readonly hits: number;
  readonly legacyHits: number;
}

export interface BlindSpots {
  readonly sitesWithoutCryptFields: readonly SiteWithoutCrypt[];
  readonly sharedAddresses: readonly SharedAddress[];
  readonly proxies: readonly ProxyHop[];
  readonly backEnd: readonly BackEndTraffic[];
  /** Hits from IIS logs: handshakes that failed never made a line there. */
  readonly iisHits: number;
  /** HTTP.sys error log files read (where refused connections do show). */
  readonly httpErrFiles: number;
}

const LEGACY_HITS = `sum(CASE WHEN protocol IN ${LEGACY_SQL_LIST} THEN hits ELSE 0 END)`;

export function readBlindSpots(db: Db, opts: BlindSpotOptions = DEFAULT_BLIND_SPOTS): BlindSpots {
  const k = keyedUsage(db);
  // IIS rows whose file had no crypt-protocol column carry protocol 'unknown' with no code.
  const sitesWithoutCryptFields = db
    .prepare<SqlValue[], SiteWithoutCrypt>(
      `${k.with} SELECT server, site, sum(hits) AS hits FROM ${k.table}
       WHERE source = 'iis' AND protocol = 'unknown' AND protocol_code IS NULL
       GROUP BY server, site ORDER BY hits DESC, server, site LIMIT ?`,
    )
    .all(...k.params, opts.limit);
  // Managed Availability logs in with many HealthMailbox users from the server itself: not a proxy.
  const sharedAddresses = db
    .prepare<SqlValue[], SharedAddress>(
      `${k.with} SELECT source, client_ip AS clientIp,
         count(DISTINCT CASE WHEN username NOT LIKE '%HealthMailbox%' THEN username END) AS users,
         count(DISTINCT user_agent) AS userAgents, sum(hits) AS hits, ${LEGACY_HITS} AS legacyHits
       FROM ${k.table}
       WHERE client_ip IS NOT NULL AND proxy_ip IS NULL AND internal = 0 AND protocol NOT IN ('none', 'unknown')
       GROUP BY source, client_ip
       HAVING users >= ? OR userAgents >= ?
       ORDER BY legacyHits DESC, hits DESC, client_ip LIMIT ?`,
    )
    .all(...k.params, opts.minUsers, opts.minAgents, opts.limit);
  const proxies = db
    .prepare<SqlValue[], ProxyHop>(
      `${k.with} SELECT proxy_ip AS proxyIp, count(DISTINCT client_ip) AS clients, sum(hits) AS hits, ${LEGACY_HITS} AS legacyHits
       FROM ${k.table} WHERE proxy_ip IS NOT NULL
       GROUP BY proxy_ip ORDER BY hits DESC, proxy_ip LIMIT ?`,
    )
    .all(...k.params, opts.limit);
  const backEnd = db
    .prepare<SqlValue[], BackEndTraffic>(
      `${k.with} SELECT server, sum(hits) AS hits, ${LEGACY_HITS} AS legacyHits
       FROM ${k.table} WHERE source = 'iis' AND internal = 1
       GROUP BY server ORDER BY hits DESC, server LIMIT ?`,
    )
    .all(...k.params, opts.limit);
  const iisHits = db.prepare<SqlValue[], number | null>(`${k.with} SELECT sum(hits) FROM ${k.table} WHERE source = 'iis'`).pluck().get(...k.params) ?? 0;
  const httpErrFiles =
    db.prepare<[], number>(`SELECT count(*) FROM files WHERE status = 'read' AND format LIKE 'httperr%'`).pluck().get() ?? 0;
  return { sitesWithoutCryptFields, sharedAddresses, proxies, backEnd, iisHits, httpErrFiles };
}

export type FindingId = 'no-crypt-fields' | 'shared-address' | 'proxy-hop' | 'back-end' | 'failed-handshakes';

export interface Finding {
  readonly id: FindingId;
  /** One sentence: what the data shows and why it matters. */
  readonly text: string;
  /** The evidence, one short line each (log-derived: formatters must escape them). */
  readonly items: readonly string[];
}

const n = (x: number): string => x.toLocaleString('en-US');
const place = (server: string | null, site: string | null): string => `${server ?? '(unknown server)'}${site ? ' ' + site : ''}`;

/** The blind spots that the data shows, in reading order; empty lists produce no finding. */
export function describeBlindSpots(b: BlindSpots): Finding[] {
  const out: Finding[] = [];
  if (b.sitesWithoutCryptFields.length > 0) {
    out.push({
      id: 'no-crypt-fields',
      text: 'These IIS sites logged without crypt-* fields, so their TLS versions are unknown: add the fields (see the appcmd lines) and scan newer logs.',
      items: b.sitesWithoutCryptFields.map((s) => `${place(s.server, s.site)}: ${n(s.hits)} hits`),
    });
  }
  if (b.sharedAddresses.length > 0) {
    out.push({
      id: 'shared-address',
      text: 'One address carries many users or user agents (a proxy, NAT or load balancer): if it ends TLS, the versions describe that hop, not the clients.',
      items: b.sharedAddresses.map(
        (s) => `${s.clientIp} (${s.source}): ${n(s.users)} users, ${n(s.userAgents)} user agents, ${n(s.hits)} hits, ${n(s.legacyHits)} legacy`,
      ),
    });
  }
  if (b.proxies.length > 0) {
    out.push({
      id: 'proxy-hop',
      text: 'Requests forwarded by a reverse proxy (X-Forwarded-For / OriginalClientIP): their TLS versions are those of the proxy-to-IIS hop.',
      items: b.proxies.map((p) => `${p.proxyIp}: ${n(p.clients)} clients, ${n(p.hits)} hits, ${n(p.legacyHits)} legacy`),
    });
  }
  if (b.backEnd.length > 0) {
    out.push({
      id: 'back-end',
      text: 'Exchange Back End site (port 444) traffic is server-to-server: fix TLS on the Exchange servers (Exchange TLS guidance), not on clients.',
      items: b.backEnd.map((s) => `${s.server ?? '(unknown server)'}: ${n(s.hits)} hits, ${n(s.legacyHits)} legacy`),
    });
  }
  if (b.iisHits > 0) {
    out.push({
      id: 'failed-handshakes',
      text:
        'Failed TLS handshakes never reach the IIS log: check the HTTP.sys error logs (HTTPERR) and Schannel events 36874/36888.' +
        (b.httpErrFiles > 0 ? '' : ' No HTTPERR log was scanned.'),
      items: [],
    });
  }
  return out;
}
