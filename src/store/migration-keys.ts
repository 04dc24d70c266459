// Schema version 8 (speed and size at many distinct clients): the dimension tuple of a usage row becomes one integer,
// `usage_keys.id`, and usage_rows keeps (day, key_id), the counters and the first and last times (seconds into the
// day when they fall on it). The view `usage` keeps its columns and values.
// Frozen once released: a later change needs a new migration, not an edit here.
import type { Migration } from './migration.js';

export const KEYS_MIGRATION: Migration = {
  version: 8,
  name: 'usage_keys: one id per dimension tuple; usage_rows keyed by (day, key_id)',
  vacuum: true,
  sql: `
CREATE TABLE usage_keys (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  server_id INTEGER NOT NULL DEFAULT 0,
  site_id INTEGER NOT NULL DEFAULT 0,
  client_ip_id INTEGER NOT NULL DEFAULT 0,
  proxy_ip_id INTEGER NOT NULL DEFAULT 0,
  username_id INTEGER NOT NULL DEFAULT 0,
  user_agent_id INTEGER NOT NULL DEFAULT 0,
  endpoint_id INTEGER NOT NULL DEFAULT 0,
  protocol TEXT NOT NULL,
  protocol_code_id INTEGER NOT NULL DEFAULT 0,
  cipher_id INTEGER NOT NULL DEFAULT 0,
  cipher_code_id INTEGER NOT NULL DEFAULT 0,
  hash_id INTEGER NOT NULL DEFAULT 0,
  hash_code_id INTEGER NOT NULL DEFAULT 0,
  key_exchange_id INTEGER NOT NULL DEFAULT 0,
  key_exchange_code_id INTEGER NOT NULL DEFAULT 0,
  detail_id INTEGER NOT NULL DEFAULT 0,
  internal INTEGER NOT NULL DEFAULT 0,
  UNIQUE (source, server_id, site_id, client_ip_id, proxy_ip_id, username_id, user_agent_id, endpoint_id, protocol,
    protocol_code_id, cipher_id, cipher_code_id, hash_id, hash_code_id, key_exchange_id, key_exchange_code_id,
    detail_id, internal)
);

INSERT INTO usage_keys (source, server_id, site_id, client_ip_id, proxy_ip_id, username_id, user_agent_id, endpoint_id,
  protocol, protocol_code_id, cipher_id, cipher_code_id, hash_id, hash_code_id, key_exchange_id, key_exchange_code_id,
  detail_id, internal)
SELECT DISTINCT source, server_id, site_id, client_ip_id, proxy_ip_id, username_id, user_agent_id, endpoint_id,
  protocol, protocol_code_id, cipher_id, cipher_code_id, hash_id, hash_code_id, key_exchange_id, key_exchange_code_id,
  detail_id, internal
FROM usage_rows ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18;

-- The old table under another name first (the view usage follows the rename), then the new one under the old name
ALTER TABLE usage_rows RENAME TO usage_rows_v6;

CREATE TABLE usage_rows (
  day TEXT NOT NULL,
  key_id INTEGER NOT NULL,
  hits INTEGER NOT NULL,
  auth_failures INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  estimated INTEGER NOT NULL DEFAULT 0,
  -- Seconds into \`day\` (an integer) when the time is \`dayTHH:MM:SSZ\`, else the text as it came: no affinity
  first_seen NOT NULL,
  last_seen NOT NULL,
  PRIMARY KEY (day, key_id)
) WITHOUT ROWID;

INSERT INTO usage_rows (day, key_id, hits, auth_failures, errors, estimated, first_seen, last_seen)
SELECT r.day, k.id, r.hits, r.auth_failures, r.errors, r.estimated,
  CASE WHEN r.day || 'T' || time(unixepoch(r.first_seen) - unixepoch(r.day), 'unixepoch') || 'Z' = r.first_seen
    THEN unixepoch(r.first_seen) - unixepoch(r.day) ELSE r.first_seen END,
  CASE WHEN r.day || 'T' || time(unixepoch(r.last_seen) - unixepoch(r.day), 'unixepoch') || 'Z' = r.last_seen
    THEN unixepoch(r.last_seen) - unixepoch(r.day) ELSE r.last_seen END
FROM usage_rows_v6 r JOIN usage_keys k ON k.source = r.source AND k.server_id = r.server_id AND k.site_id = r.site_id
  AND k.client_ip_id = r.client_ip_id AND k.proxy_ip_id = r.proxy_ip_id AND k.username_id = r.username_id
  AND k.user_agent_id = r.user_agent_id AND k.endpoint_id = r.endpoint_id AND k.protocol = r.protocol
  AND k.protocol_code_id = r.protocol_code_id AND k.cipher_id = r.cipher_id AND k.cipher_code_id = r.cipher_code_id
  AND k.hash_id = r.hash_id AND k.hash_code_id = r.hash_code_id AND k.key_exchange_id = r.key_exchange_id
  AND k.key_exchange_code_id = r.key_exchange_code_id AND k.detail_id = r.detail_id AND k.internal = r.internal
ORDER BY 1, 2;

DROP VIEW usage;
DROP TABLE usage_rows_v6;

-- Scalar subqueries rather than LEFT JOINs: SQLite then looks a dictionary up only where a query uses its column
CREATE VIEW usage AS
SELECT
  r.day AS day,
  k.source AS source,
  (SELECT s.value FROM strings s WHERE s.id = k.server_id) AS server,
  (SELECT s.value FROM strings s WHERE s.id = k.site_id) AS site,
  (SELECT s.value FROM strings s WHERE s.id = k.client_ip_id) AS client_ip,
  (SELECT s.value FROM strings s WHERE s.id = k.proxy_ip_id) AS proxy_ip,
  (SELECT s.value FROM strings s WHERE s.id = k.username_id) AS username,
  (SELECT a.user_agent FROM user_agents a WHERE a.id = k.user_agent_id) AS user_agent,
  (SELECT s.value FROM strings s WHERE s.id = k.endpoint_id) AS endpoint,
  k.protocol AS protocol,
  (SELECT s.value FROM strings s WHERE s.id = k.protocol_code_id) AS protocol_code,
  (SELECT s.value FROM strings s WHERE s.id = k.cipher_id) AS cipher,
  (SELECT s.value FROM strings s WHERE s.id = k.cipher_code_id) AS cipher_code,
  (SELECT s.value FROM strings s WHERE s.id = k.hash_id) AS hash,
  (SELECT s.value FROM strings s WHERE s.id = k.hash_code_id) AS hash_code,
  (SELECT s.value FROM strings s WHERE s.id = k.key_exchange_id) AS key_exchange,
  (SELECT s.value FROM strings s WHERE s.id = k.key_exchange_code_id) AS key_exchange_code,
  (SELECT s.value FROM strings s WHERE s.id = k.detail_id) AS detail,
  k.internal AS internal,
  r.hits AS hits, r.auth_failures AS auth_failures, r.errors AS errors, r.estimated AS estimated,
  CASE WHEN typeof(r.first_seen) = 'integer' THEN r.day || 'T' || time(r.first_seen, 'unixepoch') || 'Z'
    ELSE r.first_seen END AS first_seen,
  CASE WHEN typeof(r.last_seen) = 'integer' THEN r.day || 'T' || time(r.last_seen, 'unixepoch') || 'Z'
    ELSE r.last_seen END AS last_seen
FROM usage_rows r JOIN usage_keys k ON k.id = r.key_id;

-- The usage rows of one Exchange Online identity, found through its keys (partial: IIS keys do not pay)
CREATE INDEX usage_keys_exo_smtp_auth ON usage_keys (username_id) WHERE source = 'exo-smtp-auth';
CREATE INDEX usage_keys_exo_connector ON usage_keys (site_id) WHERE source = 'exo-connector';
`,
};
