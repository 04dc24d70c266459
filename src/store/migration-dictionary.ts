// Schema version 6 (size): usage rows keep their text dimensions as ids into two dictionaries, `strings` and
// `user_agents`, in the WITHOUT ROWID table usage_rows; `usage` becomes a view with the same columns and values.
// Id 0 stands for NULL (no dictionary row has it), so the plain primary key is the row's identity.
import type { Migration } from './migration.js';

/** usage's key columns in order: kept as they are in usage_rows, or an id into `strings` or `user_agents`. */
const KEY_COLUMNS = [
  ['day', 'kept'], ['source', 'kept'], ['server', 'string'], ['site', 'string'], ['client_ip', 'string'],
  ['proxy_ip', 'string'], ['username', 'string'], ['user_agent', 'agent'], ['endpoint', 'string'], ['protocol', 'kept'],
  ['protocol_code', 'string'], ['cipher', 'string'], ['cipher_code', 'string'], ['hash', 'string'],
  ['hash_code', 'string'], ['key_exchange', 'string'], ['key_exchange_code', 'string'], ['detail', 'string'],
  ['internal', 'kept'],
] as const;

const COUNTERS = ['hits', 'auth_failures', 'errors', 'estimated', 'first_seen', 'last_seen'] as const;

const STRING_COLUMNS = KEY_COLUMNS.filter(([, kind]) => kind === 'string').map(([name]) => name);

/** The usage_rows column of a key column. */
const stored = ([name, kind]: (typeof KEY_COLUMNS)[number]): string => (kind === 'kept' ? name : `${name}_id`);

const KEY = KEY_COLUMNS.map(stored).join(', ');

const ID_TYPE = 'INTEGER NOT NULL DEFAULT 0';

/**
 * The view's value of a key column. A scalar subquery rather than a LEFT JOIN: SQLite drops an unused LEFT JOIN
 * only from a query without aggregates, so `SELECT sum(hits) FROM usage` would look up all 15 columns of every row;
 * a subquery of the flattened view runs only where the query uses its column.
 */
function viewValue([name, kind]: (typeof KEY_COLUMNS)[number]): string {
  if (kind === 'kept') return `r.${name}`;
  if (kind === 'agent') return `(SELECT a.user_agent FROM user_agents a WHERE a.id = r.user_agent_id)`;
  return `(SELECT s.value FROM strings s WHERE s.id = r.${name}_id)`;
}

/** Frozen once released: a later change needs migration 7 or later, not an edit here. */
export const DICTIONARY_MIGRATION: Migration = {
  version: 6,
  name: 'usage_rows with the strings and user_agents dictionaries; usage becomes a view',
  vacuum: true,
  sql: `
CREATE TABLE strings (
  id INTEGER PRIMARY KEY,
  value TEXT NOT NULL UNIQUE
);
CREATE TABLE user_agents (
  id INTEGER PRIMARY KEY,
  user_agent TEXT NOT NULL UNIQUE
);

CREATE TABLE usage_rows (
  day TEXT NOT NULL,
  source TEXT NOT NULL,
${KEY_COLUMNS.slice(2, 18).map((c) => `  ${stored(c)} ${c[1] === 'kept' ? 'TEXT NOT NULL' : ID_TYPE},`).join('\n')}
  internal INTEGER NOT NULL DEFAULT 0,
  hits INTEGER NOT NULL,
  auth_failures INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  estimated INTEGER NOT NULL DEFAULT 0,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (${KEY})
) WITHOUT ROWID;

INSERT INTO strings (value)
${STRING_COLUMNS.map((c) => `SELECT ${c} FROM usage WHERE ${c} IS NOT NULL`).join('\nUNION ')}
ORDER BY 1;
INSERT INTO user_agents (user_agent) SELECT DISTINCT user_agent FROM usage WHERE user_agent IS NOT NULL ORDER BY 1;

-- In key order, so the table's pages are filled as a bulk load fills them
INSERT INTO usage_rows (${KEY}, ${COUNTERS.join(', ')})
SELECT
${KEY_COLUMNS.map(([name, kind]) => (kind === 'kept' ? `  u.${name},` : `  ifnull(${name}.id, 0),`)).join('\n')}
  ${COUNTERS.map((c) => `u.${c}`).join(', ')}
FROM usage u
${STRING_COLUMNS.map((c) => `LEFT JOIN strings ${c} ON ${c}.value = u.${c}`).join('\n')}
LEFT JOIN user_agents user_agent ON user_agent.user_agent = u.user_agent
ORDER BY ${KEY_COLUMNS.map((_, i) => i + 1).join(', ')};

-- Its indexes go with it (usage_key, usage_protocol, usage_user_agent, usage_exo_*); the views that read
-- usage (legacy_clients, weak_crypto, protocol_totals, daily_protocols) find the view below by name.
DROP TABLE usage;

CREATE VIEW usage AS
SELECT
${KEY_COLUMNS.map((c) => `  ${viewValue(c)} AS ${c[0]},`).join('\n')}
  ${COUNTERS.map((c) => `r.${c} AS ${c}`).join(', ')}
FROM usage_rows r;

-- The usage rows of one Exchange Online identity, found without scanning a whole day (partial: IIS writes do not pay).
CREATE INDEX usage_rows_exo_smtp_auth ON usage_rows (username_id, day) WHERE source = 'exo-smtp-auth';
CREATE INDEX usage_rows_exo_connector ON usage_rows (site_id, day) WHERE source = 'exo-connector';
`,
};
