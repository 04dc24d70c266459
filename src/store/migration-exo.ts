// Schema version 3: Exchange Online report rows, one per identity, from which their `usage` rows are derived.
// A row is replaced by a newer export of the same identity, never added to (see store/exo-rows.ts).
import type { Migration } from './migration.js';

export const EXO_MIGRATION: Migration = {
  version: 3,
  name: 'exo_smtp_auth, exo_connector (Exchange Online report exports)',
  sql: `
CREATE TABLE exo_smtp_auth (
  sender TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  period_source TEXT NOT NULL CHECK (period_source IN ('option', 'file name', 'file modified')),
  domain TEXT,
  messages INTEGER NOT NULL,
  tls10 INTEGER NOT NULL,
  tls11 INTEGER NOT NULL,
  tls12 INTEGER NOT NULL,
  tls13 INTEGER,
  unknown INTEGER NOT NULL,
  tls10_pct REAL,
  tls11_pct REAL,
  tls12_pct REAL,
  tls13_pct REAL,
  estimated INTEGER NOT NULL,
  file_id INTEGER NOT NULL REFERENCES files (id),
  line INTEGER NOT NULL,
  exported_at TEXT NOT NULL,
  PRIMARY KEY (sender, period_start, period_end)
);

CREATE TABLE exo_connector (
  day TEXT NOT NULL,
  connector TEXT NOT NULL,
  connector_type TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', '')),
  forced_tls INTEGER,
  volume INTEGER NOT NULL,
  no_tls INTEGER NOT NULL,
  tls10 INTEGER NOT NULL,
  tls11 INTEGER NOT NULL,
  tls12 INTEGER NOT NULL,
  tls13 INTEGER,
  unknown INTEGER NOT NULL,
  no_tls_pct REAL,
  tls10_pct REAL,
  tls11_pct REAL,
  tls12_pct REAL,
  tls13_pct REAL,
  estimated INTEGER NOT NULL,
  file_id INTEGER NOT NULL REFERENCES files (id),
  line INTEGER NOT NULL,
  exported_at TEXT NOT NULL,
  PRIMARY KEY (connector, day, connector_type, direction)
);

-- The usage rows of one identity, found without scanning a whole day's usage (partial: IIS writes do not pay).
CREATE INDEX usage_exo_smtp_auth ON usage (username, day) WHERE source = 'exo-smtp-auth';
CREATE INDEX usage_exo_connector ON usage (site, day) WHERE source = 'exo-connector';
`,
};
