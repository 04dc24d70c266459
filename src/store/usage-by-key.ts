// The usage rows summed up per usage key, with the columns of view `usage` but `day` (and the first and last day
// instead, and the key's id): one row per distinct dimension tuple instead of one per day and tuple. A query that
// groups the rows of many days by client, site or suite reads this instead of `usage`, and looks each text up once
// per key, not once per day and key: over a month of an internet-facing server's logs (1M usage rows, 108,000 keys)
// a derived view takes 1.2 s instead of 4–5 s. Sums, min and max (of the times as text, as the view shows them) and the set of distinct
// values of a column are those of the rows summed, so a group's values come out the same.
import type { Db } from './db.js';

/** A stored time of usage_rows as the view shows it (migration-keys.ts); `day` the row's day column. */
export const asText = (col: string, day = 'day'): string =>
  `(CASE WHEN typeof(${col}) = 'integer' THEN ${day} || 'T' || time(${col}, 'unixepoch') || 'Z' ELSE ${col} END)`;

/** asText in JavaScript: a stored time of usage_rows (seconds into `day`, or text) as view `usage` shows it. */
export const timeText = (value: number | string, day: string): string =>
  typeof value === 'number' ? `${day}T${new Date(value * 1000).toISOString().slice(11, 19)}Z` : value;

const text = (col: string): string => `(SELECT s.value FROM strings s WHERE s.id = k.${col}_id) AS ${col}`;

/** The key columns of view `usage` (all but `day`) of usage_keys `k`, their texts looked up in the dictionaries. */
export const KEY_TEXTS = `k.source AS source, ${text('server')}, ${text('site')}, ${text('client_ip')}, ${text('proxy_ip')},
    ${text('username')}, (SELECT a.user_agent FROM user_agents a WHERE a.id = k.user_agent_id) AS user_agent,
    ${text('endpoint')}, k.protocol AS protocol, ${text('protocol_code')}, ${text('cipher')}, ${text('cipher_code')},
    ${text('hash')}, ${text('hash_code')}, ${text('key_exchange')}, ${text('key_exchange_code')}, ${text('detail')},
    k.internal AS internal`;

/** Whether usage_rows has key ids (schema 8 and later): a database read as it is (report, merge) may be older. */
export function keyedRows(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'usage_keys'`).get() !== undefined;
}

/** The SELECT; `rowsWhere` a condition on usage_rows (its `day`), or '' for all rows. */
export function usageByKeySelect(rowsWhere = ''): string {
  return `SELECT ${KEY_TEXTS}, r.hits AS hits, r.auth_failures AS auth_failures, r.errors AS errors,
    r.estimated AS estimated, r.first_seen AS first_seen, r.last_seen AS last_seen, r.first_day AS first_day,
    r.last_day AS last_day, k.id AS key_id
  FROM (
    SELECT key_id, sum(hits) AS hits, sum(auth_failures) AS auth_failures, sum(errors) AS errors,
      max(estimated) AS estimated, min(${asText('first_seen')}) AS first_seen, max(${asText('last_seen')}) AS last_seen,
      min(day) AS first_day, max(day) AS last_day
    FROM usage_rows${rowsWhere === '' ? '' : ` WHERE ${rowsWhere}`} GROUP BY key_id
  ) r JOIN usage_keys k ON k.id = r.key_id`;
}

/** `usage_by_key AS (…)`, every day's rows: one term of a WITH clause (the derived views). */
export const USAGE_BY_KEY = `usage_by_key AS (
  ${usageByKeySelect()}
)`;
