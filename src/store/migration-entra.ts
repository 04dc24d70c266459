// Schema version 9: Microsoft Entra ID sign-ins (source entra-signin). The table entra_signins remembers which
// sign-ins were counted, by id and UTC day, so overlapping exports count each once (store/signin-ledger.ts).
// Frozen once released. The views that follow the new labels are derived views (derived-views.ts), not this migration.
import type { Migration } from './migration.js';

export const ENTRA_MIGRATION: Migration = {
  version: 9,
  name: 'entra_signins (Entra ID sign-ins counted, by id and day)',
  sql: `
CREATE TABLE entra_signins (
  day INTEGER NOT NULL,
  key BLOB NOT NULL,
  PRIMARY KEY (day, key)
) WITHOUT ROWID;
`,
};
