// Schema version 12: each finished scan and merge keeps the days it wrote usage rows on (`scans.days`), so that
// `merge` reads only the days a server database's runs wrote since it was merged last (merge/merge.ts, changedDays)
// instead of every row. NULL for every other run (prune, rename-server, scan --full, failed, interrupted) and for runs
// before this version: a merge after such a run reads every row. A later migration that changes the values of
// stored usage rows (not only their layout) must leave the next merge reading every row too, e.g. by setting the
// days of the runs to NULL. Frozen once released.
import type { Migration } from './migration.js';

export const RUN_DAYS_MIGRATION: Migration = {
  version: 12,
  name: 'scans.days: the days a finished scan wrote usage rows on (for merge)',
  sql: `
ALTER TABLE scans ADD COLUMN days TEXT;
`,
};
