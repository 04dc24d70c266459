// The report window's usage rows summed per usage key (store/usage-by-key.ts): what the report's queries that do
// not look at single days read instead of view `usage`. Over a month of an internet-facing server's logs (1M usage
// rows, 108,000 keys) each such query read and decoded every row again; now the window's rows are summed once per
// report into a temporary table (inside `withKeyedUsage`), or per query in a WITH clause outside it.
import type { Db } from '../store/open-database.js';
import { derivedViewCurrent, derivedViewSelect } from '../store/derived-views.js';
import { keyedRows, usageByKeySelect } from '../store/usage-by-key.js';
import type { ReportFilter, SqlCondition, SqlValue } from './filter.js';
import { dayCondition, keyCondition, NO_FILTER } from './filter.js';

/**
 * How a query reads the keyed usage of a window: `${k.with} SELECT … FROM ${k.table} … WHERE ${k.where.sql}` (the
 * table has the columns of view `usage`, `day` replaced by `first_day` and `last_day`), bound to
 * `...k.params, …, ...k.where.params`: `with` comes first in the statement, so its values are bound first.
 */
export interface KeyedUsage {
  /** '' or `WITH keyed_usage AS (…)`. */
  readonly with: string;
  readonly params: readonly SqlValue[];
  readonly table: string;
  /** The window's servers and sources (its days are already applied), on the given alias. */
  readonly where: SqlCondition;
}

interface Scope {
  readonly tables: Map<string, string>;
}

const scopes = new WeakMap<Db, Scope>();
let nextTable = 1;

/**
 * Runs `body` with the keyed usage of each window summed once into a temporary table, dropped at the end. The caller
 * must not write usage rows meanwhile (a report reads).
 */
export function withKeyedUsage<T>(db: Db, body: () => T): T {
  if (scopes.has(db)) return body();
  const scope: Scope = { tables: new Map() };
  scopes.set(db, scope);
  try {
    return body();
  } finally {
    scopes.delete(db);
    for (const t of scope.tables.values()) db.exec(`DROP TABLE IF EXISTS ${t}`);
  }
}

/** The keyed usage of window `f` (the whole database by default); `alias` prefixes the columns of `where`. */
export function keyedUsage(db: Db, f: ReportFilter = NO_FILTER, alias?: 'u'): KeyedUsage {
  const days = dayCondition(f);
  const where = keyCondition(f, alias);
  if (!keyedRows(db)) {
    // a database older than schema 8, read as it is: its usage rows are not keyed
    return { with: `WITH keyed_usage AS (SELECT *, day AS first_day, day AS last_day FROM usage WHERE ${days.sql})`, params: days.params, table: 'keyed_usage', where };
  }
  const scope = scopes.get(db);
  if (scope === undefined) {
    return { with: `WITH keyed_usage AS (${usageByKeySelect(days.sql)})`, params: days.params, table: 'keyed_usage', where };
  }
  const id = JSON.stringify([f.since, f.until]);
  let table = scope.tables.get(id);
  if (table === undefined) {
    table = `temp.report_keyed_${nextTable++}`;
    db.exec(`DROP TABLE IF EXISTS ${table}`);
    db.prepare(`CREATE TABLE ${table} AS ${usageByKeySelect(days.sql)}`).run(...days.params);
    scope.tables.set(id, table);
  }
  return { with: '', params: [], table, where };
}

/**
 * What a report reads view legacy_clients or weak_crypto through: inside `withKeyedUsage`, when the database's view is
 * the one today's rules make, the same SELECT over the whole database's keyed usage table (summed once per report
 * instead of once per view); else the view itself (an older database's view, or one a test made).
 */
export function derivedView(db: Db, name: 'legacy_clients' | 'weak_crypto'): string {
  if (!scopes.has(db) || !keyedRows(db) || !derivedViewCurrent(db, name)) return name;
  return `(${derivedViewSelect(name, `usage_by_key AS (SELECT * FROM ${keyedUsage(db).table})`)})`;
}
