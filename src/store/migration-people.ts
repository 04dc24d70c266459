// Schema version 7 (people and devices): the view legacy_people, one row per (source, username, client_ip). Frozen:
// the view is built from the legacy set, so derived-views.ts makes it (people-view.ts), after the migrations.
import type { Migration } from './migration.js';

export const PEOPLE_MIGRATION: Migration = {
  version: 7,
  name: 'legacy_people: legacy clients grouped by (source, username, client_ip)',
  sql: `
DROP VIEW IF EXISTS legacy_people;
`,
};
