// The figures --fail-on-legacy and --fail-on-bad-lines compare: legacy hits in the report window, split into
// counted and excepted (known exceptions in force today), and the share of bad lines. Read-only.
import { matcherOf, type ClientKey, type KnownException } from '../exceptions/exceptions.js';
import { LEGACY_SQL_LIST } from '../tls/legacy.js';
import type { Db } from '../store/open-database.js';
import { usageCondition, type ReportFilter } from './filter.js';

export interface ExceptedClient extends ClientKey {
  readonly hits: number;
  readonly exception: KnownException;
}

export interface LegacyTally {
  /** Legacy hits in the window that no exception in force covers: what --fail-on-legacy compares. */
  readonly counted: number;
  readonly countedClients: number;
  readonly excepted: number;
  readonly exceptedClients: readonly ExceptedClient[];
}

export function tallyLegacy(db: Db, filter: ReportFilter, activeExceptions: readonly KnownException[]): LegacyTally {
  const where = usageCondition(filter);
  const rows = db
    .prepare<unknown[], ClientKey & { hits: number }>(
      `SELECT source, client_ip AS clientIp, username, user_agent AS userAgent, sum(hits) AS hits FROM usage
       WHERE protocol IN ${LEGACY_SQL_LIST} AND ${where.sql}
       GROUP BY source, client_ip, username, user_agent ORDER BY hits DESC`,
    )
    .all(...where.params);
  const match = matcherOf(activeExceptions);
  let counted = 0;
  let countedClients = 0;
  let excepted = 0;
  const exceptedClients: ExceptedClient[] = [];
  for (const r of rows) {
    const exception = match(r);
    if (exception === null) {
      counted += r.hits;
      countedClients++;
    } else {
      excepted += r.hits;
      exceptedClients.push({ ...r, exception });
    }
  }
  return { counted, countedClients, excepted, exceptedClients };
}

/** Bad lines per 100 lines read, over every file in the database (bad lines carry no date: no window). */
export function badLinePercentStored(db: Db): { lines: number; badLines: number; percent: number } {
  const r = db
    .prepare<[], { lines: number | null; bad: number | null }>(
      `SELECT sum(lines) AS lines, sum(bad_lines) AS bad FROM files WHERE status = 'read'`,
    )
    .get();
  return percentOf(r?.lines ?? 0, r?.bad ?? 0);
}

export function percentOf(lines: number, badLines: number): { lines: number; badLines: number; percent: number } {
  return { lines, badLines, percent: lines === 0 ? 0 : (100 * badLines) / lines };
}
