// "What changed since the last scan": legacy clients a run saw for the first time, legacy clients not seen for
// --stale-days days (counted back from the newest log event), and those that moved to TLS 1.2+. Read-only.
import type { ClientKey } from '../exceptions/exceptions.js';
import { LEGACY_SQL_LIST, MODERN_SQL_LIST } from '../tls/legacy.js';
import type { Db } from '../store/open-database.js';
import { Runs, type RunRecord } from '../store/runs.js';
import type { SqlValue } from './filter.js';
import { keyedUsage } from './keyed-usage.js';

export interface ChangedClient extends ClientKey {
  readonly legacyHits: number;
  readonly firstSeen: string;
  /** Last legacy hit. */
  readonly lastSeen: string;
  /** Last TLS 1.2/1.3 hit of the same client, if any. */
  readonly modernLastSeen: string | null;
}

export interface Changes {
  readonly run: RunRecord | null;
  readonly previousRun: RunRecord | null;
  readonly newest: string | null;
  readonly staleDays: number;
  readonly newClients: readonly ChangedClient[];
  /** No legacy hit in the last staleDays days before the newest event, and not moved. */
  readonly stale: readonly ChangedClient[];
  /** TLS 1.2+ after its last legacy hit. */
  readonly moved: readonly ChangedClient[];
}

export function readChanges(db: Db, opts: { staleDays: number }): Changes {
  const [run, previousRun] = new Runs(db).lastTwoDone();
  const k = keyedUsage(db);
  const newest = db.prepare<SqlValue[], { t: string | null }>(`${k.with} SELECT max(last_seen) AS t FROM ${k.table}`).get(...k.params)?.t ?? null;
  const clients = db
    .prepare<SqlValue[], ChangedClient & { firstScan: number | null }>(
      `${k.with === '' ? 'WITH' : `${k.with},`} c AS (
         SELECT source, client_ip, username, user_agent,
           sum(CASE WHEN protocol IN ${LEGACY_SQL_LIST} THEN hits ELSE 0 END) AS legacy_hits,
           min(CASE WHEN protocol IN ${LEGACY_SQL_LIST} THEN first_seen END) AS first_seen,
           max(CASE WHEN protocol IN ${LEGACY_SQL_LIST} THEN last_seen END) AS last_seen,
           max(CASE WHEN protocol IN ${MODERN_SQL_LIST} THEN last_seen END) AS modern_last_seen
         FROM ${k.table} GROUP BY source, client_ip, username, user_agent HAVING legacy_hits > 0)
       SELECT c.source, c.client_ip AS clientIp, c.username, c.user_agent AS userAgent, c.legacy_hits AS legacyHits,
         c.first_seen AS firstSeen, c.last_seen AS lastSeen, c.modern_last_seen AS modernLastSeen,
         s.first_scan AS firstScan
       FROM c LEFT JOIN legacy_seen s ON s.source = c.source AND ifnull(s.client_ip, '') = ifnull(c.client_ip, '')
         AND ifnull(s.username, '') = ifnull(c.username, '') AND ifnull(s.user_agent, '') = ifnull(c.user_agent, '')
       ORDER BY c.legacy_hits DESC`,
    )
    .all(...k.params);
  const cutoff = newest === null ? '' : `${new Date(Date.parse(newest) - opts.staleDays * 86_400_000).toISOString().slice(0, 19)}Z`;
  const strip = ({ firstScan: _firstScan, ...c }: ChangedClient & { firstScan: number | null }): ChangedClient => c;
  const isMoved = (c: ChangedClient): boolean => c.modernLastSeen !== null && c.modernLastSeen > c.lastSeen;
  return {
    run: run ?? null,
    previousRun: previousRun ?? null,
    newest,
    staleDays: opts.staleDays,
    newClients: run === undefined ? [] : clients.filter((c) => c.firstScan === run.id).map(strip),
    stale: clients.filter((c) => !isMoved(c) && c.lastSeen < cutoff).map(strip),
    moved: clients.filter(isMoved).map(strip),
  };
}
