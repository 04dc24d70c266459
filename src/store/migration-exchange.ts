// Schema version 2 (Exchange Server logs): pending_sessions, the SMTP and POP3/IMAP4 sessions still open where a
// read stopped, so the next file of the folder or the next scan completes them instead of counting them twice.
import type { Migration } from './migration.js';

export const EXCHANGE_MIGRATION: Migration = {
  version: 2,
  name: 'pending_sessions (Exchange SMTP and POP3/IMAP4 sessions open across files and scans)',
  sql: `
CREATE TABLE pending_sessions (
  format TEXT NOT NULL,
  session_key TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  counted INTEGER NOT NULL DEFAULT 0 CHECK (counted IN (0, 1)),
  state TEXT NOT NULL,
  PRIMARY KEY (format, session_key)
) WITHOUT ROWID;
`,
};
