// The report window and selection (--since, --until, --days, --server, --source) as SQL with bound parameters.
// Only the fixed fragments below are ever joined into SQL; every value from a flag or a log travels as a parameter.
import type { Db } from '../store/open-database.js';

export interface FilterSpec {
  /** First and last day included, YYYY-MM-DD (UTC). */
  readonly since?: string;
  readonly until?: string;
  /** The last N days of data, counted back from the newest day in the database (not from today). */
  readonly days?: number;
  /** Server names, matched case-insensitively; empty = all. */
  readonly servers?: readonly string[];
  readonly sources?: readonly string[];
}

export interface ReportFilter {
  readonly since: string | null;
  readonly until: string | null;
  readonly days: number | null;
  readonly servers: readonly string[];
  readonly sources: readonly string[];
}

export const NO_FILTER: ReportFilter = { since: null, until: null, days: null, servers: [], sources: [] };

export type SqlValue = string | number;

/** A WHERE condition (never empty: "1" when nothing is filtered) and the values for its placeholders. */
export interface SqlCondition {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

const DAY_MS = 86_400_000;

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Turns --days into a since/until pair anchored on the newest day stored. */
export function resolveFilter(db: Db, spec: FilterSpec): ReportFilter {
  let since = spec.since ?? null;
  let until = spec.until ?? null;
  if (spec.days !== undefined) {
    const newest = db.prepare<[], { day: string | null }>(`SELECT max(day) AS day FROM usage`).get()?.day ?? null;
    if (newest !== null) {
      until = newest;
      since = addDays(newest, 1 - spec.days);
    }
  }
  return {
    since,
    until,
    days: spec.days ?? null,
    servers: [...new Set((spec.servers ?? []).map((s) => s.toLowerCase()))],
    sources: [...new Set((spec.sources ?? []).map((s) => s.toLowerCase()))],
  };
}

/** `?, ?, …`: `n` placeholders for a list bound as values. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Conditions on the columns of table `usage`, optionally through an alias ("u" → "u.day"; "r": usage_rows, days only). */
export function usageCondition(f: ReportFilter, alias?: 'u' | 'r'): SqlCondition {
  const col = (name: 'day' | 'server' | 'source'): string => (alias ? `${alias}.${name}` : name);
  const parts: string[] = [];
  const params: SqlValue[] = [];
  if (f.since !== null) {
    parts.push(`${col('day')} >= ?`);
    params.push(f.since);
  }
  if (f.until !== null) {
    parts.push(`${col('day')} <= ?`);
    params.push(f.until);
  }
  if (f.servers.length > 0) {
    parts.push(`lower(${col('server')}) IN (${placeholders(f.servers.length)})`);
    params.push(...f.servers);
  }
  if (f.sources.length > 0) {
    parts.push(`lower(${col('source')}) IN (${placeholders(f.sources.length)})`);
    params.push(...f.sources);
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1', params };
}

/** The window's days alone, on usage (or usage_rows: alias "r"): for queries that read rows summed per key. */
export const dayCondition = (f: ReportFilter, alias?: 'r'): SqlCondition => usageCondition({ ...f, servers: [], sources: [] }, alias);

/** The window's servers and sources alone (its days applied elsewhere). */
export const keyCondition = (f: ReportFilter, alias?: 'u'): SqlCondition => usageCondition({ ...f, since: null, until: null }, alias);

export function isFiltered(f: ReportFilter): boolean {
  return f.since !== null || f.until !== null || f.servers.length > 0 || f.sources.length > 0;
}
