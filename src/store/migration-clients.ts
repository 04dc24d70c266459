// Schema version 4 (client identification): the clients table, one classification per user agent. Frozen: plain
// text, nothing built from rule code. The views that read it (legacy_clients with client, tls12_capable, noise and
// hint; weak_crypto) are built from the rules by store/derived-views.ts, after the migrations.
import type { Migration } from './migration.js';

export const CLIENTS_MIGRATION: Migration = {
  version: 4,
  name: 'clients, legacy_clients with client identification, weak_crypto',
  sql: `
CREATE TABLE clients (
  user_agent TEXT PRIMARY KEY,
  client TEXT NOT NULL,
  family TEXT NOT NULL,
  version TEXT,
  os TEXT,
  tls12_capable TEXT NOT NULL CHECK (tls12_capable IN ('yes', 'no', 'unknown')),
  hint TEXT,
  noise TEXT,
  rule TEXT NOT NULL,
  classifier INTEGER NOT NULL
);
CREATE INDEX usage_user_agent ON usage (user_agent);
DROP VIEW IF EXISTS legacy_clients;
DROP VIEW IF EXISTS weak_crypto;
`,
};
