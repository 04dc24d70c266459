// Schema version 11: each counted Entra ID sign-in keeps the usage row it was counted in (its merge key), its second
// of the day and whether it failed, so that `merge` adds a server database's sign-ins one by one and counts each once
// (merge/merge-signins.ts). Ids counted before this version have none: such a database merges its sign-in rows by
// their counts, as before. Frozen once released.
import type { Migration } from './migration.js';

export const SIGNIN_ROWS_MIGRATION: Migration = {
  version: 11,
  name: 'entra_signins: the row, second and outcome of each sign-in (for merge)',
  sql: `
ALTER TABLE entra_signins ADD COLUMN row_key BLOB;
ALTER TABLE entra_signins ADD COLUMN second INTEGER;
ALTER TABLE entra_signins ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;
`,
};
