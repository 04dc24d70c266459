// The database schema as numbered migrations (PRAGMA user_version); the README documents every table and view.
// A migration only ever moves forward and is frozen once released: its SQL is text of its own, never built from
// live code. Views built from rules (legacy_clients, weak_crypto) are not migrations: see derived-views.ts.
// (Until schema 6, migration 1 also made a first legacy_clients; migration 4 dropped it, so no database keeps it.)
import { CLIENTS_MIGRATION } from './migration-clients.js';
import { DICTIONARY_MIGRATION } from './migration-dictionary.js';
import { EXCHANGE_MIGRATION } from './migration-exchange.js';
import { ENTRA_MIGRATION } from './migration-entra.js';
import { EXO_MIGRATION } from './migration-exo.js';
import { KEYS_MIGRATION } from './migration-keys.js';
import { NIGHTLY_MIGRATION } from './migration-nightly.js';
import { LAYOUT_MIGRATION } from './migration-layout.js';
import { RUN_DAYS_MIGRATION } from './migration-run-days.js';
import { SHORT_PRINT_MIGRATION } from './migration-short-print.js';
import { SIGNIN_ROWS_MIGRATION } from './migration-signin-rows.js';
import { PEOPLE_MIGRATION } from './migration-people.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

const ALL: Migration[] = [
  {
    version: 1,
    name: 'usage, files, diagnostics, legacy_clients',
    sql: `
CREATE TABLE usage (
  day TEXT NOT NULL,
  source TEXT NOT NULL,
  server TEXT,
  site TEXT,
  client_ip TEXT,
  proxy_ip TEXT,
  username TEXT,
  user_agent TEXT,
  endpoint TEXT,
  protocol TEXT NOT NULL,
  protocol_code TEXT,
  cipher TEXT,
  cipher_code TEXT,
  hash TEXT,
  hash_code TEXT,
  key_exchange TEXT,
  key_exchange_code TEXT,
  detail TEXT,
  internal INTEGER NOT NULL DEFAULT 0,
  hits INTEGER NOT NULL,
  auth_failures INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  estimated INTEGER NOT NULL DEFAULT 0,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL
);
CREATE UNIQUE INDEX usage_key ON usage (
  day, source, ifnull(server, ''), ifnull(site, ''), ifnull(client_ip, ''), ifnull(proxy_ip, ''),
  ifnull(username, ''), ifnull(user_agent, ''), ifnull(endpoint, ''), protocol, ifnull(protocol_code, ''),
  ifnull(cipher, ''), ifnull(cipher_code, ''), ifnull(hash, ''), ifnull(hash_code, ''), ifnull(key_exchange, ''),
  ifnull(key_exchange_code, ''), ifnull(detail, ''), internal
);
CREATE INDEX usage_protocol ON usage (protocol, source);

CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  format TEXT,
  status TEXT NOT NULL CHECK (status IN ('read', 'skipped', 'error')),
  reason TEXT,
  fingerprint TEXT,
  fp_bytes INTEGER,
  bytes INTEGER NOT NULL DEFAULT 0,
  consumed INTEGER NOT NULL DEFAULT 0,
  lines INTEGER NOT NULL DEFAULT 0,
  records INTEGER NOT NULL DEFAULT 0,
  bad_lines INTEGER NOT NULL DEFAULT 0,
  reasons TEXT,
  tls_fields INTEGER NOT NULL DEFAULT 0,
  state TEXT,
  first_scanned TEXT NOT NULL,
  last_scanned TEXT NOT NULL
);
CREATE INDEX files_fingerprint ON files (fp_bytes, fingerprint);
CREATE INDEX files_path ON files (path);

CREATE TABLE diagnostics (
  file_id INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_line INTEGER NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (file_id, code)
);
CREATE VIEW protocol_totals AS
SELECT source, protocol, sum(hits) AS hits, count(DISTINCT client_ip) AS clients,
       min(first_seen) AS first_seen, max(last_seen) AS last_seen
FROM usage GROUP BY source, protocol;

CREATE VIEW daily_protocols AS
SELECT day, source, protocol, sum(hits) AS hits FROM usage GROUP BY day, source, protocol;
`,
  },
  EXCHANGE_MIGRATION,
  EXO_MIGRATION,
  CLIENTS_MIGRATION,
  NIGHTLY_MIGRATION,
  DICTIONARY_MIGRATION,
  PEOPLE_MIGRATION,
  KEYS_MIGRATION,
  ENTRA_MIGRATION,
  LAYOUT_MIGRATION,
  SIGNIN_ROWS_MIGRATION,
  RUN_DAYS_MIGRATION,
  SHORT_PRINT_MIGRATION,
];

/** In version order, whatever order they are listed in above. */
export const MIGRATIONS: readonly Migration[] = [...ALL].sort((a, b) => a.version - b.version);

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
