// Schema version 5 (nightly operation): database identity, content marks for exact re-scans, run records,
// legacy clients already reported, known exceptions, and the watermarks that make `merge` idempotent.
import type { Migration } from './migration.js';

export const NIGHTLY_MIGRATION: Migration = {
  version: 5,
  name: 'meta, file marks and containers, scans, legacy_seen, exceptions, merge sources',
  sql: `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));

ALTER TABLE files ADD COLUMN tail_hash TEXT;

CREATE TABLE file_marks (
  file_id INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  offset INTEGER NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (file_id, offset)
) WITHOUT ROWID;

CREATE TABLE file_containers (
  container TEXT PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE
);
CREATE INDEX file_containers_file ON file_containers (file_id);

CREATE TABLE scans (
  id INTEGER PRIMARY KEY,
  command TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'interrupted', 'failed')),
  started TEXT NOT NULL,
  finished TEXT,
  host TEXT,
  pid INTEGER,
  paths TEXT,
  files INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  lines INTEGER NOT NULL DEFAULT 0,
  bad_lines INTEGER NOT NULL DEFAULT 0,
  records INTEGER NOT NULL DEFAULT 0,
  new_legacy_clients INTEGER,
  message TEXT
);

CREATE TABLE legacy_seen (
  source TEXT NOT NULL,
  client_ip TEXT,
  username TEXT,
  user_agent TEXT,
  first_scan INTEGER NOT NULL,
  first_seen TEXT NOT NULL
);
CREATE UNIQUE INDEX legacy_seen_key ON legacy_seen (source, ifnull(client_ip, ''), ifnull(username, ''), ifnull(user_agent, ''));
CREATE INDEX legacy_seen_scan ON legacy_seen (first_scan);

CREATE TABLE exceptions (
  id INTEGER PRIMARY KEY,
  match TEXT NOT NULL CHECK (match IN ('ip', 'user', 'agent', 'sender')),
  value TEXT NOT NULL,
  reason TEXT NOT NULL,
  expires TEXT NOT NULL,
  added TEXT NOT NULL
);

CREATE TABLE merge_sources (
  id INTEGER PRIMARY KEY,
  database_id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  first_merged TEXT NOT NULL,
  last_merged TEXT NOT NULL,
  last_scan_id INTEGER,
  last_scan_started TEXT,
  files INTEGER NOT NULL DEFAULT 0,
  lines INTEGER NOT NULL DEFAULT 0,
  bad_lines INTEGER NOT NULL DEFAULT 0,
  includes TEXT
);

CREATE TABLE merge_rows (
  source_id INTEGER NOT NULL REFERENCES merge_sources (id) ON DELETE CASCADE,
  key BLOB NOT NULL,
  day TEXT NOT NULL,
  source TEXT NOT NULL,
  hits INTEGER NOT NULL,
  auth_failures INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  PRIMARY KEY (source_id, key)
) WITHOUT ROWID;
CREATE INDEX merge_rows_day ON merge_rows (day);
`,
};
