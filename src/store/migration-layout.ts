// Schema version 10 (logs without directives): files.layout says how a file without directives was read — the
// default field list of its log and where that came from (folder, TLS line, --log-type, --fields). Frozen.
import type { Migration } from './migration.js';

export const LAYOUT_MIGRATION: Migration = {
  version: 10,
  name: 'files.layout: the default fields a file without directives was read with, and how they were inferred',
  sql: `
ALTER TABLE files ADD COLUMN layout TEXT;
`,
};
